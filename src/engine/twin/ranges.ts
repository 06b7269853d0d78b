import { alignDown, alignUp } from '../units';
import type { NodeRange } from './dmesg';
import type { Origin, SourcedRange } from './source';

/** A range of the machine, on a node, with the line it came from and the line that names its node (none: a default). */
export interface Placed extends SourcedRange {
  node: number;
  nodeFrom?: Origin;
  /** No input names its node and the user gave it (TwinAnswers.node). */
  nodeGiven?: boolean;
}

/**
 * Whole pages only, as memblock keeps them: e820__memblock_setup() adds the firmware's ranges
 * and free_area_init() counts PFN_UP(start)..PFN_DOWN(end); /proc/iomem shows the byte ranges.
 */
export function wholePages<T extends SourcedRange>(ranges: T[], page: number): T[] {
  return ranges
    .map((r) => ({ ...r, start: alignUp(r.start, page), end: alignDown(r.end, page) }))
    .filter((r) => r.end > r.start);
}

/**
 * Each range cut where the node spans say it changes node; a part no span covers goes to node 0
 * with no line for its node (the caller says it is a default).
 */
export function splitByNode(ranges: SourcedRange[], spans: NodeRange[]): Placed[] {
  const out: Placed[] = [];
  for (const r of ranges) {
    const cuts = [
      ...new Set([
        r.start,
        r.end,
        ...spans.flatMap((s) => [s.start, s.end]).filter((x) => x > r.start && x < r.end),
      ]),
    ].sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const span = spans.find((s) => s.start <= cuts[i] && cuts[i + 1] <= s.end);
      const last = out.at(-1);
      if (
        last &&
        last.end === cuts[i] &&
        last.from === r.from &&
        last.node === (span?.node ?? 0) &&
        last.nodeFrom === span?.from
      )
        last.end = cuts[i + 1];
      else
        out.push({
          start: cuts[i],
          end: cuts[i + 1],
          from: r.from,
          node: span?.node ?? 0,
          nodeFrom: span?.from,
        });
    }
  }
  return out;
}

/** Sorted, overlapping and touching ranges joined. */
export function union(ranges: { start: number; end: number }[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    const last = out.at(-1);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ start: r.start, end: r.end });
  }
  return out;
}

export function covered(
  r: { start: number; end: number },
  by: { start: number; end: number }[],
): boolean {
  return union(by).some((u) => u.start <= r.start && r.end <= u.end);
}

export function overlapping<T extends SourcedRange>(
  r: { start: number; end: number },
  among: T[],
): T[] {
  return among.filter((o) => o.start < r.end && r.start < o.end);
}
