import { toChromeTrace } from './chrome';
import { toDmesgText } from './exportDmesg';
import { toLockStatText } from './lockStatText';
import type { Trace } from './model';

/** The formats a run's trace is exported in, by the name `memmap-lab export --format` takes. */
export type ExportFormat = 'chrome' | 'lock_stat' | 'dmesg';

/** One table for `memmap-lab export` and the extension's Export Trace…: label, file extension, renderer. */
export const EXPORT_FORMATS: Record<
  ExportFormat,
  { label: string; detail: string; extension: string; render(trace: Trace): string }
> = {
  chrome: {
    label: 'Perfetto / Chrome trace (JSON)',
    detail: 'Open in ui.perfetto.dev or chrome://tracing',
    extension: 'trace.json',
    render: (trace) => JSON.stringify(toChromeTrace(trace)),
  },
  lock_stat: {
    label: '/proc/lock_stat text',
    detail: 'Diff against a real lock_stat (version 0.4 layout)',
    extension: 'lock_stat.txt',
    render: toLockStatText,
  },
  dmesg: {
    label: 'dmesg text',
    detail: 'The kernel log of the run, with [    s.us] timestamps',
    extension: 'dmesg.txt',
    render: toDmesgText,
  },
};

export function isExportFormat(name: string): name is ExportFormat {
  return Object.hasOwn(EXPORT_FORMATS, name);
}
