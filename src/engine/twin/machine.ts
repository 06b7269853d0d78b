import { alignUp, GiB, hex } from '../units';
import type { DmesgFacts } from './dmesg';
import type { IomemFacts } from './iomem';
import type { MemoryBlockFacts } from './memoryBlocks';
import type { NdctlFacts } from './ndctl';
import { covered, overlapping, splitByNode, union, wholePages, type Placed } from './ranges';
import type { Origin, SourcedRange, TwinWarning } from './source';

/** A pmem region and, when no input gives its address, the reason it was placed by default. */
export interface PmemRegion extends Placed {
  defaultAddress?: string;
}

/**
 * Boot RAM per node: memblock's node ranges when the log has them; else the firmware's usable
 * ranges (the boot log's e820, else /proc/iomem's System RAM) cut by the node spans (the log's,
 * else the nodes lsmem or sysfs give the memory blocks). /proc/iomem is checked against the
 * log: RAM one lists and the other not is a warning with both lines.
 */
export function bootRam(
  d: DmesgFacts | undefined,
  io: IomemFacts | undefined,
  blocks: MemoryBlockFacts | undefined,
  page: number,
  warnings: TwinWarning[],
): Placed[] {
  const blockSpans = (blocks?.ranges ?? []).flatMap((b) =>
    b.node === undefined ? [] : [{ ...b, node: b.node }],
  );
  const spans = d?.nodeSpans.length ? d.nodeSpans : blockSpans;
  let ram: Placed[];
  if (d?.memblock.length) ram = d.memblock.map((r) => ({ ...r, nodeFrom: r.from }));
  else if (d?.e820Ram.length) ram = splitByNode(wholePages(d.e820Ram, page), spans);
  else ram = splitByNode(wholePages(io?.ram ?? [], page), spans);
  if (d && io && (d.memblock.length || d.e820Ram.length)) {
    const logRam: SourcedRange[] = ram;
    const ioRam = wholePages(io.ram, page);
    for (const r of ioRam.filter((r) => !covered(r, logRam))) {
      warnings.push({
        message: `/proc/iomem lists System RAM ${span(r)} that the boot log's RAM does not cover (hot-added after boot, or another boot's log?); the scenario boots with the log's RAM`,
        lines: [r.from, ...against(r, logRam)],
      });
    }
    for (const r of logRam.filter((r) => !covered(r, ioRam))) {
      warnings.push({
        message: `the boot log has RAM ${span(r)} that /proc/iomem's System RAM does not cover (removed since boot, or another machine's iomem?)`,
        lines: [r.from, ...against(r, ioRam)],
      });
    }
  }
  return ram;
}

/**
 * The pmem regions: /proc/iomem's "Persistent Memory" resources, else the e820 persistent ranges,
 * else SRAT's non-volatile ranges; on the node SRAT gives, else the node ndctl lists for a
 * region of that size. Other inputs that disagree are warnings.
 */
export function pmemRegions(
  d: DmesgFacts | undefined,
  io: IomemFacts | undefined,
  nd: NdctlFacts | undefined,
  ramEnd: number,
  warnings: TwinWarning[],
): PmemRegion[] {
  const candidates: [string, SourcedRange[]][] = [
    ['/proc/iomem', io?.pmem ?? []],
    ['the e820 map', d?.e820Pmem ?? []],
    ["SRAT's non-volatile ranges", d?.sratPmem ?? []],
  ];
  const chosen = candidates.find(([, list]) => list.length > 0);
  const regions: PmemRegion[] = (chosen?.[1] ?? []).map((r) => ({ ...r, ...pmemNode(r, d, nd) }));
  for (const [what, list] of candidates) {
    if (!chosen || what === chosen[0]) continue;
    for (const r of list) {
      if (regions.some((p) => p.start === r.start && p.end === r.end)) continue;
      const other = overlapping(r, regions);
      warnings.push({
        message: `${what} has persistent memory ${span(r)}, ${other.length ? `but ${chosen[0]} says ${other.map(span).join(', ')}` : `which ${chosen[0]} does not list`}; the scenario follows ${chosen[0]}`,
        lines: [r.from, ...against(r, regions)],
      });
    }
  }
  const found = [...regions];
  let cursor = alignUp(ramEnd, GiB);
  for (const region of nd?.regions ?? []) {
    if (region.size === undefined) continue;
    if (found.length > 0) {
      if (!found.some((p) => p.end - p.start === region.size)) {
        warnings.push({
          message: `ndctl lists ${region.dev} of ${hex(region.size)} bytes, and no persistent memory range of the other inputs has that size`,
          lines: [region.from, ...found.map((p) => p.from)],
        });
      }
      continue;
    }
    // No input gives where the region sits: after the RAM, from the next GiB (run/layout.ts's auto layout).
    regions.push({
      start: cursor,
      end: cursor + region.size,
      from: region.from,
      node: region.node ?? 0,
      nodeFrom: region.node === undefined ? undefined : region.from,
      defaultAddress:
        'no input gives its address (give /proc/iomem): placed after the RAM from the next GiB (default)',
    });
    cursor = alignUp(cursor + region.size, GiB);
  }
  return regions;
}

/** SRAT's node for a pmem range, else the node of the one ndctl region of that size. */
function pmemNode(
  r: SourcedRange,
  d: DmesgFacts | undefined,
  nd: NdctlFacts | undefined,
): { node: number; nodeFrom?: Origin } {
  const srat = overlapping(r, d?.sratPmem ?? [])[0];
  if (srat) return { node: srat.node, nodeFrom: srat.from };
  const sized = (nd?.regions ?? []).filter(
    (g) => g.size === r.end - r.start && g.node !== undefined,
  );
  if (sized.length === 1) return { node: sized[0].node!, nodeFrom: sized[0].from };
  return { node: 0 };
}

/** The other input's lines to show beside a range it lacks: those that overlap it, else the nearest one. */
function against(r: { start: number; end: number }, other: SourcedRange[]): Origin[] {
  const over = overlapping(r, other);
  if (over.length || other.length === 0) return over.map((o) => o.from);
  const gap = (o: SourcedRange) => (o.end <= r.start ? r.start - o.end : o.start - r.end);
  return [other.reduce((a, b) => (gap(b) < gap(a) ? b : a)).from];
}

export function span(r: { start: number; end: number }): string {
  return `${hex(r.start)}-${hex(r.end - 1)}`;
}

/** The end of the highest RAM range (0 without RAM). */
export function ramEnd(ram: { end: number }[]): number {
  return union(ram.map((r) => ({ start: 0, end: r.end }))).at(-1)?.end ?? 0;
}
