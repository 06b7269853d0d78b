import { hex } from '../units';
import type { IomemFacts } from './iomem';
import type { PmemRegion } from './machine';
import type { NdctlFacts } from './ndctl';
import { capacityOf, rawNamespaceSize, REGION_ALIGN } from './rawSize';
import type { Origin, TwinWarning } from './source';

/** A field of a generated device: its YAML value and why it has it. */
export interface DeviceField {
  key: string;
  value: string;
  why: string;
}

/** One namespace of the scenario: its name and fields, each explained. */
export interface TwinDevice {
  name: string;
  /** ndctl's line that names it. */
  from: Origin;
  fields: DeviceField[];
}

const at = (o: Origin) => `${o.file}:${o.line}`;

/**
 * The fsdax and devdax namespaces ndctl lists, as scenario devices: mode, map and align from
 * ndctl; start and the raw size from /proc/iomem's namespace resource, else the size whose layout
 * gives ndctl's capacity (rawSize.ts) at the next free place of the region; the node of the pmem
 * region that holds it.
 */
export function twinDevices(
  nd: NdctlFacts,
  io: IomemFacts | undefined,
  regions: PmemRegion[],
  kernel: string,
  arch: string,
  warnings: TwinWarning[],
): TwinDevice[] {
  const next = new Map<PmemRegion, number>();
  for (const s of nd.skipped)
    warnings.push({
      message: `${s.dev} is a ${s.mode} namespace: it has no pgmap, so the scenario leaves it out`,
      lines: [s.from],
    });
  return nd.namespaces.map((ns) => {
    const res = io?.namespaces.find((r) => r.name === ns.dev);
    const fields: DeviceField[] = [];
    const put = (key: string, value: string, why: string) => fields.push({ key, value, why });
    const listed = { map: ns.map, align: ns.align, capacity: ns.size };
    const raw = res
      ? undefined
      : rawNamespaceSize(listed, kernel, arch, ns.regionAlign ?? REGION_ALIGN);
    let region: PmemRegion | undefined;
    if (res) {
      region = regions.find((r) => r.start <= res.start && res.end <= r.end);
      const laidOut = capacityOf(listed, res.start, res.end - res.start, kernel, arch);
      if (laidOut !== ns.size) {
        warnings.push({
          message: `${ns.dev}: ndctl lists a capacity of ${hex(ns.size)} bytes, but the ${hex(res.end - res.start)} bytes /proc/iomem gives it lay out to ${laidOut === undefined ? 'no device' : `${hex(laidOut)} bytes`} (mode, map or align differ?); the scenario follows /proc/iomem`,
          lines: [ns.fields.size ?? ns.from, res.from],
        });
      }
    } else region = regions.find((r) => ns.node === undefined || r.node === ns.node) ?? regions[0];
    const node = region?.node ?? ns.node ?? 0;
    const size = res ? res.end - res.start : (raw ?? ns.size);
    const start = res?.start ?? (region ? (next.get(region) ?? region.start) : undefined);
    if (region && start !== undefined) next.set(region, start + size);
    if (ns.node !== undefined && region && region.node !== ns.node) {
      warnings.push({
        message: `${ns.dev}: ndctl puts it on node ${ns.node}, the pmem region that holds it is on node ${region.node}; the scenario follows the region`,
        lines: [ns.fields.node ?? ns.from, ...(region.nodeFrom ? [region.nodeFrom] : [])],
      });
    }
    put(
      'node',
      String(node),
      region?.nodeFrom
        ? `node of its pmem region (${at(region.nodeFrom)})`
        : region?.nodeGiven
          ? 'node of its pmem region (given when the twin was built)'
          : ns.node !== undefined
            ? `${at(ns.fields.node ?? ns.from)}`
            : 'default: no input names its node',
    );
    put('mode', ns.mode, at(ns.fields.mode ?? ns.from));
    put(
      'map',
      ns.map,
      ns.fields.map
        ? at(ns.fields.map)
        : `default: ${at(ns.from)} lists no "map" (the memmap on the device)`,
    );
    if (res) {
      put('start', hex(res.start), at(res.from));
      put(
        'size',
        hex(res.end - res.start),
        res.dax ? `${at(res.from)} + ${at(res.dax.from)} (the dax device's part)` : at(res.from),
      );
    } else {
      if (start !== undefined)
        put(
          'start',
          hex(start),
          `default: ndctl list gives no address; after the previous namespace of the region, where ndctl create-namespace allocates (give /proc/iomem for the exact range)`,
        );
      put(
        'size',
        hex(size),
        raw !== undefined
          ? `derived: the raw size whose pfn layout leaves ${at(ns.fields.size ?? ns.from)}'s capacity of ${hex(ns.size)} bytes (give /proc/iomem for the exact range)`
          : `default: ${at(ns.fields.size ?? ns.from)}'s capacity, no raw size gives it (give /proc/iomem for the exact range)`,
      );
      if (raw === undefined)
        warnings.push({
          message: `${ns.dev}: no namespace size lays out to ndctl's capacity of ${hex(ns.size)} bytes on this kernel; the scenario uses the capacity as the size`,
          lines: [ns.fields.size ?? ns.from],
        });
    }
    put(
      'align',
      hex(ns.align),
      ns.fields.align ? at(ns.fields.align) : `default: ${at(ns.from)} lists no "align" (PMD size)`,
    );
    return { name: ns.dev, from: ns.from, fields };
  });
}
