import type * as vscode from 'vscode';
import { formatNs } from '../engine/units';
import type { RunPayload } from '../protocol/worker';
import type { ImportedLog } from '../engine/trace/import/types';
import type { Queries, QueryName } from '../engine/views/queries';
import type { Problem } from '../engine/scenario/model';

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
  if (!r.summary)
    return `${r.variant || 'scenario'}: not run — ${r.diagnostics.length} problem(s) in the file`;
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  const passed = r.expectations.filter((e) => e.pass).length;
  const expect = r.expectations.length
    ? `, ${passed}/${r.expectations.length} expectations passed`
    : '';
  return `${r.summary.scenario} on ${r.variant}: ${formatNs(r.summary.totalNs)} emulated, ${errors} error(s)${expect}`;
}

/** A run that ran (its file parsed): it has a summary. */
export type CompletedRun = RunSnapshot & { summary: NonNullable<RunSnapshot['summary']> };

function completed(r: RunSnapshot): r is CompletedRun {
  return r.summary !== undefined;
}

/**
 * What a document shows as its result: the run of this very version, or why there is none. A run
 * of another version is never current: its lines, verdicts and times may not be this text's.
 */
export type CurrentRun =
  | { kind: 'run'; run: CompletedRun }
  /** This version does not parse (or the run found it does not), so it does not run. */
  | { kind: 'not-run'; reason: string }
  /** This version parses and its run is not in yet; `previous` is of another version. */
  | { kind: 'pending'; previous?: RunSnapshot };

/** The current run of a document at `version`, given the parse of that version. */
export function currentRun(
  latest: RunSnapshot | undefined,
  version: number,
  parseProblems: readonly Problem[],
): CurrentRun {
  const error = parseProblems.find((p) => p.severity === 'error');
  if (error) return { kind: 'not-run', reason: problemLine(error) };
  if (!latest || latest.version !== version) return { kind: 'pending', previous: latest };
  if (completed(latest)) return { kind: 'run', run: latest };
  const first = latest.diagnostics.find((p) => p.severity === 'error');
  return {
    kind: 'not-run',
    reason: first ? problemLine(first) : `${latest.diagnostics.length} problem(s) in the file`,
  };
}

function problemLine(p: Problem): string {
  return `${p.message} (line ${p.span.line})`;
}

/** The status bar's words for a document's current run; `opens` is what a click does. */
export function statusLine(c: CurrentRun): {
  text: string;
  tooltip: string;
  opens: 'timeline' | 'run';
} {
  switch (c.kind) {
    case 'not-run':
      return {
        text: `$(error) not run: ${clip(c.reason, 60)}`,
        tooltip: `Not run: ${c.reason}`,
        opens: 'run',
      };
    case 'pending':
      // Never run: as before the file was touched. Run before: this edit's run is on its way.
      return c.previous
        ? {
            text: '$(sync~spin) Memmap Lab: running…',
            tooltip: 'This version has not run yet (the last run was of an earlier edit)',
            opens: 'run',
          }
        : { text: '$(play) Memmap Lab: not run', tooltip: 'Run the scenario', opens: 'run' };
    case 'run':
      return {
        text: runText(c.run),
        tooltip: `${runLine(c.run)}\nClick to open the timeline`,
        opens: 'timeline',
      };
  }
}

function runText(r: CompletedRun): string {
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  const failed = r.expectations.filter((e) => !e.pass).length;
  const icon = errors || failed ? '$(error)' : '$(pass)';
  const notRun = r.summary.steps.filter((s) => s.outcome === 'not-run').length;
  const partial = notRun && !errors ? ` to step ${r.summary.steps.length - notRun - 1}` : '';
  return (
    `${icon} ${r.variant}${partial} ${formatNs(r.summary.totalNs)}` +
    (errors ? ` · ${errors} error(s)` : '') +
    (r.expectations.length ? ` · ${r.expectations.length - failed}/${r.expectations.length}` : '')
  );
}

/** A row under a scenario in the tree: a run (of this version or an earlier edit), or why this version did not run. */
export type RunRow =
  | { kind: 'not-run'; reason: string }
  | { kind: 'run'; run: RunSnapshot; own: boolean; outdated: boolean };

/**
 * The tree's rows for a scenario: its runs per variant, own first. With the document open at
 * `current`, a run of another version is marked outdated, and a version that does not run shows
 * why in place of the own run.
 */
export function runRows(
  all: RunSnapshot[],
  own: RunSnapshot | undefined,
  version?: number,
  current?: CurrentRun,
): RunRow[] {
  const rows: RunRow[] = all.map((run) => ({
    kind: 'run',
    run,
    own: run === own,
    outdated: version !== undefined && run.version !== version,
  }));
  if (current?.kind !== 'not-run') return rows;
  return [
    { kind: 'not-run', reason: current.reason },
    ...rows.filter((r) => r.kind === 'run' && !r.own),
  ];
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export interface RunService {
  /** The latest completed run of a document (its own variant), if any. */
  latest(uri: string): RunSnapshot | undefined;
  /** Fires after every completed run with its snapshot. */
  readonly onDidRun: vscode.Event<RunSnapshot>;
  /** Runs a document (optionally with another variant); a second run of the same document and variant cancels the first. */
  run(uri: string, options?: { variant?: string }): Promise<RunSnapshot | undefined>;
  /** Asks the worker about a document's latest run of `variant` (default: its own). */
  query<K extends QueryName>(
    uri: string,
    name: K,
    args: Queries[K]['args'],
    variant?: string,
  ): Promise<Queries[K]['result']>;
}

/**
 * Real kernel logs for the views that show one (a log's timeline or locks, a run beside a log):
 * the log as imported, from the import the user already made when the file has not changed since.
 * `error` is set when the file is not kernel output; reading it may throw.
 */
export interface LogSource {
  load(uri: string): Promise<ImportedLog>;
}
