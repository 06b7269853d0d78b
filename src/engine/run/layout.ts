import type { Problem, Scenario } from '../scenario/model';
import type { DeviceRuntime } from '../runtime/device';
import type { NodeLayout } from '../state/machine';
import { alignUp, formatSize, GiB, hex } from '../units';

/**
 * The physical layout: explicit `machine.ram`/`machine.pmem` lists, or auto-placement per node —
 * its RAM, then its pmem region, each 1 GiB aligned (as on the machines of the "mm: Defer
 * ZONE_DEVICE page initialization" thread, where node 0's pmem starts right after its 384 GiB of RAM).
 */
export function layoutNodes(s: Scenario): NodeLayout[] {
  const nodes: NodeLayout[] = s.machine.nodes.map((n, id) => ({
    id,
    cpus: n.cpus,
    ram: [],
    pmem: [],
  }));
  let cursor = 0;
  for (const [id, n] of s.machine.nodes.entries()) {
    if (!s.machine.ram && n.ram > 0) {
      nodes[id].ram.push({ start: cursor, end: cursor + n.ram });
      cursor = alignUp(cursor + n.ram, GiB);
    }
    if (!s.machine.pmem && n.pmem > 0) {
      nodes[id].pmem.push({ start: cursor, end: cursor + n.pmem });
      cursor = alignUp(cursor + n.pmem, GiB);
    }
  }
  for (const r of s.machine.ram ?? [])
    nodes[r.node]?.ram.push({ start: r.start, end: r.start + r.size });
  for (const r of s.machine.pmem ?? [])
    nodes[r.node]?.pmem.push({ start: r.start, end: r.start + r.size });
  return nodes;
}

/**
 * A region's id: nd_region_create() takes it from one ida in the order the bus registers the
 * regions (acpi_nfit_register_regions(): the NFIT's SPA ranges, by address on the machines we
 * model), so a machine whose pmem sits on node 1 only has region0.
 */
function regionIds(nodes: NodeLayout[]): Map<number, number> {
  const starts = nodes.flatMap((n) => n.pmem.map((r) => r.start)).sort((a, b) => a - b);
  return new Map(starts.map((start, id) => [start, id]));
}

/**
 * Places namespaces in their node's pmem region like `ndctl create-namespace`: after the
 * previous one, or at an explicit start, which must lie inside the region.
 */
export function placeDevices(
  s: Scenario,
  nodes: NodeLayout[],
): { devices: DeviceRuntime[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const devices: DeviceRuntime[] = [];
  const next = new Map<number, number>();
  const regions = regionIds(nodes);
  // Per region: namespaces in creation order (namespaceR.N), and each seed kind's own ida —
  // drivers/nvdimm/pfn_devs.c nd_pfn_alloc() names "pfn%d.%d" from nd_region->pfn_ida and
  // dax_devs.c nd_dax_alloc() "dax%d.%d" from nd_region->dax_ida (fsdax map=mem is a pfn too).
  const count = new Map<string, number>();
  const take = (key: string): number => {
    const n = count.get(key) ?? 0;
    count.set(key, n + 1);
    return n;
  };
  for (const spec of s.devices) {
    const node = nodes[spec.node];
    const err = (message: string, field?: string) =>
      problems.push({
        code: 'scenario-schema',
        severity: 'error',
        message,
        span: (field && spec.fields[field]) || spec.span,
      });
    if (!node) {
      err(
        `device '${spec.name}': node ${spec.node} does not exist (the machine has ${nodes.length})`,
        'node',
      );
      continue;
    }
    const base = { spec, state: 'idle' as const, heldRefs: [] };
    if (spec.kind === 'pgmap') {
      devices.push({
        ...base,
        devName: spec.name,
        placed: spec.ranges.map((r) => ({ start: r.start, end: r.start + r.size })),
      });
      continue;
    }
    const region =
      spec.start !== undefined
        ? node.pmem.find((r) => spec.start! >= r.start && spec.start! < r.end)
        : node.pmem[0];
    if (!region) {
      err(
        spec.start !== undefined
          ? `device '${spec.name}': start ${hex(spec.start)} is not inside node ${spec.node}'s pmem`
          : s.machine.pmem
            ? `device '${spec.name}': machine.pmem lists no region on node ${spec.node} (the list replaces the nodes' 'pmem:')`
            : `device '${spec.name}': node ${spec.node} has no pmem region (give the node 'pmem:' or list machine.pmem)`,
        spec.start !== undefined ? 'start' : 'node',
      );
      continue;
    }
    const start = spec.start ?? next.get(spec.node) ?? region.start;
    const size = spec.size ?? region.end - start;
    if (start + size > region.end || size <= 0) {
      err(
        `device '${spec.name}': ${formatSize(size)} at ${hex(start)} does not fit in node ${spec.node}'s pmem region ${hex(region.start)}-${hex(region.end - 1)}`,
        'size',
      );
      continue;
    }
    next.set(spec.node, start + size);
    const id = regions.get(region.start)!;
    const seed = spec.mode === 'fsdax' ? 'pfn' : 'dax';
    devices.push({
      ...base,
      devName: `${seed}${id}.${take(`${id}:${seed}`)}`,
      nsName: `namespace${id}.${take(`${id}:namespace`)}`,
      placed: [{ start, end: start + size }],
    });
  }
  return { devices, problems };
}

/** Devices (and RAM hot-adds) whose byte ranges overlap: the range-overlap rule's input. */
export function overlaps(devices: DeviceRuntime[]): [DeviceRuntime, DeviceRuntime][] {
  const out: [DeviceRuntime, DeviceRuntime][] = [];
  for (let i = 0; i < devices.length; i++) {
    for (let j = i + 1; j < devices.length; j++) {
      const hit = devices[i].placed.some((a) =>
        devices[j].placed.some((b) => a.start < b.end && b.start < a.end),
      );
      if (hit) out.push([devices[i], devices[j]]);
    }
  }
  return out;
}
