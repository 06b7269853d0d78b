import type { CounterSample, DmesgLine, Instant, LockEvent, LockMode, SpanArgs } from './model';
import type { SpanCategory, Trace, TraceSpan, TraceThread } from './model';

/**
 * Collects a run's trace as it happens. Spans nest per thread; the virtual clock is read through
 * `now`, set by the scheduler, so kernel paths never pass times around.
 */
export class Recorder {
  private readonly threads: TraceThread[] = [];
  private readonly spans: TraceSpan[] = [];
  private readonly locks: LockEvent[] = [];
  private readonly counters: CounterSample[] = [];
  private readonly counterValues = new Map<string, number>();
  private readonly counterPeaks = new Map<string, number>();
  private readonly instants: Instant[] = [];
  private readonly dmesg: DmesgLine[] = [];
  private readonly open = new Map<number, number[]>();

  /** `dyndbg`: pr_debug lines print, as when the kernel boots with `dyndbg="… +p"`. */
  constructor(
    private readonly clock: { now: number },
    private readonly dyndbg = false,
  ) {}

  thread(name: string, node?: number): number {
    const id = this.threads.length;
    this.threads.push({ id, name, node });
    return id;
  }

  begin(thread: number, name: string, category: SpanCategory, args: SpanArgs = {}): number {
    const stack = this.open.get(thread) ?? [];
    const parent = stack[stack.length - 1];
    const id = this.spans.length;
    const now = this.clock.now;
    const depth = stack.length;
    this.spans.push({ id, thread, name, category, start: now, end: now, depth, parent, args });
    stack.push(id);
    this.open.set(thread, stack);
    return id;
  }

  end(id: number, extra?: SpanArgs): void {
    const span = this.spans[id];
    span.end = this.clock.now;
    if (extra) Object.assign(span.args, extra);
    const stack = this.open.get(span.thread)!;
    stack.splice(stack.lastIndexOf(id), 1);
  }

  /** Names of a thread's open spans, outermost first. */
  /** The functions a thread is in, outermost first; inlined ones have no frame of their own. */
  openSpans(thread: number): string[] {
    return (this.open.get(thread) ?? [])
      .filter((id) => !this.spans[id].args.inlined)
      .map((id) => this.spans[id].name);
  }

  /** Adds cost terms to the innermost open span of a thread. */
  annotate(id: number, args: SpanArgs): void {
    const span = this.spans[id];
    for (const [k, v] of Object.entries(args)) {
      if (k === 'cost')
        span.args.cost = [...(span.args.cost ?? []), ...(v as NonNullable<SpanArgs['cost']>)];
      else span.args[k] = v;
    }
  }

  lockRequested(
    lock: string,
    mode: LockMode,
    thread: number,
    t: number,
    range?: [number, number],
  ): number {
    this.locks.push({ lock, mode, thread, requested: t, range });
    return this.locks.length - 1;
  }

  lockAcquired(event: number, t: number, contended: boolean): void {
    this.locks[event].acquired = t;
    this.locks[event].contended = contended;
  }

  lockReleased(event: number, t: number): void {
    this.locks[event].released = t;
  }

  /** Adds to a running counter (pages initialised, vmemmap pages, refcounts) and samples it. */
  count(name: string, delta: number): void {
    const value = (this.counterValues.get(name) ?? 0) + delta;
    this.counterValues.set(name, value);
    this.counterPeaks.set(name, Math.max(this.counterPeaks.get(name) ?? 0, value));
    this.counters.push({ name, t: this.clock.now, value });
  }

  /** Highest value each counter reached. */
  peaks(): Map<string, number> {
    return this.counterPeaks;
  }

  /** A kernel message: goes to the run's dmesg and, for WARN/BUG/info events, the instants. */
  printk(instant: Omit<Instant, 't'>, t = this.clock.now): void {
    this.instants.push({ ...instant, t });
    // pr_debug lines reach the log only when dynamic debug enables them.
    if (instant.level !== 'debug' || this.dyndbg)
      for (const text of instant.lines ?? [instant.text]) this.dmesg.push({ t, text });
  }

  /** An event the kernel does not print (a WARN_ONCE that fired already): instants only, never dmesg. */
  note(instant: Omit<Instant, 't'>, t = this.clock.now): void {
    this.instants.push({ ...instant, t });
  }

  trace(): Trace {
    let endNs = this.clock.now;
    for (const s of this.spans) endNs = Math.max(endNs, s.end);
    // Spans still open (a thread blocked forever) end where the run ends.
    for (const stack of this.open.values()) for (const id of stack) this.spans[id].end = endNs;
    return {
      source: 'emulated',
      threads: this.threads,
      spans: this.spans,
      locks: this.locks,
      counters: this.counters,
      instants: this.instants,
      dmesg: this.dmesg,
      endNs,
    };
  }
}
