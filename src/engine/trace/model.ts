/**
 * One trace model for an emulated run and an imported real trace (dmesg, ftrace, lock_stat,
 * Chrome JSON), so every view, export and comparison works on both. Times are nanoseconds.
 */
import type { DiagnosticCode } from './diagnosticCodes';
export interface TraceThread {
  id: number;
  name: string;
  node?: number;
}

/** Why a span took as long as it did: the cost terms that add up to its own time. */
export interface CostTerm {
  name: string;
  count: number;
  ns: number;
}

export interface SpanArgs {
  node?: number;
  device?: string;
  pfn?: number;
  pages?: number;
  step?: number;
  /** The span stands for this many calls the kernel makes one per section (sparse_add_section()…). */
  sections?: number;
  memmapOn?: string;
  /**
   * A function the compiler inlines into its caller: a span here for the reader, but no frame a
   * function_graph trace or a kprobe can show.
   */
  inlined?: boolean;
  cost?: CostTerm[];
  [key: string]: unknown;
}

/**
 * What a span does, for its colour: a scenario step, hotplug plumbing (adding sections, page
 * tables, zones), struct page initialisation (the cost the 2018 deferral threads measured),
 * reference counting, or waiting.
 */
export type SpanCategory = 'step' | 'hotplug' | 'init' | 'ref' | 'wait';

export const SPAN_CATEGORIES: readonly SpanCategory[] = ['step', 'hotplug', 'init', 'ref', 'wait'];

export function isSpanCategory(cat: unknown): cat is SpanCategory {
  return SPAN_CATEGORIES.includes(cat as SpanCategory);
}

export interface TraceSpan {
  id: number;
  thread: number;
  name: string;
  /** Set where an emulated span is emitted (kept through Chrome JSON); else its name decides. */
  category?: SpanCategory;
  start: number;
  end: number;
  depth: number;
  parent?: number;
  args: SpanArgs;
}

export type LockMode = 'read' | 'write';

export interface LockEvent {
  lock: string;
  mode: LockMode;
  thread: number;
  requested: number;
  /** Undefined when the request was never granted (the thread waited until the run ended). */
  acquired?: number;
  /** It had to wait for another holder (lock_stat's contention). */
  contended?: boolean;
  /** Undefined while still held when the run ended. */
  released?: number;
  /** The pfn range a range lock covered. */
  range?: [number, number];
}

export interface CounterSample {
  name: string;
  t: number;
  value: number;
}

export type InstantLevel = 'warn' | 'bug' | 'info' | 'debug';

/** A kernel message event: a WARN/BUG splat (kept whole) or a pr_info line. */
export interface Instant {
  t: number;
  thread?: number;
  level: InstantLevel;
  /** The headline as the kernel prints it. */
  text: string;
  /** The whole splat (WARNING line, call trace), when there is one. */
  lines?: string[];
  /** The diagnostic code this event supports, when a rule maps it to one. */
  code?: DiagnosticCode;
  step?: number;
  device?: string;
  node?: number;
  /** Structured fields (pages, ms, pfns) an importer or the emulator recognised. */
  fields?: Record<string, string | number>;
  /** Source line in an imported log. */
  line?: number;
  /** The time the imported log printed for it (`t` is its place on the views' monotonic axis). */
  printed?: PrintedTime;
}

/**
 * A line's time as its log printed it. Views lay a log out on one monotonic axis (`t`, where the
 * boots of a log pasted after one another follow each other); this is what the reader sees.
 */
export interface PrintedTime {
  /**
   * `boot`: seconds since boot (`[  303.441089]`); `relative`: since the line before (`dmesg -H`'s
   * `[  +0.004886]`); `wall`: a wall-clock date (`dmesg -T`, syslog, the journal).
   */
  clock: 'boot' | 'relative' | 'wall';
  /** The stamp as printed, brackets and padding off: `303.441089`, `+0.004886`, a date. */
  text: string;
  /** The date a syslog or journal prefix printed before a kernel stamp. */
  wall?: string;
  /** `dmesg -d`'s delta to the line before, printed beside the stamp. */
  delta?: string;
  /** From 2 on: the line is in the log's n-th segment (a boot, or a log pasted after another). */
  segment?: number;
}

export interface DmesgLine {
  t: number;
  text: string;
  /** What an imported line printed before its message (time, caller id, syslog tag), verbatim. */
  prefix?: string;
}

/**
 * One /proc/lock_stat row (a lock class in one mode), for traces that only know the aggregates:
 * an imported lock_stat has no individual acquisitions to rebuild them from.
 */
export interface LockClassStat {
  name: string;
  mode: LockMode;
  /**
   * The class as /proc/lock_stat named it: `name` when only written (a spinlock, a mutex),
   * `name-W` and `name-R` when read and written (kernel/locking/lockdep_proc.c, seq_stats()).
   */
  label?: string;
  /**
   * The row's twelve columns as printed, con-bounces to holdtime-avg: times are µs with two
   * decimals (lockdep_proc.c, snprint_time()), kept as text so nothing is rounded twice.
   */
  columns?: string[];
  conBounces?: number;
  contentions: number;
  waitMinNs: number;
  waitMaxNs: number;
  waitTotalNs: number;
  acqBounces?: number;
  acquisitions: number;
  holdMinNs: number;
  holdMaxNs: number;
  holdTotalNs: number;
  /**
   * Call sites that waited for the lock (`contention`) or held it while others waited
   * (`contending`), with the address (`[<ffffffff815351c4>]`) and symbol as printed.
   */
  points?: { kind: 'contention' | 'contending'; count: number; ip?: string; symbol: string }[];
}

export interface Trace {
  source: 'emulated' | 'imported';
  threads: TraceThread[];
  spans: TraceSpan[];
  locks: LockEvent[];
  counters: CounterSample[];
  instants: Instant[];
  dmesg: DmesgLine[];
  endNs: number;
  /** Per-class lock statistics when the trace came from /proc/lock_stat rather than lock events. */
  lockClasses?: LockClassStat[];
}
