import type { Problem, Scenario } from '../scenario/model';
import type { DeviceRuntime } from '../runtime/device';
import type { NodeLayout } from '../state/machine';
import { alignUp, formatSize, GiB, hex } from '../units';

/**
 * The physical layout: explicit `machine.ram`/`machine.pmem` lists, or auto-placement per node —
 * its RAM, then its pmem region, each 1 GiB aligned (as on the seed-000 machines, where node 0's
 * pmem starts right after its 384 GiB of RAM).
 */
export function layoutNodes(s: Scenario): NodeLayout[] {
  const nodes: NodeLayout[] = s.machine.nodes.map((n, id) => ({ id, cpus: n.cpus, ram: [], pmem: [] }));
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
  for (const r of s.machine.ram ?? []) nodes[r.node]?.ram.push({ start: r.start, end: r.start + r.size });
  for (const r of s.machine.pmem ?? []) nodes[r.node]?.pmem.push({ start: r.start, end: r.start + r.size });
  return nodes;
}

/**
 * Kernel device names of a namespace: pfnN.M for fsdax, daxN.M for devdax, N the libnvdimm region
 * (regions are numbered machine-wide in the order they are found, not per node) and M the
 * namespace's place in it.
 */
function namespaceDevName(mode: string, region: number, index: number): string {
  return `${mode === 'fsdax' ? 'pfn' : 'dax'}${region}.${index}`;
}

/**
 * Places namespaces in their node's pmem region like `ndctl create-namespace`: after the
 * previous one, or at an explicit start, which must lie inside the region.
 */
export function placeDevices(s: Scenario, nodes: NodeLayout[]): { devices: DeviceRuntime[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const devices: DeviceRuntime[] = [];
  const next = new Map<number, number>();
  const count = new Map<NodeLayout['pmem'][number], number>();
  const regionIds = new Map(nodes.flatMap((n) => n.pmem).map((r, id) => [r, id]));
  for (const spec of s.devices) {
    const node = nodes[spec.node];
    const err = (message: string, field?: string) =>
      problems.push({ code: 'scenario-schema', severity: 'error', message, span: (field && spec.fields[field]) || spec.span });
    if (!node) {
      err(`device '${spec.name}': node ${spec.node} does not exist (the machine has ${nodes.length})`, 'node');
      continue;
    }
    const base = { spec, devName: spec.name, state: 'idle' as const, heldRefs: [] };
    if (spec.kind === 'pgmap') {
      devices.push({ ...base, placed: spec.ranges.map((r) => ({ start: r.start, end: r.start + r.size })) });
      continue;
    }
    const region = spec.start !== undefined
      ? node.pmem.find((r) => spec.start! >= r.start && spec.start! < r.end)
      : node.pmem[0];
    if (!region) {
      err(spec.start !== undefined
        ? `device '${spec.name}': start ${hex(spec.start)} is not inside node ${spec.node}'s pmem`
        : s.machine.pmem
          ? `device '${spec.name}': machine.pmem lists no region on node ${spec.node} (the list replaces the nodes' 'pmem:')`
          : `device '${spec.name}': node ${spec.node} has no pmem region (give the node 'pmem:' or list machine.pmem)`, spec.start !== undefined ? 'start' : 'node');
      continue;
    }
    const start = spec.start ?? next.get(spec.node) ?? region.start;
    const size = spec.size ?? region.end - start;
    if (start + size > region.end || size <= 0) {
      err(`device '${spec.name}': ${formatSize(size)} at ${hex(start)} does not fit in node ${spec.node}'s pmem region ${hex(region.start)}-${hex(region.end - 1)}`, 'size');
      continue;
    }
    next.set(spec.node, start + size);
    const index = count.get(region) ?? 0;
    count.set(region, index + 1);
    devices.push({ ...base, devName: namespaceDevName(spec.mode, regionIds.get(region)!, index), placed: [{ start, end: start + size }] });
  }
  return { devices, problems };
}

/** Devices (and RAM hot-adds) whose byte ranges overlap: the range-overlap rule's input. */
export function overlaps(devices: DeviceRuntime[]): [DeviceRuntime, DeviceRuntime][] {
  const out: [DeviceRuntime, DeviceRuntime][] = [];
  for (let i = 0; i < devices.length; i++) {
    for (let j = i + 1; j < devices.length; j++) {
      const hit = devices[i].placed.some((a) => devices[j].placed.some((b) => a.start < b.end && b.start < a.end));
      if (hit) out.push([devices[i], devices[j]]);
    }
  }
  return out;
}
