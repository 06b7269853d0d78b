import { hex } from '../units';
import type { DaxctlFacts, DaxDevice } from './daxctl';
import type { BlockRange, MemoryBlockFacts } from './memoryBlocks';
import type { NdctlFacts, NdctlNamespace } from './ndctl';
import { overlapping } from './ranges';
import { cite, type Origin, type TwinWarning } from './source';

/** A step of the generated scenario after the probe, and why it is there. */
export interface TwinStep {
  yaml: string;
  why: string;
}

/**
 * The devdax namespaces whose device-dax instance is bound to kmem ("mode":"system-ram"), as
 * `reconfigure` steps: online as the memory blocks show (none, ZONE_MOVABLE or ZONE_NORMAL).
 * The instance comes from `daxctl list`, else from ndctl's nested "daxregion". Each listing that
 * disagrees with ndctl's namespace (node, align, size, mode) is a warning with both lines.
 */
export function kmemSteps(
  nd: NdctlFacts | undefined,
  dax: DaxctlFacts | undefined,
  blocks: MemoryBlockFacts | undefined,
  warnings: TwinWarning[],
): TwinStep[] {
  const used = new Set<DaxDevice>();
  const steps: TwinStep[] = [];
  for (const ns of (nd?.namespaces ?? []).filter((n) => n.mode === 'devdax')) {
    const { device, matchedBy } = daxOf(ns, dax);
    if (device && device !== ns.dax) used.add(device);
    if (
      device &&
      ns.dax &&
      device !== ns.dax &&
      device.mode !== ns.dax.mode &&
      device.mode &&
      ns.dax.mode
    ) {
      warnings.push({
        message: `${device.chardev}: daxctl says mode ${device.mode}, ndctl's listing says ${ns.dax.mode} (taken at different times?); the scenario follows daxctl`,
        lines: [device.fields.mode ?? device.from, ns.dax.fields.mode ?? ns.dax.from],
      });
    }
    const d = device ?? ns.dax;
    if (!d) continue;
    disagreements(ns, d, warnings);
    if (d.mode !== 'system-ram') continue;
    const online = onlineAs(d, blocks, warnings);
    const how = matchedBy ? `; ${matchedBy}` : '';
    steps.push({
      yaml: `reconfigure: { device: ${ns.dev}, mode: system-ram, online: ${online.value} }`,
      why: `${cite(d.fields.mode ?? d.from)} "mode":"system-ram"${how}; online: ${online.why}`,
    });
  }
  for (const d of dax?.devices ?? []) {
    if (used.has(d)) continue;
    const where = d.regionPath ? ` (region ${d.regionPath})` : '';
    warnings.push({
      message: `${d.chardev}${where}: no fsdax/devdax namespace the inputs list holds it (a soft-reserved/hmem or CXL range, or ndctl list not given): the scenario leaves it out`,
      lines: [d.from],
    });
  }
  return steps;
}

/** The namespace's dax device in daxctl's list: by the chardev ndctl names, else the same X.Y. */
function daxOf(
  ns: NdctlNamespace,
  dax: DaxctlFacts | undefined,
): { device?: DaxDevice; matchedBy?: string } {
  const name = ns.chardev ?? ns.dax?.chardev;
  if (name) return { device: dax?.devices.find((d) => d.chardev === name) };
  const id = /^namespace(\d+\.\d+)$/.exec(ns.dev)?.[1];
  const device = id ? dax?.devices.find((d) => d.chardev === `dax${id}`) : undefined;
  // drivers/dax/pmem.c __dax_pmem_probe() names the device dax<region id>.<namespace id>.
  return device
    ? {
        device,
        matchedBy: `dax${id} of ${ns.dev} by its region and namespace numbers (ndctl names no chardev)`,
      }
    : {};
}

function disagreements(ns: NdctlNamespace, d: DaxDevice, warnings: TwinWarning[]): void {
  const pairs: [
    string,
    number | undefined,
    number | undefined,
    Origin | undefined,
    Origin | undefined,
  ][] = [
    ['node', d.node, ns.node, d.fields.node, ns.fields.node],
    ['align', d.align, ns.align, d.fields.align, ns.fields.align],
    ['size', d.size, ns.size, d.fields.size, ns.fields.size],
  ];
  for (const [what, a, b, la, lb] of pairs) {
    if (a === undefined || b === undefined || a === b) continue;
    const show = (v: number) => (what === 'node' ? String(v) : hex(v));
    warnings.push({
      message: `${ns.dev}: its device ${d.chardev} has ${what} ${show(a)}, ndctl lists ${show(b)}; the scenario follows ndctl`,
      lines: [la ?? d.from, lb ?? ns.from],
    });
  }
}

/** How kmem's blocks were onlined: none (0 online), else the zone their listing shows, else daxctl's default. */
function onlineAs(
  d: DaxDevice,
  blocks: MemoryBlockFacts | undefined,
  warnings: TwinWarning[],
): { value: 'none' | 'movable' | 'normal'; why: string } {
  if (d.onlineBlocks !== undefined && d.totalBlocks !== undefined) {
    if (d.onlineBlocks === 0)
      return {
        value: 'none',
        why: `${cite(d.fields.blocks!)} 0 of ${d.totalBlocks} blocks online`,
      };
    if (d.onlineBlocks < d.totalBlocks) {
      warnings.push({
        message: `${d.chardev}: ${d.onlineBlocks} of ${d.totalBlocks} memory blocks online; the scenario onlines them all`,
        lines: [d.fields.blocks!],
      });
    }
  }
  const online: BlockRange[] = d.mappings
    .flatMap((m) => overlapping(m, blocks?.ranges ?? []))
    .filter((b) => b.state === 'online');
  const zone = online.find((b) => /^(Movable|Normal)$/.test(b.zones ?? ''));
  if (zone)
    return {
      value: zone.zones === 'Movable' ? 'movable' : 'normal',
      why: `${cite(zone.zonesFrom ?? zone.from)} zone ${zone.zones}`,
    };
  if (d.mappings.length && blocks && online.length === 0 && d.onlineBlocks === undefined) {
    return {
      value: 'none',
      why: `no block of ${cite(d.mappings[0].from)}'s range is online in ${blocks.ranges[0]?.from.file ?? 'the block listing'}`,
    };
  }
  if (d.movable !== undefined)
    return {
      value: d.movable ? 'movable' : 'normal',
      why: `${cite(d.fields.movable!)} "movable":${d.movable}`,
    };
  return {
    value: 'movable',
    why: 'default: no input shows the zone; daxctl reconfigure-device onlines to ZONE_MOVABLE unless --no-movable',
  };
}
