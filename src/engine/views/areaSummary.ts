import type { TimelineModel } from './timelineModel';
import { firstAbove, type TimelineRow } from './timelineLod';

/** One function's share of a selected area of the timeline. */
export interface AreaRow {
  name: string;
  /** Spans of the function that overlap the area. */
  count: number;
  /** Their time inside the area. */
  totalNs: number;
  /** That time minus the time of the calls nested in them (inside the area too). */
  selfNs: number;
}

/**
 * What a dragged area of the timeline (some lanes, a time range) spent, per function, as
 * Perfetto's area selection sums slices: count, total and self time, clipped to the area. A
 * nested span's parent is the last span one row up that starts no later, so the work is the
 * spans in the area times a binary search.
 */
export function summarizeArea(
  model: TimelineModel,
  rows: TimelineRow[],
  lanes: ReadonlySet<number>,
  t0: number,
  t1: number,
): AreaRow[] {
  const { start, end, name } = model.spans;
  const inside = (i: number) => Math.max(0, Math.min(end[i], t1) - Math.max(start[i], t0));
  const rowAt = new Map(rows.map((r) => [`${r.lane}:${r.depth}`, r]));
  const self = new Map<number, number>();
  const picked: number[] = [];
  for (const row of rows) {
    if (!lanes.has(row.lane)) continue;
    for (let k = firstAbove(row.maxEnd, t0); k < row.spans.length && row.start[k] < t1; k++) {
      const i = row.spans[k];
      if (end[i] <= t0) continue;
      picked.push(i);
      self.set(i, (self.get(i) ?? 0) + inside(i));
      const up = rowAt.get(`${row.lane}:${row.depth - 1}`);
      const p = up ? up.spans[firstAbove(up.start, start[i]) - 1] : undefined;
      if (p !== undefined && end[p] >= end[i]) self.set(p, (self.get(p) ?? 0) - inside(i));
    }
  }
  const by = new Map<number, AreaRow>();
  for (const i of picked) {
    const r = by.get(name[i]) ?? { name: model.names[name[i]], count: 0, totalNs: 0, selfNs: 0 };
    r.count++;
    r.totalNs += inside(i);
    r.selfNs += self.get(i) ?? 0;
    by.set(name[i], r);
  }
  return [...by.values()].sort((a, b) => b.selfNs - a.selfNs || a.name.localeCompare(b.name));
}
