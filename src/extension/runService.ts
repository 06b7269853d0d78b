import type * as vscode from 'vscode';
import { formatNs } from '../engine/units';
import type { RunPayload } from '../protocol/worker';
import type { ImportedLog } from '../engine/trace/import/types';
import type { Queries, QueryName } from '../engine/views/queries';

/**
 * The contract between the extension core (which runs scenarios in a worker and keeps the latest
 * run per document) and everything that shows runs: CodeLens, diagnostics, hovers, the tree, the
 * status bar and the webview panels. Snapshots are plain data (structured-clone safe); questions
 * that need the full run state go to the worker through `query`.
 */
export interface RunSnapshot extends RunPayload {
  /** The scenario document's URI (`uri.toString()`). */
  uri: string;
  /** The document version that was analysed. */
  version: number;
}

/** One line for the notification, the log and the tree. */
export function runLine(r: RunSnapshot): string {
  if (!r.summary) return `${r.variant || 'scenario'}: not run — ${r.diagnostics.length} problem(s) in the file`;
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  const passed = r.expectations.filter((e) => e.pass).length;
  const expect = r.expectations.length ? `, ${passed}/${r.expectations.length} expectations passed` : '';
  return `${r.summary.scenario} on ${r.variant}: ${formatNs(r.summary.totalNs)} emulated, ${errors} error(s)${expect}`;
}

export interface RunService {
  /** The latest completed run of a document (its own variant), if any. */
  latest(uri: string): RunSnapshot | undefined;
  /** Fires after every completed run with its snapshot. */
  readonly onDidRun: vscode.Event<RunSnapshot>;
  /** Runs a document (optionally with another variant); a second run of the same document and variant cancels the first. */
  run(uri: string, options?: { variant?: string }): Promise<RunSnapshot | undefined>;
  /** Asks the worker about a document's latest run of `variant` (default: its own). */
  query<K extends QueryName>(uri: string, name: K, args: Queries[K]['args'], variant?: string): Promise<Queries[K]['result']>;
}

/**
 * Real kernel logs for the views that show one (a log's timeline or locks, a run beside a log):
 * the log as imported, from the import the user already made when the file has not changed since.
 * `error` is set when the file is not kernel output; reading it may throw.
 */
export interface LogSource {
  load(uri: string): Promise<ImportedLog>;
}
