import { deviceOffset } from '../../engine/views/queries';
import type { RunService, RunSnapshot } from '../runService';
import {
  INSPECTOR_QUERIES,
  type InspectorQuery,
  type StepItem,
  type ToView,
  type ViewReply,
  type ViewRequest,
} from '../../protocol/webview';
import {
  hasTrace,
  isLatestOwnRun,
  latestRun,
  runTitle,
  unsupported,
  whyEmpty,
  type ViewController,
} from './controller';

/** The per-page inspector: everything comes from the worker that holds the run's state. */
export class InspectorController implements ViewController<'inspector'> {
  readonly view = 'inspector';

  constructor(
    private readonly runs: RunService,
    readonly uri: string,
    private pfnText?: string,
  ) {}

  /** A pfn to select when the view next loads (it was hidden when asked). */
  select(pfnText: string): void {
    this.pfnText = pfnText;
  }

  /** What selects a pfn in the open view: the pfn, at the step where its device is live. */
  async inspect(text: string): Promise<ToView['inspector']> {
    const run = await latestRun(this.runs, this.uri);
    return { type: 'inspect', text, afterStep: run && liveFrom(run, text) };
  }

  async model(): Promise<ToView['inspector']> {
    const run = await latestRun(this.runs, this.uri);
    // The worker holds the state only of runs that ran: no trace, no state to ask about.
    if (!hasTrace(run)) return whyEmpty(this.uri, run);
    const map = await this.runs.query(this.uri, 'memoryMap', {});
    const pfnText = this.pfnText;
    this.pfnText = undefined;
    const afterStep = pfnText === undefined ? undefined : liveFrom(run, pfnText);
    return {
      type: 'inspector',
      uri: this.uri,
      model: { title: runTitle(run), steps: steps(run), map, pfnText, afterStep },
    };
  }

  concerns(run: RunSnapshot): boolean {
    return isLatestOwnRun(this.runs, this.uri, run);
  }

  async answer(request: ViewRequest): Promise<ViewReply> {
    if (!isQuery(request)) return unsupported(this.view, request);
    // Each name's args and result are the worker's query's own (ViewRequests picks them from Queries).
    return {
      name: request.name,
      result: await this.runs.query(this.uri, request.name, request.args as never),
    } as ViewReply;
  }
}

function isQuery(request: ViewRequest): request is Extract<ViewRequest, { name: InspectorQuery }> {
  return (INSPECTOR_QUERIES as readonly string[]).includes(request.name);
}

/** The steps the scrubber can stop after (those that ran), with their lines for "Reveal". */
function steps(run: RunSnapshot): StepItem[] {
  // Indexed once: a scenario may have 100k steps, and a find() per step is quadratic.
  const lines = new Map(run.scenario?.steps.map((x) => [x.index, x.span.line]));
  return (run.summary?.steps ?? [])
    .filter((s) => s.outcome !== 'not-run')
    .map((s) => ({
      index: s.index,
      op: s.op,
      outcome: s.outcome,
      line: lines.get(s.index),
    }));
}

/**
 * For `pmem0+0x1000`, the step after which pmem0 is live: its first probe that succeeded (before
 * it, the pages have no memmap to look at; at the end of a run with a `remove`, none again).
 */
function liveFrom(run: RunSnapshot, pfnText: string): number | undefined {
  const device = deviceOffset(pfnText)?.device;
  if (!device) return undefined;
  const ok = new Set(run.summary?.steps.filter((s) => s.outcome === 'ok').map((s) => s.index));
  return run.scenario?.steps.find(
    (s) => s.op === 'probe' && s.devices.includes(device) && ok.has(s.index),
  )?.index;
}
