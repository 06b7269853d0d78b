import type { DiagnosticCode } from '../diagnosticCodes';
import type { InstantLevel, Trace } from '../model';

/** What an importer recognised a file as. */
export type LogFormat = 'dmesg' | 'ftrace-function-graph' | 'ftrace-function' | 'lock_stat' | 'chrome-json' | 'empty';

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
  /** Unknown lines counted but not kept (past `maxUnknownLines`). */
  droppedUnknownLines: number;
  /** Events counted but not kept (past `maxEvents`). */
  droppedEvents: number;
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
  /** Where times came from: kernel timestamps, syslog wall clock, or nothing (line order). */
  timing: 'kernel' | 'syslog' | 'trace' | 'line-order';
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
  maxUnknownLines?: number;
  /** Raw lines kept in trace.dmesg. */
  maxRawLines?: number;
  maxLineLength?: number;
  /** Trace records (spans, counters, instants) kept from ftrace or Chrome traces. */
  maxSpans?: number;
}

export const DEFAULT_LIMITS = {
  maxEvents: 100_000,
  maxUnknownLines: 10_000,
  maxRawLines: 50_000,
  maxLineLength: 8192,
  maxSpans: 200_000,
};

export type Limits = typeof DEFAULT_LIMITS;
