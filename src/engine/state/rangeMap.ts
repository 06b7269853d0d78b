/** One run of equal values over [start, end). */
export interface Run<T> {
  start: number;
  end: number;
  value: T;
}

/**
 * Sorted, non-overlapping runs of values over integer keys (pfns, section numbers): the
 * range-compressed store that keeps work proportional to operations, never to pages.
 */
export class RangeMap<T> {
  private runs: Run<T>[] = [];

  constructor(private readonly same: (a: T, b: T) => boolean = Object.is) {}

  get size(): number {
    return this.runs.length;
  }

  get(key: number): T | undefined {
    const i = this.indexAtOrAfter(key);
    const run = this.runs[i];
    return run && run.start <= key && key < run.end ? run.value : undefined;
  }

  /** The runs overlapping [start, end), clipped to it. */
  *overlapping(start: number, end: number): Generator<Run<T>> {
    for (
      let i = this.indexAtOrAfter(start);
      i < this.runs.length && this.runs[i].start < end;
      i++
    ) {
      const r = this.runs[i];
      yield { start: Math.max(r.start, start), end: Math.min(r.end, end), value: r.value };
    }
  }

  all(): readonly Run<T>[] {
    return this.runs;
  }

  /**
   * Rewrites [start, end): `fn` gets each existing run (clipped) or undefined for gaps, and
   * returns the new value, or undefined to clear. Equal neighbours are merged afterwards.
   */
  update(
    start: number,
    end: number,
    fn: (old: T | undefined, start: number, end: number) => T | undefined,
  ): void {
    if (end <= start) return;
    const first = this.indexAtOrAfter(start);
    let last = first;
    while (last < this.runs.length && this.runs[last].start < end) last++;
    const replaced = this.runs.slice(first, last);
    const out: Run<T>[] = [];
    const push = (s: number, e: number, v: T | undefined) => {
      if (v !== undefined && e > s) out.push({ start: s, end: e, value: v });
    };
    const head = replaced[0];
    if (head && head.start < start) push(head.start, start, head.value);
    let cursor = start;
    for (const r of replaced) {
      const s = Math.max(r.start, start);
      const e = Math.min(r.end, end);
      if (cursor < s) push(cursor, s, fn(undefined, cursor, s));
      push(s, e, fn(r.value, s, e));
      cursor = e;
    }
    if (cursor < end) push(cursor, end, fn(undefined, cursor, end));
    const tail = replaced[replaced.length - 1];
    if (tail && tail.end > end) push(end, tail.end, tail.value);
    this.runs.splice(first, last - first, ...out);
    this.merge(Math.max(0, first - 1), first + out.length + 1);
  }

  set(start: number, end: number, value: T | undefined): void {
    this.update(start, end, () => value);
  }

  private merge(from: number, to: number): void {
    for (let i = Math.min(to, this.runs.length - 1); i > from; i--) {
      const a = this.runs[i - 1];
      const b = this.runs[i];
      if (a.end === b.start && this.same(a.value, b.value)) {
        a.end = b.end;
        this.runs.splice(i, 1);
      }
    }
  }

  /** Index of the first run whose end is after key. */
  private indexAtOrAfter(key: number): number {
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.runs[mid].end <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
