import type { RunService, RunSnapshot } from '../runService';
import type { Trace } from '../../engine/trace/model';
import { DEFAULT_THRESHOLD, type LongLockThreshold } from '../../engine/views/lockModel';
import type {
  FromWebview,
  StatusMessage,
  ToView,
  ViewKind,
  ViewReply,
  ViewRequest,
} from '../../protocol/webview';

/**
 * What a panel shows, apart from VS Code: the model message from the latest run, the answers to
 * the webview's requests, and which finished runs concern it. Pure over a `RunService`, so the
 * unit tests and the browser harness drive the same code the extension does.
 */
export interface ViewController<V extends ViewKind = ViewKind> {
  readonly view: V;
  readonly uri: string;
  /** What tells two panels of the view on one document apart (a scenario beside a log); default: the document. */
  readonly key?: string;
  /** The message that (re)draws the view from the run it should show. */
  model(): Promise<ToView[V]>;
  /** Whether a finished run should redraw this view. */
  concerns(run: RunSnapshot): boolean;
  answer(request: ViewRequest): Promise<ViewReply>;
  /** View-specific messages (variant choice); true when the view must be redrawn. */
  handle?(message: FromWebview): boolean;
}

/** "Three TiB of pmem per node — v4.20". */
export function runTitle(run: RunSnapshot): string {
  return `${run.scenario?.name ?? run.uri.split('/').pop()} — ${run.variant}`;
}

/** The latest run of a document's own variant, running it if there is none yet. */
export async function latestRun(runs: RunService, uri: string): Promise<RunSnapshot | undefined> {
  return runs.latest(uri) ?? (await runs.run(uri));
}

/**
 * A finished run is the document's latest own-variant run (an edit re-ran it), not one of the
 * other-variant runs a compare view starts itself, which would otherwise redraw it in a loop.
 */
export function isLatestOwnRun(runs: RunService, uri: string, run: RunSnapshot): boolean {
  const latest = runs.latest(uri);
  return (
    run.uri === uri && !!latest && latest.version === run.version && latest.variant === run.variant
  );
}

/** The run can be drawn: it has a trace (the scenario parsed and ran). */
export function hasTrace(run: RunSnapshot | undefined): run is RunSnapshot & { trace: Trace } {
  return !!run?.trace;
}

/** Why a run has nothing to draw, as the status the view shows instead. */
export function whyEmpty(uri: string, run: RunSnapshot | undefined): StatusMessage {
  if (!run)
    return {
      type: 'status',
      uri,
      state: 'failed',
      message: 'The scenario could not be run (is it open and saved as *.memmap.yaml?).',
    };
  const errors = run.diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  return {
    type: 'status',
    uri,
    state: 'failed',
    message: first
      ? `The scenario does not run: line ${first.span.line}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`
      : 'The run produced no trace.',
  };
}

/** A request a view has no business making. */
export function unsupported(view: ViewKind, request: ViewRequest): never {
  throw new Error(`the ${view} view does not answer '${request.name}'`);
}

/** The long-hold diagnostic's threshold: the scenario's `options.long-lock-threshold`, else the rule's 1 s. */
export function longLockThreshold(run: RunSnapshot): LongLockThreshold {
  const o = run.scenario?.options;
  return o ? { ns: o.longLockThresholdNs, from: o.longLockThresholdFrom } : DEFAULT_THRESHOLD;
}
