import type { TimelineModel } from '../../src/protocol/webview';
import type { TimelineRow } from '../../src/engine/views/timelineLod';
import { summarizeArea } from '../../src/engine/views/areaSummary';
import { formatDuration } from '../../src/engine/views/timeAxis';
import type { TimelineArea } from '../shared/timelinePaint';
import { h, replace } from '../shared/dom';
import { sortableTable } from '../shared/table';

/** The details pane for a selected area: per function, count, total and self time inside it. */
export function renderArea(
  m: TimelineModel,
  rows: TimelineRow[],
  area: TimelineArea,
  pane: HTMLElement,
): void {
  const sums = summarizeArea(m, rows, area.lanes, area.t0, area.t1);
  const threads = `${area.lanes.size} thread${area.lanes.size === 1 ? '' : 's'}`;
  const time = (ns: number) => formatDuration(ns);
  replace(
    pane,
    h('h2', { class: 'fn', text: `Area: ${time(area.t1 - area.t0)} × ${threads}` }),
    h('p', {
      class: 'path',
      text: `${time(area.t0)} → ${time(area.t1)}; times are inside the area, self time without the calls nested in it.`,
    }),
    sums.length
      ? sortableTable(
          sums,
          [
            { label: 'function', value: (r) => r.name },
            { label: 'self', value: (r) => r.selfNs, format: (r) => time(r.selfNs), numeric: true },
            {
              label: 'total',
              value: (r) => r.totalNs,
              format: (r) => time(r.totalNs),
              numeric: true,
            },
            { label: 'count', value: (r) => r.count, numeric: true },
          ],
          {
            caption: `${sums.length} functions in the area`,
            sort: { column: 1, descending: true },
          },
        )
      : h('p', { class: 'hint', text: 'No spans in the area.' }),
  );
}
