import type { LogSource, RunService, RunSnapshot } from '../runService';
import type { FromWebview, ToView, ViewReply, ViewRequest } from '../../protocol/webview';
import { buildLogCompare } from '../../engine/views/logCompareModel';
import {
  hasTrace,
  isLatestOwnRun,
  latestRun,
  runTitle,
  unsupported,
  whyEmpty,
  type ViewController,
} from './controller';
import { loadLog } from './logControllers';

/** The panel key of a scenario compared with a log: one compare panel per pair, beside its variant compare. */
export function logCompareKey(uri: string, logUri: string): string {
  return `${uri}\n${logUri}`;
}

/** A scenario's latest run beside a real kernel log, matched as `memmap-lab compare` matches them. */
export class LogCompareController implements ViewController<'compare'> {
  readonly view = 'compare';
  readonly key: string;

  constructor(
    private readonly runs: RunService,
    private readonly logs: LogSource,
    readonly uri: string,
    readonly logUri: string,
  ) {
    this.key = logCompareKey(uri, logUri);
  }

  async model(): Promise<ToView['compare']> {
    const [run, log] = await Promise.all([
      latestRun(this.runs, this.uri),
      loadLog(this.logs, this.logUri),
    ]);
    if (!hasTrace(run)) return whyEmpty(this.uri, run);
    if ('type' in log) return { ...log, uri: this.uri };
    const name = decodeURIComponent(this.logUri.split('/').pop() ?? this.logUri);
    const model = buildLogCompare(
      { label: runTitle(run), variant: run.variant, summary: run.summary, trace: run.trace },
      log,
      { uri: this.logUri, name },
    );
    // No variants to offer: side B is the log.
    return { type: 'compare', uri: this.uri, model, variants: [] };
  }

  concerns(run: RunSnapshot): boolean {
    // An edit of the scenario re-runs it: the prediction beside the log changes.
    return isLatestOwnRun(this.runs, this.uri, run);
  }

  handle(_message: FromWebview): boolean {
    return false;
  }

  async answer(request: ViewRequest): Promise<ViewReply> {
    return unsupported(this.view, request);
  }
}
