import { RangeMap } from './rangeMap';

/** One recorded change of a range-compressed store. */
export interface Change<T> {
  step: number;
  t: number;
  start: number;
  end: number;
  /** The kernel function that made it, as the inspector shows it. */
  by: string;
  apply: (old: T | undefined) => T | undefined;
}

/**
 * A RangeMap that also logs every change, so the state of any one key at any step can be
 * recomputed by replaying only the changes that cover it (the inspector's history scrubber),
 * without snapshots and without per-page work.
 */
export class LoggedRangeMap<T> {
  readonly current: RangeMap<T>;
  readonly log: Change<T>[] = [];

  constructor(same: (a: T, b: T) => boolean) {
    this.current = new RangeMap<T>(same);
  }

  change(c: Change<T>): void {
    this.log.push(c);
    this.current.update(c.start, c.end, (old) => c.apply(old));
  }

  get(key: number): T | undefined {
    return this.current.get(key);
  }

  /** The value of `key` after each change that touched it, in order. */
  history(key: number): { step: number; t: number; by: string; value: T | undefined }[] {
    const out: { step: number; t: number; by: string; value: T | undefined }[] = [];
    let value: T | undefined;
    for (const c of this.log) {
      if (key < c.start || key >= c.end) continue;
      value = c.apply(value);
      out.push({ step: c.step, t: c.t, by: c.by, value });
    }
    return out;
  }

  /** The value of `key` once every change of steps up to and including `step` is applied. */
  at(key: number, step: number): T | undefined {
    let value: T | undefined;
    for (const c of this.log)
      if (c.step <= step && key >= c.start && key < c.end) value = c.apply(value);
    return value;
  }
}
