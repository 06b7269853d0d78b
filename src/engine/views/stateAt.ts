import type { LoggedRangeMap } from '../state/history';
import { RangeMap, type Run } from '../state/rangeMap';

/**
 * The runs of a logged store inside [start, end) once every change of steps up to `afterStep`
 * is applied (undefined: the end of the run). Replays only the changes that touch the window,
 * so the inspector's step scrubber costs operations, not pages.
 */
export function runsAt<T>(
  store: LoggedRangeMap<T>,
  afterStep: number | undefined,
  start: number,
  end: number,
): Run<T>[] {
  if (afterStep === undefined) return [...store.current.overlapping(start, end)];
  const map = new RangeMap<T>();
  for (const c of store.log) {
    if (c.step > afterStep || c.end <= start || c.start >= end) continue;
    map.update(Math.max(c.start, start), Math.min(c.end, end), (old) => c.apply(old));
  }
  return [...map.all()];
}
