import type { RunService, RunSnapshot } from '../runService';
import type { TimelineFocus, ToView, ViewReply, ViewRequest } from '../../protocol/webview';
import { buildTimeline } from '../../engine/views/timelineModel';
import { spanDetails } from '../../engine/views/spanDetails';
import {
  hasTrace,
  isLatestOwnRun,
  latestRun,
  runTitle,
  unsupported,
  whyEmpty,
  type ViewController,
} from './controller';

/** The init timeline of a document's latest run. */
export class TimelineController implements ViewController<'timeline'> {
  readonly view = 'timeline';
  /** The run on screen: span ids in requests refer to its trace. */
  private shown?: RunSnapshot;

  constructor(
    private readonly runs: RunService,
    readonly uri: string,
    private focus?: TimelineFocus,
  ) {}

  /** What to bring into view when the view next loads (it was hidden when a CodeLens asked). */
  refocus(focus: TimelineFocus): void {
    this.focus = focus;
  }

  async model(): Promise<ToView['timeline']> {
    const run = await latestRun(this.runs, this.uri);
    if (!hasTrace(run)) return whyEmpty(this.uri, run);
    this.shown = run;
    const focus = this.focus;
    this.focus = undefined;
    return {
      type: 'timeline',
      uri: this.uri,
      model: buildTimeline(run.trace, runTitle(run)),
      focus,
    };
  }

  concerns(run: RunSnapshot): boolean {
    return isLatestOwnRun(this.runs, this.uri, run);
  }

  async answer(request: ViewRequest): Promise<ViewReply> {
    if (request.name !== 'spanDetails') return unsupported(this.view, request);
    const trace = this.shown?.trace;
    return {
      name: 'spanDetails',
      result: trace ? spanDetails(trace, request.args.spanId) : undefined,
    };
  }
}
