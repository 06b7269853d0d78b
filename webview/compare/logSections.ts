import type { CompareModel } from '../../src/protocol/webview';
import type { LogComparison } from '../../src/engine/views/compareModel';
import type { ComparisonRow } from '../../src/engine/compare/compareWithLog';
import { formatDuration } from '../../src/engine/views/timeAxis';
import { h } from '../shared/dom';
import { sortableTable } from '../shared/table';

/** Parts of the compare view when side B is a real kernel log rather than a second run. */

const ns = (v: number | undefined) => (v === undefined ? '—' : formatDuration(v));

/** "0.68×": measured / predicted, as `memmap-lab compare` prints it. */
export const ratioText = (r: number | undefined) => (r === undefined ? '—' : `${r.toFixed(2)}×`);

/** A ratio far from 1 in either direction is a mismatch worth the eye: the model is off by that much. */
export function ratioClass(r: number | undefined): string | undefined {
  if (r === undefined) return undefined;
  return r > 1.25 || r < 0.8 ? 'worse' : undefined;
}

/** "4 matched, 3 only in the run, 4 only in the log · dmesg". */
export function logMeta(log: LogComparison): string {
  return `${log.matched} matched, ${log.onlyEmulated} only in the run, ${log.onlyReal} only in the log · ${log.format}`;
}

/** What `predicted`/`measured` mean for a row without a time: the event is there, or not. */
function presence(ns: number | undefined, side: unknown): string {
  return ns !== undefined ? formatDuration(ns) : side ? 'present' : 'absent';
}

/** Every event of the comparison, matched or alone: the table `memmap-lab compare` prints. */
export function matchSection(m: CompareModel & { log: LogComparison }): HTMLElement {
  const rows = m.log.rows;
  return h(
    'section',
    {},
    h('h2', { text: 'Events matched with the log' }),
    rows.length
      ? sortableTable<ComparisonRow>(
          rows,
          [
            { label: 'event', value: (r) => r.kind },
            {
              label: 'key',
              value: (r) => r.key,
              title: 'Device, node or lock class; init lines without a device name pair in order',
            },
            {
              label: 'predicted',
              value: (r) => r.predictedNs,
              format: (r) => presence(r.predictedNs, r.emulated),
              numeric: true,
            },
            {
              label: 'measured',
              value: (r) => r.measuredNs,
              format: (r) => presence(r.measuredNs, r.real),
              numeric: true,
            },
            {
              label: 'measured / predicted',
              value: (r) => r.ratio,
              format: (r) => ratioText(r.ratio),
              numeric: true,
              cellClass: (r) => ratioClass(r.ratio),
            },
            {
              label: 'log line',
              value: (r) => r.real?.line || undefined,
              format: (r) => (r.real?.line ? `L${r.real.line}` : ''),
              numeric: true,
            },
            { label: 'as the log prints it', value: (r) => r.real?.text },
          ],
          {
            caption: `${logMeta(m.log)}. Init lines pair by device name when both print one, else in order; deferred init by node; warnings by kind.${rows.some((r) => r.resolutionNs) ? ' The kernel prints whole milliseconds: a measured time is good to ±1 ms.' : ''}`,
          },
        )
      : h('p', {
          class: 'hint',
          text: 'Neither the run nor the log has an event the two can be compared on (init lines, warnings).',
        }),
  );
}

/** Why the lock table has one side only, or what its two sides are. */
export function lockCaption(log: LogComparison): string {
  return log.lockClasses
    ? `Per lock class and mode: the run → the log's /proc/lock_stat (log − run), paired where the log's class name contains the run's; ${log.lockClasses} classes in the log`
    : "The log has no /proc/lock_stat: the run's lock classes only";
}

/** How the two timelines were put on one axis. */
export function timelineHint(m: CompareModel & { log: LogComparison }): string {
  const how = m.log.alignedOn
    ? `with the log's ${m.log.alignedOn} on top of the run's`
    : 'from their first records (no matched line has a time in both)';
  return `The run above, the log below, on one time axis ${how}; the log's times moved by ${m.log.logShiftNs < 0 ? '−' : '+'}${ns(Math.abs(m.log.logShiftNs))}. Click a span for its time.`;
}
