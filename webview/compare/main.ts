import type { CompareModel } from '../../src/protocol/webview';
import type { InitRow, LockDelta } from '../../src/engine/views/compareModel';
import type { LockRow } from '../../src/engine/views/lockModel';
import { formatDuration } from '../../src/engine/views/timeAxis';
import { linePrefix } from '../../src/engine/trace/exportDmesg';
import { connect } from '../shared/vscodeApi';
import { h, mount } from '../shared/dom';
import { alternative, sortableTable, type Column } from '../shared/table';
import { button, dropdown } from '../shared/toolkit';
import { barChart, type ChartHandle } from '../shared/charts';
import { TimelineCanvas } from '../shared/timelineCanvas';
import { markFirstPaint } from '../shared/firstPaint';
import {
  lockCaption,
  logMeta,
  matchSection,
  ratioClass,
  ratioText,
  timelineHint,
} from './logSections';

const channel = connect('compare');
const charts: ChartHandle[] = [];
let timeline: TimelineCanvas | undefined;

// The compare message is the only one this view gets besides status and replies (handled by the channel).
channel.ready((message) => {
  // A comparison with a log comes back from its log; one of two variants from the variants.
  channel.save(
    message.model.log
      ? { uri: message.uri, log: message.model.log.uri, variants: undefined }
      : {
          uri: message.uri,
          variants: [message.model.a.variant, message.model.b.variant],
          log: undefined,
        },
  );
  show(message.model, message.variants);
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
  const log = m.log;
  mount(
    h(
      'div',
      { class: 'view compare' },
      h(
        'header',
        { class: 'bar' },
        h('h1', { text: `A: ${m.a.label}  vs  B: ${m.b.label}` }),
        h('span', {
          class: 'meta',
          text: log
            ? `run ${formatDuration(m.a.totalNs)} emulated · ${logMeta(log)}`
            : `A ${formatDuration(m.a.totalNs)} (${m.a.source}) · B ${formatDuration(m.b.totalNs)} (${m.b.source})`,
        }),
      ),
      // Side B is a log: there is no variant to pick for it.
      log
        ? undefined
        : h(
            'div',
            { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Variants' } },
            h('label', { text: 'A' }),
            dropdown({ label: 'Variant A', choices, value: va, onChange: (v) => (va = v) }),
            h('label', { text: 'B' }),
            dropdown({ label: 'Variant B', choices, value: vb, onChange: (v) => (vb = v) }),
            button('Compare', () => channel.post({ type: 'compareVariants', a: va, b: vb }), {
              title: 'Run both variants and compare them',
            }),
          ),
      initSection(m),
      log ? matchSection({ ...m, log }) : undefined,
      lockSection(m.locks, log ? lockCaption(log) : undefined),
      timelineSection(m),
      dmesgSection(m),
    ),
  );
  markFirstPaint();
}

function initSection(m: CompareModel): HTMLElement {
  const canvas = h('canvas');
  const box = h('div', { class: 'chart' }, canvas);
  box.style.height = `${90 + m.inits.length * 34}px`;
  const label = (r: InitRow) => `node ${r.node < 0 ? '?' : r.node} · ${r.what}`;
  const log = !!m.log;
  charts.push(
    barChart(canvas, {
      label: `Per-node init times, ${m.a.label} and ${m.b.label}`,
      categories: m.inits.map(label),
      horizontal: true,
      series: [
        { label: `A: ${m.a.label}`, role: 'a', values: m.inits.map((r) => r.aNs ?? 0) },
        { label: `B: ${m.b.label}`, role: 'b', values: m.inits.map((r) => r.bNs ?? 0) },
      ],
      valueTitle: log ? 'predicted (virtual) and measured time' : 'virtual time',
      format: formatDuration,
    }),
  );
  const columns: Column<InitRow>[] = [
    // A log line that names no node ("?") sorts after the nodes.
    {
      label: 'node',
      value: (r) => (r.node < 0 ? Infinity : r.node),
      format: (r) => (r.node < 0 ? '?' : String(r.node)),
      numeric: true,
    },
    { label: 'what', value: (r) => r.what },
    { label: `A: ${m.a.label}`, value: (r) => r.aNs, format: (r) => ns(r.aNs), numeric: true },
    { label: `B: ${m.b.label}`, value: (r) => r.bNs, format: (r) => ns(r.bNs), numeric: true },
    // Against a log, B − A is the model's error, not a kernel getting better or worse: the ratio column carries the colour.
    {
      label: log ? 'measured − predicted' : 'B − A',
      value: (r) => (r.bNs ?? 0) - (r.aNs ?? 0),
      format: (r) => delta(r.aNs, r.bNs),
      numeric: true,
      cellClass: (r) => (log ? undefined : sign(r.aNs, r.bNs)),
    },
  ];
  if (log) {
    columns.push(
      {
        label: 'measured / predicted',
        value: (r) => r.ratio,
        format: (r) => ratioText(r.ratio),
        numeric: true,
        cellClass: (r) => ratioClass(r.ratio),
      },
      {
        label: 'log line',
        value: (r) => r.line,
        format: (r) => (r.line ? `L${r.line}` : ''),
        numeric: true,
      },
    );
  }
  const table = sortableTable(m.inits, columns, {
    caption: log
      ? 'Predicted (the run) and measured (the log\'s "initialised … in Nms" lines) init times per node and device'
      : 'Struct page init and probe times per node',
  });
  return h(
    'section',
    {},
    h('h2', { text: log ? 'Per-node init times, predicted and measured' : 'Per-node init times' }),
    m.inits.length
      ? box
      : h('p', {
          class: 'hint',
          text: log
            ? 'Neither the run nor the log has an init line ("initialised … in Nms").'
            : 'Neither run initialised memory per node.',
        }),
    // Against a log the ratios are the point: the table is shown, not folded away.
    log ? table : alternative('Init times as a table', table),
  );
}

function lockSection(locks: LockDelta[], caption?: string): HTMLElement {
  // One column per lock_stat figure, "A → B (Δ)", so the table stays as wide as lock_stat's own.
  const metric = (label: string, get: (r: LockRow) => number, time = true): Column<LockDelta> => ({
    label,
    value: (d) => (d.b ? get(d.b) : 0) - (d.a ? get(d.a) : 0),
    numeric: true,
    cellClass: (d) => sign(d.a && get(d.a), d.b && get(d.b)),
    format: (d) => {
      const [a, b] = [d.a && get(d.a), d.b && get(d.b)];
      const show = (v: number | undefined) => (v === undefined ? '—' : time ? ns(v) : String(v));
      const change =
        a === undefined || b === undefined || a === b
          ? ''
          : ` (${time ? delta(a, b) : `${b - a > 0 ? '+' : ''}${b - a}`})`;
      return `${show(a)} → ${show(b)}${change}`;
    },
    title: `Sort by the change in ${label} (B − A)`,
  });
  return h(
    'section',
    {},
    h('h2', { text: caption ? 'lock_stat, the run vs the log' : 'lock_stat, A vs B' }),
    locks.length
      ? sortableTable(
          locks,
          [
            { label: 'class name', value: (d) => d.label },
            metric('contentions', (r) => r.contentions, false),
            metric('acquisitions', (r) => r.acquisitions, false),
            metric('holdtime-max', (r) => r.holdMaxNs),
            metric('holdtime-total', (r) => r.holdTotalNs),
            metric('waittime-max', (r) => r.waitMaxNs),
            metric('waittime-total', (r) => r.waitTotalNs),
          ],
          {
            caption:
              caption ??
              'Per lock class and mode: A → B (B − A), in the error colour where B is worse',
          },
        )
      : h('p', { class: 'hint', text: caption ?? 'Neither run took a lock.' }),
  );
}

function timelineSection(m: CompareModel): HTMLElement {
  const details = h('p', {
    class: 'hint',
    attrs: { 'aria-live': 'polite' },
    text: m.log
      ? timelineHint({ ...m, log: m.log })
      : 'Both runs on one time axis: A above, B below. Click a span for its time.',
  });
  const t = m.timeline;
  const canvas = new TimelineCanvas(
    t,
    {
      select: (i) => {
        details.textContent =
          i === undefined
            ? 'No span selected.'
            : `${t.lanes[t.spans.lane[i]].group} · ${t.lanes[t.spans.lane[i]].name} · ${t.names[t.spans.name[i]]}${t.spans.device[i] >= 0 ? ` · ${t.devices[t.spans.device[i]]}` : ''}: ${ns(t.spans.start[i])} → ${ns(t.spans.end[i])} (${ns(t.spans.end[i] - t.spans.start[i])})`;
      },
      window: () => undefined,
      markers: () => undefined,
      lanes: () => undefined,
      area: () => undefined,
    },
    `Timelines of ${m.a.label} and ${m.b.label} stacked on one time axis`,
  );
  timeline?.dispose();
  timeline = canvas;
  // Both runs at once where that fits; the canvas scrolls its lanes beyond that.
  canvas.element.style.height = `${Math.min(canvas.contentHeight(), 1400)}px`;
  const start = m.log?.window;
  queueMicrotask(() => (start ? canvas.setWindow(start[0], start[1]) : canvas.fit()));
  return h(
    'section',
    {},
    h('h2', { text: 'Timelines on one time axis' }),
    canvas.element,
    details,
    h('p', {
      class: 'help',
      attrs: { id: 'timeline-keys' },
      text: 'W/S, wheel or +/− zoom, A/D, drag or ←/→ pan, Shift+wheel or ↑/↓ scroll threads; [ and ] step through spans; click a group to fold it, a thread’s name to pin it.',
    }),
  );
}

function dmesgSection(m: CompareModel): HTMLElement {
  return h(
    'section',
    {},
    h('h2', { text: 'dmesg' }),
    h(
      'table',
      { class: 'data dmesg' },
      h('caption', {
        text: 'The same message (numbers aside) on one row; a line only one kernel printed stands alone',
      }),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { text: `A: ${m.a.label}`, attrs: { scope: 'col' } }),
          h('th', { text: `B: ${m.b.label}`, attrs: { scope: 'col' } }),
        ),
      ),
      h(
        'tbody',
        {},
        ...m.dmesg.map((p) =>
          p.skipped
            ? h(
                'tr',
                { class: 'gap' },
                h('td', {
                  attrs: { colspan: 2 },
                  text: `… ${p.skipped} more lines only B printed`,
                }),
              )
            : h(
                'tr',
                { class: p.a && p.b ? (p.a.text === p.b.text ? 'same' : 'changed') : 'alone' },
                h('td', { text: p.a ? linePrefix(p.a) + p.a.text : '' }),
                h('td', { text: p.b ? linePrefix(p.b) + p.b.text : '' }),
              ),
        ),
      ),
    ),
  );
}
