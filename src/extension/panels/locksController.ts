import type { RunService, RunSnapshot } from '../runService';
import type { ToView, ViewReply, ViewRequest } from '../../protocol/webview';
import { buildLockModel } from '../../engine/views/lockModel';
import {
  hasTrace,
  isLatestOwnRun,
  latestRun,
  longLockThreshold,
  runTitle,
  unsupported,
  whyEmpty,
  type ViewController,
} from './controller';

/** Lock hold durations of a document's latest run. */
export class LocksController implements ViewController<'locks'> {
  readonly view = 'locks';

  constructor(
    private readonly runs: RunService,
    readonly uri: string,
  ) {}

  async model(): Promise<ToView['locks']> {
    const run = await latestRun(this.runs, this.uri);
    if (!hasTrace(run)) return whyEmpty(this.uri, run);
    return {
      type: 'locks',
      uri: this.uri,
      model: buildLockModel(run.trace, longLockThreshold(run), runTitle(run)),
    };
  }

  concerns(run: RunSnapshot): boolean {
    return isLatestOwnRun(this.runs, this.uri, run);
  }

  async answer(request: ViewRequest): Promise<ViewReply> {
    return unsupported(this.view, request);
  }
}
