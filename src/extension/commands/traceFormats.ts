import { dmesgStamp } from '../../engine/trace/exportDmesg';
import { toChromeTrace } from '../../engine/trace/chrome';
import { toLockStatText } from '../../engine/trace/lockStatText';
import type { Trace } from '../../engine/trace/model';

export type TraceFormat = 'perfetto' | 'lock_stat' | 'dmesg';

/** What Export Trace… writes: Perfetto/Chrome JSON, /proc/lock_stat text, dmesg text. */
export const TRACE_FORMATS: Record<TraceFormat, { label: string; detail: string; extension: string; render(trace: Trace): string }> = {
  perfetto: {
    label: 'Perfetto / Chrome trace (JSON)', detail: 'Open in ui.perfetto.dev or chrome://tracing', extension: 'trace.json',
    render: (trace) => JSON.stringify(toChromeTrace(trace)),
  },
  lock_stat: {
    label: '/proc/lock_stat text', detail: 'Diff against a real lock_stat (version 0.4 layout)', extension: 'lock_stat.txt',
    render: (trace) => toLockStatText(trace),
  },
  dmesg: {
    label: 'dmesg text', detail: 'The kernel log of the run, with [    s.us] timestamps', extension: 'dmesg.txt',
    render: (trace) => trace.dmesg.map((l) => dmesgStamp(l.t) + l.text).join('\n') + '\n',
  },
};
