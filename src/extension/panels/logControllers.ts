import type { LogSource, RunSnapshot } from '../runService';
import type {
  StatusMessage,
  TimelineFocus,
  ToView,
  ViewReply,
  ViewRequest,
} from '../../protocol/webview';
import type { ImportedLog } from '../../engine/trace/import/types';
import type { Trace } from '../../engine/trace/model';
import { recordsWindow } from '../../engine/views/recordsWindow';
import {
  buildLockModel,
  DEFAULT_THRESHOLD,
  type LongLockThreshold,
} from '../../engine/views/lockModel';
import { spanDetails } from '../../engine/views/spanDetails';
import { buildTimeline } from '../../engine/views/timelineModel';
import { unsupported, type ViewController } from './controller';

/** "nvdimm-devdax-5.10-rc3.log (dmesg)". */
export function logTitle(uri: string, log: ImportedLog): string {
  return `${decodeURIComponent(uri.split('/').pop() ?? uri)} (${log.format})`;
}

/** The log, or the status that says why it cannot be shown. */
export async function loadLog(logs: LogSource, uri: string): Promise<ImportedLog | StatusMessage> {
  const log = await logs.load(uri);
  return log.error ? { type: 'status', uri, state: 'failed', message: log.error } : log;
}

/** An imported kernel log in the timeline: its init spans, threads and messages, like a run's. */
export class LogTimelineController implements ViewController<'timeline'> {
  readonly view = 'timeline';
  private shown?: Trace;
  private first = true;

  constructor(
    private readonly logs: LogSource,
    readonly uri: string,
  ) {}

  async model(): Promise<ToView['timeline']> {
    const log = await loadLog(this.logs, this.uri);
    if ('type' in log) return log;
    this.shown = log.trace;
    const window = this.first ? recordsWindow(log.trace) : undefined;
    this.first = false;
    const focus: TimelineFocus | undefined = window && { window };
    return {
      type: 'timeline',
      uri: this.uri,
      model: buildTimeline(log.trace, logTitle(this.uri, log)),
      focus,
    };
  }

  /** A log does not change when a scenario runs. */
  concerns(_run: RunSnapshot): boolean {
    return false;
  }

  async answer(request: ViewRequest): Promise<ViewReply> {
    if (request.name !== 'spanDetails') return unsupported(this.view, request);
    const d = this.shown && spanDetails(this.shown, request.args.spanId);
    // There is no scenario to reveal a step in, and no run state to inspect a pfn of.
    return { name: 'spanDetails', result: d && { ...d, step: undefined, pfnRange: undefined } };
  }
}

/** An imported /proc/lock_stat (or a trace with lock events) in the lock view. */
export class LogLocksController implements ViewController<'locks'> {
  readonly view = 'locks';

  /** `settingNs`: the editor's long-lock threshold setting, read when the view loads. */
  constructor(
    private readonly logs: LogSource,
    readonly uri: string,
    private readonly settingNs: () => number | undefined,
  ) {}

  async model(): Promise<ToView['locks']> {
    const log = await loadLog(this.logs, this.uri);
    if ('type' in log) return log;
    // A log has no scenario options: its measured holds are judged by the setting, or the default.
    const ns = this.settingNs();
    const threshold: LongLockThreshold =
      ns === undefined ? DEFAULT_THRESHOLD : { ns, from: 'setting' };
    return {
      type: 'locks',
      uri: this.uri,
      model: buildLockModel(log.trace, threshold, logTitle(this.uri, log)),
    };
  }

  concerns(_run: RunSnapshot): boolean {
    return false;
  }

  async answer(request: ViewRequest): Promise<ViewReply> {
    return unsupported(this.view, request);
  }
}
