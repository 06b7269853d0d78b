import type { LockModel } from '../../src/protocol/webview';
import type { GanttBar, LockGantt, LockRow, LongLockThreshold } from '../../src/engine/views/lockModel';
import { formatDuration } from '../../src/engine/views/timeAxis';
import { connect } from '../shared/vscodeApi';
import { h, mount, replace } from '../shared/dom';
import { alternative, sortableTable, type Column } from '../shared/table';
import { dropdown } from '../shared/toolkit';
import { gantt, histogram, type ChartHandle } from '../shared/charts';
import { markFirstPaint } from '../shared/firstPaint';

const channel = connect('locks');

/** Where the threshold in the header came from, so a user knows what to change. */
const THRESHOLD_FROM: Record<LongLockThreshold['from'], string> = {
  scenario: ' (options.long-lock-threshold)',
  setting: ' (setting memmapLab.longLockThreshold)',
  default: ' (default; options.long-lock-threshold or the memmapLab.longLockThreshold setting changes it)',
};

// The locks message is the only one this view gets besides status and replies (handled by the channel).
channel.ready((message) => {
  channel.save({ uri: message.uri });
  show(message.model);
});

const charts: ChartHandle[] = [];
const ns = (v: number) => formatDuration(v);

/** /proc/lock_stat's columns (without the cache-line bounces, which an emulator has none of). */
const COLUMNS: Column<LockRow>[] = [
  { label: 'class name', value: (r) => r.label },
  { label: 'contentions', value: (r) => r.contentions, numeric: true },
  { label: 'waittime-min', value: (r) => r.waitMinNs, format: (r) => ns(r.waitMinNs), numeric: true },
  { label: 'waittime-max', value: (r) => r.waitMaxNs, format: (r) => ns(r.waitMaxNs), numeric: true },
  { label: 'waittime-total', value: (r) => r.waitTotalNs, format: (r) => ns(r.waitTotalNs), numeric: true },
  { label: 'waittime-avg', value: (r) => r.waitAvgNs, format: (r) => ns(r.waitAvgNs), numeric: true },
  { label: 'acquisitions', value: (r) => r.acquisitions, numeric: true },
  { label: 'holdtime-min', value: (r) => r.holdMinNs, format: (r) => ns(r.holdMinNs), numeric: true },
  { label: 'holdtime-max', value: (r) => r.holdMaxNs, format: (r) => ns(r.holdMaxNs), numeric: true },
  { label: 'holdtime-total', value: (r) => r.holdTotalNs, format: (r) => ns(r.holdTotalNs), numeric: true },
  { label: 'holdtime-avg', value: (r) => r.holdAvgNs, format: (r) => ns(r.holdAvgNs), numeric: true },
];

function show(m: LockModel): void {
  charts.splice(0).forEach((c) => c.destroy());
  const long = (r: LockRow) => r.name === m.watched && r.holdMaxNs > m.thresholdNs;
  const view = h('div', { class: 'view locks' },
    h('header', { class: 'bar' }, h('h1', { text: m.title }),
      // An imported /proc/lock_stat has totals but no timeline: no run length to show.
      h('span', { class: 'meta', text: `long-hold threshold ${ns(m.thresholdNs)}${THRESHOLD_FROM[m.thresholdFrom ?? 'default']}${m.endNs ? ` · ${formatDuration(m.endNs)} run` : ''}` })),
    m.rows.length === 0 ? h('p', { class: 'hint', text: 'This run took no locks.' }) : undefined,
    m.rows.length ? h('section', {},
      h('h2', { text: 'lock_stat' }),
      sortableTable(m.rows, COLUMNS, {
        caption: `Per lock class and mode, as /proc/lock_stat prints them; wait times count contended acquisitions only.${m.rows.some(long) ? ` Rows in warning colour held ${m.watched} past the threshold.` : ''}`,
        sort: { column: 8, descending: true }, rowClass: (r) => (long(r) ? 'warn' : undefined),
      })) : undefined,
    m.histograms.length ? histogramSection(m) : undefined,
    m.gantts.length ? ganttSection(m) : undefined,
  );
  mount(view);
  markFirstPaint();
}

function histogramSection(m: LockModel): HTMLElement {
  const saved = channel.saved();
  const first = m.histograms.find((x) => x.label === saved.lock) ?? m.histograms.find((x) => x.name === m.watched) ?? m.histograms[0];
  const body = h('div');
  const draw = (label: string) => {
    const hist = m.histograms.find((x) => x.label === label) ?? first;
    channel.save({ lock: hist.label });
    const canvas = h('canvas');
    replace(body, h('div', { class: 'chart' }, canvas), alternative('Histogram as a table', sortableTable(hist.bins, [
      { label: 'hold time from', value: (b) => b.fromNs, format: (b) => ns(b.fromNs), numeric: true },
      { label: 'to', value: (b) => b.toNs, format: (b) => ns(b.toNs), numeric: true },
      { label: 'holds', value: (b) => b.count, numeric: true },
    ], { caption: `${hist.label}: hold durations${hist.thresholdNs !== undefined ? `; threshold ${ns(hist.thresholdNs)}` : ''}` })));
    charts.push(histogram(canvas, {
      label: `Histogram of ${hist.label} hold durations`, edges: [...hist.bins.map((b) => b.fromNs), hist.bins[hist.bins.length - 1].toNs],
      counts: hist.bins.map((b) => b.count), xTitle: 'hold time', format: ns,
      rule: hist.thresholdNs === undefined ? undefined : { x: hist.thresholdNs, label: `long-hold threshold ${ns(hist.thresholdNs)}` },
    }));
  };
  draw(first.label);
  return h('section', {},
    h('h2', { text: 'Hold durations' }),
    h('div', { class: 'toolbar' }, h('label', { text: 'Lock' }),
      dropdown({ label: 'Lock class and mode', choices: m.histograms.map((x) => ({ value: x.label, label: x.label })), value: first.label, onChange: draw })),
    body);
}

function ganttSection(m: LockModel): HTMLElement {
  const first = m.gantts.find((g) => g.name === m.watched) ?? m.gantts[0];
  const body = h('div');
  const title = h('h2');
  const draw = (name: string) => {
    const g = m.gantts.find((x) => x.name === name) ?? first;
    title.textContent = `Who held ${g.name} while who waited`;
    const canvas = h('canvas');
    const box = h('div', { class: 'chart gantt' }, canvas);
    box.style.height = `${80 + g.lanes.length * 34}px`;
    replace(body, box, alternative('Holders and waiters as a table', holdersTable(g)));
    charts.push(gantt(canvas, {
      label: `${g.name}: holds and waits per thread`, lanes: g.lanes, xTitle: 'virtual time', format: ns, xMax: m.endNs,
      bars: g.bars.map((b) => ({ lane: b.lane, start: b.start, end: b.end, role: b.kind === 'wait' ? 'wait' : b.long ? 'long' : 'hold', tip: tip(g, b) })),
    }));
  };
  draw(first.name);
  return h('section', {}, title,
    h('div', { class: 'toolbar' }, h('label', { text: 'Lock' }),
      dropdown({ label: 'Lock class', choices: m.gantts.map((g) => ({ value: g.name, label: g.name })), value: first.name, onChange: draw })),
    h('p', { class: 'hint', text: `Holds past the long-hold threshold (${ns(m.thresholdNs)}) of ${m.watched} are drawn in the error colour.` }),
    body);
}

function tip(g: LockGantt, b: GanttBar): string {
  const what = b.kind === 'wait' ? (b.open ? 'waiting (never granted)' : 'waited') : b.open ? 'holding (never released)' : 'held';
  return `${g.lanes[b.lane]} ${what} ${b.mode} for ${ns(b.end - b.start)} (${ns(b.start)} → ${ns(b.end)})`;
}

function holdersTable(g: LockGantt): HTMLTableElement {
  return sortableTable(g.bars, [
    { label: 'thread', value: (b) => g.lanes[b.lane] },
    { label: 'what', value: (b) => (b.kind === 'wait' ? 'waits' : b.long ? 'holds (long)' : 'holds') },
    { label: 'mode', value: (b) => b.mode },
    { label: 'from', value: (b) => b.start, format: (b) => ns(b.start), numeric: true },
    { label: 'to', value: (b) => b.end, format: (b) => `${ns(b.end)}${b.open ? ' (run ended)' : ''}`, numeric: true },
    { label: 'duration', value: (b) => b.end - b.start, format: (b) => ns(b.end - b.start), numeric: true },
  ], { caption: `${g.name}: every wait and hold`, sort: { column: 3, descending: false } });
}
