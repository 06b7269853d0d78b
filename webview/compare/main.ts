import type { CompareModel } from '../../src/protocol/webview';
import type { InitRow, LockDelta } from '../../src/engine/views/compareModel';
import type { LockRow } from '../../src/engine/views/lockModel';
import { formatDuration } from '../../src/engine/views/timeAxis';
import { connect } from '../shared/vscodeApi';
import { h, mount } from '../shared/dom';
import { showStatus } from '../shared/status';
import { alternative, sortableTable, type Column } from '../shared/table';
import { button, dropdown } from '../shared/toolkit';
import { barChart, type ChartHandle } from '../shared/charts';
import { TimelineCanvas } from '../shared/timelineCanvas';
import { markFirstPaint } from '../shared/firstPaint';

const channel = connect('compare');
const charts: ChartHandle[] = [];
let timeline: TimelineCanvas | undefined;

channel.ready((message) => {
  switch (message.type) {
    case 'compare':
      channel.save({ uri: message.uri, variants: [message.model.a.variant, message.model.b.variant] });
      show(message.model, message.variants);
      return;
    case 'status':
      showStatus(message);
      return;
    default: {
      const never: never = message;
      throw new Error(`unexpected message ${JSON.stringify(never)}`);
    }
  }
});

const ns = (v: number | undefined) => (v === undefined ? '—' : formatDuration(v));

/** "+3.2 s (+81%)": B relative to A; slower is worse for every time here. */
function delta(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined) return '—';
  const d = b - a;
  const pct = a ? ` (${d >= 0 ? '+' : '−'}${Math.abs((d / a) * 100).toFixed(0)}%)` : '';
  return `${d >= 0 ? '+' : '−'}${formatDuration(Math.abs(d))}${pct}`;
}

function sign(a: number | undefined, b: number | undefined): string | undefined {
  if (a === undefined || b === undefined || a === b) return undefined;
  return b > a ? 'worse' : 'better';
}

function show(m: CompareModel, variants: string[]): void {
  charts.splice(0).forEach((c) => c.destroy());
  let [va, vb] = [m.a.variant, m.b.variant];
  const choices = variants.map((v) => ({ value: v, label: v }));
  mount(h('div', { class: 'view compare' },
    h('header', { class: 'bar' }, h('h1', { text: `A: ${m.a.label}  vs  B: ${m.b.label}` }),
      h('span', { class: 'meta', text: `A ${formatDuration(m.a.totalNs)} (${m.a.source}) · B ${formatDuration(m.b.totalNs)} (${m.b.source})` })),
    h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Variants' } },
      h('label', { text: 'A' }), dropdown({ label: 'Variant A', choices, value: va, onChange: (v) => (va = v) }),
      h('label', { text: 'B' }), dropdown({ label: 'Variant B', choices, value: vb, onChange: (v) => (vb = v) }),
      button('Compare', () => channel.post({ type: 'compareVariants', a: va, b: vb }), { title: 'Run both variants and compare them' })),
    initSection(m),
    lockSection(m.locks),
    timelineSection(m),
    dmesgSection(m),
  ));
  markFirstPaint();
}

function initSection(m: CompareModel): HTMLElement {
  const canvas = h('canvas');
  const box = h('div', { class: 'chart' }, canvas);
  box.style.height = `${90 + m.inits.length * 34}px`;
  const label = (r: InitRow) => `node ${r.node} · ${r.what}`;
  charts.push(barChart(canvas, {
    label: `Per-node init times, ${m.a.label} and ${m.b.label}`, categories: m.inits.map(label), horizontal: true,
    series: [{ label: `A: ${m.a.label}`, role: 'a', values: m.inits.map((r) => r.aNs ?? 0) }, { label: `B: ${m.b.label}`, role: 'b', values: m.inits.map((r) => r.bNs ?? 0) }],
    valueTitle: 'virtual time', format: formatDuration,
  }));
  return h('section', {}, h('h2', { text: 'Per-node init times' }), m.inits.length ? box : h('p', { class: 'hint', text: 'Neither run initialised memory per node.' }),
    alternative('Init times as a table', sortableTable(m.inits, [
      { label: 'node', value: (r) => r.node, numeric: true },
      { label: 'what', value: (r) => r.what },
      { label: `A: ${m.a.label}`, value: (r) => r.aNs, format: (r) => ns(r.aNs), numeric: true },
      { label: `B: ${m.b.label}`, value: (r) => r.bNs, format: (r) => ns(r.bNs), numeric: true },
      { label: 'B − A', value: (r) => (r.bNs ?? 0) - (r.aNs ?? 0), format: (r) => delta(r.aNs, r.bNs), numeric: true, cellClass: (r) => sign(r.aNs, r.bNs) },
    ], { caption: 'Struct page init and probe times per node' })));
}

function lockSection(locks: LockDelta[]): HTMLElement {
  // One column per lock_stat figure, "A → B (Δ)", so the table stays as wide as lock_stat's own.
  const metric = (label: string, get: (r: LockRow) => number, time = true): Column<LockDelta> => ({
    label,
    value: (d) => (d.b ? get(d.b) : 0) - (d.a ? get(d.a) : 0),
    numeric: true,
    cellClass: (d) => sign(d.a && get(d.a), d.b && get(d.b)),
    format: (d) => {
      const [a, b] = [d.a && get(d.a), d.b && get(d.b)];
      const show = (v: number | undefined) => (v === undefined ? '—' : time ? ns(v) : String(v));
      const change = a === undefined || b === undefined || a === b ? '' : ` (${time ? delta(a, b) : `${b - a > 0 ? '+' : ''}${b - a}`})`;
      return `${show(a)} → ${show(b)}${change}`;
    },
    title: `Sort by the change in ${label} (B − A)`,
  });
  return h('section', {}, h('h2', { text: 'lock_stat, A vs B' }),
    locks.length ? sortableTable(locks, [
      { label: 'class name', value: (d) => d.label },
      metric('contentions', (r) => r.contentions, false),
      metric('acquisitions', (r) => r.acquisitions, false),
      metric('holdtime-max', (r) => r.holdMaxNs),
      metric('holdtime-total', (r) => r.holdTotalNs),
      metric('waittime-max', (r) => r.waitMaxNs),
      metric('waittime-total', (r) => r.waitTotalNs),
    ], { caption: 'Per lock class and mode: A → B (B − A), in the error colour where B is worse' }) : h('p', { class: 'hint', text: 'Neither run took a lock.' }));
}

function timelineSection(m: CompareModel): HTMLElement {
  const details = h('p', { class: 'hint', attrs: { 'aria-live': 'polite' }, text: 'Both runs on one time axis: A above, B below. Click a span for its time.' });
  const t = m.timeline;
  const canvas = new TimelineCanvas(t, {
    select: (i) => {
      details.textContent = i === undefined ? 'No span selected.'
        : `${t.lanes[t.spans.lane[i]].group} · ${t.lanes[t.spans.lane[i]].name} · ${t.names[t.spans.name[i]]}${t.spans.device[i] >= 0 ? ` · ${t.devices[t.spans.device[i]]}` : ''}: ${ns(t.spans.start[i])} → ${ns(t.spans.end[i])} (${ns(t.spans.end[i] - t.spans.start[i])})`;
    },
    window: () => undefined,
    markers: () => undefined,
  }, `Timelines of ${m.a.label} and ${m.b.label} stacked on one time axis`);
  timeline?.dispose();
  timeline = canvas;
  // Both runs at once where that fits; the canvas scrolls its lanes beyond that.
  canvas.element.style.height = `${Math.min(canvas.contentHeight(), 1400)}px`;
  queueMicrotask(() => canvas.fit());
  return h('section', {}, h('h2', { text: 'Timelines on one time axis' }), canvas.element, details,
    h('p', { class: 'help', attrs: { id: 'timeline-keys' }, text: 'Wheel or +/− zooms, drag or ←/→ pans, Shift+wheel or ↑/↓ scrolls threads; [ and ] step through spans.' }));
}

function dmesgSection(m: CompareModel): HTMLElement {
  const stamp = (t: number) => `[${(t / 1e9).toFixed(6).padStart(12)}]`;
  return h('section', {}, h('h2', { text: 'dmesg' }),
    h('table', { class: 'data dmesg' },
      h('caption', { text: 'The same message (numbers aside) on one row; a line only one kernel printed stands alone' }),
      h('thead', {}, h('tr', {}, h('th', { text: `A: ${m.a.label}`, attrs: { scope: 'col' } }), h('th', { text: `B: ${m.b.label}`, attrs: { scope: 'col' } }))),
      h('tbody', {}, ...m.dmesg.map((p) => h('tr', { class: p.a && p.b ? (p.a.text === p.b.text ? 'same' : 'changed') : 'alone' },
        h('td', { text: p.a ? `${stamp(p.a.t)} ${p.a.text}` : '' }),
        h('td', { text: p.b ? `${stamp(p.b.t)} ${p.b.text}` : '' }))))));
}
