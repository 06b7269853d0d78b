import type {
  CounterSample,
  DmesgLine,
  Instant,
  LockClassStat,
  LockEvent,
  SpanArgs,
  Trace,
  TraceSpan,
  TraceThread,
} from '../model';
import type { SpanCategory } from '../model';
import { formatPrinted } from '../printedTime';
import type { LogEvent } from './types';

/**
 * Builds the shared trace model from what an importer recognised: a thread per kernel thread
 * the log implies (probe/<device>, pgdatinit<N>, CPU n), spans for the measured init intervals,
 * instants for messages, and the raw lines (bounded) for the log view.
 */
/** Threads (and CPUs) kept: the scenario's own CPU limit; later ones share one track. */
const MAX_THREADS = 8192;
/** The one track that every thread past the cap shares. */
export const OVERFLOW_THREAD = 'other threads (past the 8192 kept)';

export class TraceBuilder {
  readonly threads: TraceThread[] = [];
  readonly spans: TraceSpan[] = [];
  readonly locks: LockEvent[] = [];
  readonly counters: CounterSample[] = [];
  readonly instants: Instant[] = [];
  readonly dmesg: DmesgLine[] = [];
  lockClasses?: LockClassStat[];
  droppedSpans = 0;
  droppedRaw = 0;
  /** Per-record state past its cap (threads, open calls, stack lines, lock classes, time jumps), counted. */
  droppedState = 0;
  private readonly byName = new Map<string, number>();
  private pagesInitialised = 0;
  private zoneDevices = 0;

  /** Characters the kept raw lines hold. */
  private rawChars = 0;

  constructor(
    private readonly maxSpans: number,
    private readonly maxRawLines: number,
    private readonly maxRawChars: number,
  ) {}

  /** Whether another record fits under the cap (spans, counters, instants and locks together). */
  room(pending = 0): boolean {
    const ok =
      this.spans.length +
        this.counters.length +
        this.instants.length +
        this.locks.length +
        pending <
      this.maxSpans;
    if (!ok) this.droppedSpans++;
    return ok;
  }

  thread(name: string, node?: number): number {
    let id = this.byName.get(name);
    if (id === undefined && this.threads.length >= MAX_THREADS && name !== OVERFLOW_THREAD) {
      this.droppedState++;
      return this.thread(OVERFLOW_THREAD);
    }
    if (id === undefined) {
      id = this.threads.length;
      this.threads.push({ id, name, node });
      this.byName.set(name, id);
    }
    return id;
  }

  span(
    thread: number,
    name: string,
    start: number,
    end: number,
    depth: number,
    parent: number | undefined,
    args: SpanArgs,
    category?: SpanCategory,
  ): number | undefined {
    if (!this.room()) return undefined;
    const id = this.spans.length;
    const span: TraceSpan = { id, thread, name, start, end, depth, parent, args };
    this.spans.push(category ? { ...span, category } : span);
    return id;
  }

  raw(t: number | undefined, text: string, prefix?: string): boolean {
    if (this.dmesg.length >= this.maxRawLines || this.rawChars + text.length > this.maxRawChars) {
      this.droppedRaw++;
      return false;
    }
    this.rawChars += text.length;
    // An imported line keeps its prefix even when empty: a continuation line printed no time.
    this.dmesg.push(prefix === undefined ? { t: t ?? 0, text } : { t: t ?? 0, text, prefix });
    return true;
  }

  /**
   * A dmesg event: init lines become spans ending when the kernel printed them (the kernel
   * measures from the loop's start to its print), every event an instant.
   */
  dmesgEvent(e: LogEvent, t: number, lineOrder: boolean): void {
    const f = e.fields;
    const instant: Instant = {
      t,
      level: e.level,
      text: e.text,
      fields: f,
      line: e.line,
      code: e.code,
      lines: e.lines,
    };
    if (e.printed) instant.printed = e.printed;
    if (e.kind === 'zone-device-init' || e.kind === 'deferred-init') {
      const dur = Number(f.ms) * 1e6;
      // The details pane shows the time the line printed beside the span's place on the axis.
      const printed = e.printed ? { 'printed at': formatPrinted(e.printed) } : {};
      // Without timestamps the lines only give an order: spans start where the line is.
      const [start, end] = lineOrder ? [t, t + dur] : [Math.max(0, t - dur), t];
      if (e.kind === 'zone-device-init') {
        const device =
          typeof f.device === 'string' ? f.device : `zone device ${++this.zoneDevices}`;
        const thread = this.thread(`probe/${device}`);
        this.span(thread, 'memmap_init_zone_device', start, end, 0, undefined, {
          device,
          pages: Number(f.pages),
          ms: Number(f.ms),
          ...printed,
        });
        this.pagesInitialised += Number(f.pages);
        this.counters.push({
          name: 'structPagesInitialised',
          t: end,
          value: this.pagesInitialised,
        });
        Object.assign(instant, { device, thread });
      } else {
        const node = Number(f.node);
        const thread = this.thread(`pgdatinit${node}`, node);
        this.span(thread, 'deferred_init_memmap', start, end, 0, undefined, {
          node,
          ...(f.pages !== undefined ? { pages: Number(f.pages) } : {}),
          ...printed,
        });
        Object.assign(instant, { node, thread });
      }
    }
    this.instants.push(instant);
  }

  build(source: Trace['source']): Trace {
    let endNs = 0;
    for (const s of this.spans) endNs = Math.max(endNs, s.end);
    for (const i of this.instants) endNs = Math.max(endNs, i.t);
    for (const l of this.dmesg) endNs = Math.max(endNs, l.t);
    for (const c of this.counters) endNs = Math.max(endNs, c.t);
    for (const l of this.locks) endNs = Math.max(endNs, l.released ?? l.acquired ?? l.requested);
    return {
      source,
      threads: this.threads,
      spans: this.spans,
      locks: this.locks,
      counters: this.counters,
      instants: this.instants,
      dmesg: this.dmesg,
      endNs,
      ...(this.lockClasses ? { lockClasses: this.lockClasses } : {}),
    };
  }
}
