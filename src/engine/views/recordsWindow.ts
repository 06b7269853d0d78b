import type { Trace } from '../trace/model';

/** The smallest margin around a log's events: one line alone still opens readable. */
const MIN_PAD_NS = 1e6;

/**
 * Where an imported log's events are: its spans, lock events and the messages it printed a time
 * for, with a 5% margin. A dmesg excerpt from 303 s after boot, or a boot log whose only spans
 * are 30 ms long, would otherwise be a sliver of a timeline from 0. A message the log printed no
 * time for (one before the first stamped line sits near 0) counts only when none printed one
 * (ftrace's events, an unstamped excerpt). Undefined when the log has no events at all.
 */
export function recordsWindow(trace: Trace): [number, number] | undefined {
  let start = Infinity;
  let end = -Infinity;
  const cover = (a: number, b: number) => {
    start = Math.min(start, a);
    end = Math.max(end, b);
  };
  for (const s of trace.spans) cover(s.start, s.end);
  for (const l of trace.locks) cover(l.requested, l.released ?? l.acquired ?? l.requested);
  const timed = trace.instants.some((i) => i.printed);
  for (const i of trace.instants) if (i.printed || !timed) cover(i.t, i.t);
  if (start > end) return undefined;
  const pad = Math.max((end - start) * 0.05, MIN_PAD_NS);
  return [Math.max(0, start - pad), end + pad];
}
