import type { TimelineModel } from './timelineModel';

/** One (lane, depth) row of spans, in time order, ready for binary search. */
export interface TimelineRow {
  lane: number;
  depth: number;
  /** Indices into the model's span columns. */
  spans: Int32Array;
  start: Float64Array;
  /** Running maximum of the ends: non-decreasing even if an imported trace overlaps spans. */
  maxEnd: Float64Array;
}

/** What to draw for one row in the visible window: a span, or a bucket of spans too narrow to see. */
export interface LodItem {
  row: number;
  /** Pixels from the window's left edge. */
  x0: number;
  x1: number;
  /** The span (first span of a bucket). */
  span: number;
  /** The last span of a bucket (the span itself otherwise). */
  last: number;
  /** 1 for a span; more for a bucket. */
  count: number;
}

/**
 * Groups the spans into rows. The model's spans are sorted by (lane, depth, start), so this is
 * one pass, and each row's spans are consecutive indices (a search tests a bucket by counting).
 */
export function indexTimeline(model: TimelineModel): TimelineRow[] {
  const { lane, depth, start, end } = model.spans;
  const rows: TimelineRow[] = [];
  let i = 0;
  while (i < lane.length) {
    let j = i;
    while (j < lane.length && lane[j] === lane[i] && depth[j] === depth[i]) j++;
    const row: TimelineRow = {
      lane: lane[i],
      depth: depth[i],
      spans: Int32Array.from({ length: j - i }, (_, n) => i + n),
      start: Float64Array.from({ length: j - i }, (_, n) => start[i + n]),
      maxEnd: new Float64Array(j - i),
    };
    let m = -Infinity;
    for (let n = 0; n < j - i; n++) row.maxEnd[n] = m = Math.max(m, end[i + n]);
    rows.push(row);
    i = j;
  }
  return rows;
}

/** First index in [from, arr.length) whose value is > t (arr non-decreasing). */
export function firstAbove(arr: Float64Array, t: number, from = 0): number {
  let lo = from;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Level of detail for a window [t0, t1) drawn `width` pixels wide: spans at least a pixel wide
 * are drawn as they are; runs of narrower spans that fit inside one pixel column become one
 * bucket. Each row costs O(items drawn × log spans), so a row of 100k spans zoomed out costs
 * about two items per pixel, not 100k.
 */
export function levelOfDetail(
  model: TimelineModel,
  rows: TimelineRow[],
  t0: number,
  t1: number,
  width: number,
): LodItem[] {
  const items: LodItem[] = [];
  if (t1 <= t0 || width <= 0) return items;
  const scale = width / (t1 - t0);
  const end = model.spans.end;
  rows.forEach((row, r) => {
    let i = firstAbove(row.maxEnd, t0);
    while (i < row.spans.length && row.start[i] < t1) {
      const span = row.spans[i];
      const x0 = (row.start[i] - t0) * scale;
      const x1 = (end[span] - t0) * scale;
      if (x1 - x0 >= 1) {
        items.push({ row: r, x0, x1, span, last: span, count: 1 });
        i++;
        continue;
      }
      // Every following span that also ends inside this pixel column joins the bucket.
      const columnEnd = t0 + (Math.floor(x0) + 1) / scale;
      const j = Math.max(i + 1, firstAbove(row.maxEnd, columnEnd, i));
      const last = row.spans[j - 1];
      items.push({
        row: r,
        x0,
        x1: Math.max((end[last] - t0) * scale, x0 + 1),
        span,
        last,
        count: j - i,
      });
      i = j;
    }
  });
  return items;
}

/**
 * The spans of the rows that overlap [t0, t1), earliest first, at most `limit` of them: the
 * timeline's table alternative lists what the canvas shows. `total` counts them all.
 */
export function spansInWindow(
  rows: TimelineRow[],
  t0: number,
  t1: number,
  limit: number,
): { spans: number[]; total: number } {
  const found: { span: number; start: number }[] = [];
  let total = 0;
  for (const row of rows) {
    const first = firstAbove(row.maxEnd, t0);
    let i = first;
    // Each row's earliest `limit` spans are enough to find the earliest `limit` overall.
    for (; i < row.spans.length && row.start[i] < t1; i++)
      if (i - first < limit) found.push({ span: row.spans[i], start: row.start[i] });
    total += i - first;
  }
  found.sort((a, b) => a.start - b.start || a.span - b.span);
  return { spans: found.slice(0, limit).map((f) => f.span), total };
}
