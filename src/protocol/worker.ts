/**
 * Messages between the extension host and its run worker (dist/runWorker.js). Runs happen in the
 * worker so the extension host never blocks; the worker keeps the latest full RunResult per
 * (document, variant) — it holds closures and cannot be posted — and answers view queries on it.
 */
import type { Problem, Scenario } from '../engine/scenario/model';
import type { RunSummary } from '../engine/run/summary';
import type { ExpectationResult } from '../engine/run/expect';
import type { Trace } from '../engine/trace/model';
import type { CostName } from '../engine/cost/profile';
import type { Queries, QueryName } from '../engine/views/queries';
import type { Calibration } from '../engine/calibrate/calibrate';
import type { ImportedLog, LogEvent } from '../engine/trace/import/types';
import type { ParseResult } from '../engine/parse/parseScenario';

/** How much of the trace a snapshot carries to the views (settings: memmapLab.traceDetail). */
export type TraceDetail = 'full' | 'spans';

/** Settings that change what a run computes. */
export interface RunSettings {
  /** Per-cost overrides (ns) on top of the scenario's profile; the scenario's own overrides win. */
  costOverrides: Partial<Record<CostName, number>>;
  /** Long-lock threshold for scenarios that do not set options.long-lock-threshold. */
  longLockThresholdNs?: number;
  traceDetail: TraceDetail;
}

/** Run one scenario text. A later run with the same `key` supersedes it. */
export interface RunRequest {
  type: 'run';
  id: number;
  /** Which stored result this run replaces: the document and variant. */
  key: string;
  text: string;
  variant?: string;
  /**
   * The scenario's path on disk, where the worker looks up the profile its `cost:` names (the
   * worker parses the scenario; the host does not). Undefined for a document not on disk.
   */
  scenarioFile?: string;
  settings: RunSettings;
}

/**
 * Parse a scenario text: what diagnostics, lenses, hovers, fixes, the tree and the tests read of a
 * document's version. The worker serves parses before queued runs: they take milliseconds.
 */
export interface ParseRequest {
  type: 'parse';
  id: number;
  text: string;
}

/**
 * Drop a queued run (a running one cannot be interrupted: the host terminates the worker), or stop
 * an import: the worker checks between chunks and answers `imported` with `cancelled`.
 */
export interface CancelRequest {
  type: 'cancel';
  id: number;
}

/** Ask a question about the stored result of `key`. */
export type QueryRequest = {
  [K in QueryName]: { type: 'query'; id: number; key: string; name: K; args: Queries[K]['args'] };
}[QueryName];

/**
 * Fit the cost model to a real log's init lines (what `memmap-lab calibrate` does): dozens of
 * runs of the scenario, so it happens here, cancellable like a run.
 */
export interface CalibrateRequest {
  type: 'calibrate';
  id: number;
  text: string;
  variant?: string;
  scenarioFile?: RunRequest['scenarioFile'];
  /** The settings' cost overrides win over a profile at run time, so they are held, not fitted. */
  settings: RunSettings;
  /** The log's events as the importer recognised them (only init lines matter). */
  events: LogEvent[];
  /** The fitted profile's name. */
  name: string;
}

/**
 * Import a kernel log in the worker, streamed a chunk at a time: a file on disk by its path, or the
 * bytes of one the host read through VS Code's file system (a scheme the worker cannot open).
 * The worker reports `importing` progress after each chunk and stops at a `cancel` between chunks.
 */
export interface ImportRequest {
  type: 'import';
  id: number;
  /** Shown in the importer's messages ("dmesg.txt is not a kernel log"). */
  name: string;
  file?: string;
  bytes?: Uint8Array;
}

export type ToWorker =
  RunRequest | ParseRequest | CancelRequest | QueryRequest | CalibrateRequest | ImportRequest;

/** The plain-data part of a run, as RunSnapshot carries it. */
export interface RunPayload {
  variant: string;
  scenario?: Scenario;
  summary?: RunSummary;
  trace?: Trace;
  diagnostics: Problem[];
  expectations: ExpectationResult[];
  wallMs: number;
}

/** The worker began a run: from now on only terminating it stops the run. */
export interface RunStarted {
  type: 'started';
  id: number;
}

export interface RunDone {
  type: 'done';
  id: number;
  payload: RunPayload;
}

export interface QueryAnswer {
  type: 'answer';
  id: number;
  /** No stored result for the key (never run, evicted, or the worker restarted). */
  missing?: boolean;
  result?: Queries[QueryName]['result'];
}

export interface ParseDone {
  type: 'parsed';
  id: number;
  result: ParseResult;
}

/** A request failed on an engine bug; the message is for the output channel. */
export interface RequestFailed {
  type: 'failed';
  id: number;
  message: string;
}

/** A calibration's fit, or why there is none (the scenario does not parse, no init line matches). */
export interface CalibrateDone {
  type: 'calibrated';
  id: number;
  result?: Calibration;
  error?: string;
}

/** An import's progress: bytes parsed so far, of the input's size. */
export interface ImportProgress {
  type: 'importing';
  id: number;
  read: number;
  size: number;
}

/** An import's end: the log, or that it was cancelled, or why the file could not be read. */
export interface ImportDone {
  type: 'imported';
  id: number;
  log?: ImportedLog;
  cancelled?: boolean;
  error?: string;
}

export type FromWorker =
  | RunStarted
  | RunDone
  | ParseDone
  | QueryAnswer
  | RequestFailed
  | CalibrateDone
  | ImportProgress
  | ImportDone;
