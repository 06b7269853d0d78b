import type { DiagnosticCode } from '../diagnosticCodes';
import type { InstantLevel, PrintedTime, Trace } from '../model';

/** What an importer recognised a file as. */
export type LogFormat =
  'dmesg' | 'ftrace-function-graph' | 'ftrace-function' | 'lock_stat' | 'chrome-json' | 'empty';

/** The kernel messages and records the importers recognise, each with its own fields. */
export type LogEventKind =
  | 'zone-device-init'
  | 'deferred-init'
  | 'memory-block-size'
  | 'percpu-ref-underflow'
  | 'misaligned-pages'
  | 'section-conflict'
  | 'mixed-region'
  | 'section-already-deactivated'
  | 'nvdimm-namespace-error'
  | 'add-memory-failed'
  | 'hotplug-range-unaligned'
  | 'remove-memory-online'
  | 'pages-offlined'
  | 'offlining-failed'
  | 'memory-mapping'
  | 'memremap-mixed-range'
  | 'warning'
  | 'bug'
  | 'oops'
  | 'hung-task'
  | 'ftrace-call'
  | 'ftrace-function'
  | 'lock-class';

/** One recognised event of a log: a kernel message (a splat is one event), an ftrace call, a lock class. */
export interface LogEvent {
  kind: LogEventKind;
  /** First and last source line, 1-based. */
  line: number;
  endLine: number;
  /** When it happened, in ns since boot, when the log carried a timestamp. */
  t?: number;
  /** The time the log printed for it, kept as printed (`t` is its place on the monotonic axis). */
  printed?: PrintedTime;
  level: InstantLevel;
  /** The headline as the kernel printed it. */
  text: string;
  fields: Record<string, string | number>;
  /** The whole splat, verbatim, for WARN/BUG/Oops events. */
  lines?: string[];
  /** Function names of a splat's reliable call trace frames, innermost first. */
  callTrace?: string[];
  /** The diagnostic code this event is evidence of, when a rule has one. */
  code?: DiagnosticCode;
}

export interface ImportSummary {
  /** Physical lines read (for JSON: trace events read). */
  lines: number;
  events: number;
  byKind: Partial<Record<LogEventKind, number>>;
  unknownLines: number;
  /** Unknown lines counted but not kept (past `maxUnknownLines` or `maxUnknownChars`). */
  droppedUnknownLines: number;
  /** Events counted but not kept (past `maxEvents`, or past `maxEventChars` of text and splat lines). */
  droppedEvents: number;
  /** Message lines not kept in the trace's raw log (past `maxRawLines` or `maxRawChars`). */
  droppedRawLines: number;
  /** Spans, counters and instants not kept in the trace (past `maxSpans`). */
  droppedRecords: number;
  /** Lines cut at `maxLineLength`. */
  truncatedLines: number;
  /** Per-record state past its cap, not kept: threads and CPUs, open calls, stack lines, lock_stat rows and points, time jumps. */
  droppedState: number;
  /** Chrome trace events skipped: not JSON, or a `ts`/`dur` that is not a finite number. */
  invalidEvents: number;
  /** Chrome trace events skipped for being over the 1 MiB an event may take. */
  oversizedEvents: number;
  /**
   * Where times came from: kernel timestamps (seconds since boot), only deltas between lines
   * (`dmesg -H`), a wall clock (syslog, journal, `dmesg -T`), or nothing (line order).
   */
  timing: 'kernel' | 'relative' | 'syslog' | 'trace' | 'line-order';
  /** Timestamps that went backwards (a reboot, or two logs pasted together). */
  timeJumps: number;
  /** The input ended inside a record (a splat, a JSON object). */
  truncated: boolean;
}

/** Everything an import produced: the shared trace model plus the events behind it. */
export interface ImportedLog {
  format: LogFormat;
  trace: Trace;
  events: LogEvent[];
  /** Lines no importer recognised, kept as raw log (bounded). */
  unknownLines: { line: number; text: string }[];
  summary: ImportSummary;
  /** Set when the input is not a log at all (binary data, JSON that is not a trace). */
  error?: string;
}

export interface ImportOptions {
  /** Shown in messages ("dmesg.txt is not a kernel log"). */
  name?: string;
  maxEvents?: number;
  /** Characters of headline and splat lines the kept events may hold together. */
  maxEventChars?: number;
  maxUnknownLines?: number;
  /** Characters the kept unknown lines may hold together. */
  maxUnknownChars?: number;
  /** Raw lines kept in trace.dmesg. */
  maxRawLines?: number;
  /** Characters the raw lines kept in trace.dmesg may hold together. */
  maxRawChars?: number;
  maxLineLength?: number;
  /** Trace records (spans, counters, instants) kept from ftrace or Chrome traces. */
  maxSpans?: number;
}

/**
 * What an import keeps, whatever the input's size: with these, a 200 MB log of splats imports in
 * well under 200 MB of memory, and the result crosses from the worker to the extension host in one
 * piece. A real log's findings are a few hundred events; the rest are counted, not kept.
 */
export const DEFAULT_LIMITS = {
  maxEvents: 20_000,
  maxEventChars: 2_000_000,
  maxUnknownLines: 10_000,
  maxUnknownChars: 2_000_000,
  maxRawLines: 50_000,
  maxRawChars: 4_000_000,
  maxLineLength: 8192,
  maxSpans: 200_000,
};

export type Limits = typeof DEFAULT_LIMITS;
