import type { LockModel } from '../../src/protocol/webview';
import type {
  GanttBar,
  LockGantt,
  LockRow,
  LongLockThreshold,
} from '../../src/engine/views/lockModel';
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
  default:
    ' (default; options.long-lock-threshold or the memmapLab.longLockThreshold setting changes it)',
};

// The locks message is the only one this view gets besides status and replies (handled by the channel).
channel.ready((message) => {
  channel.save({ uri: message.uri });
  show(message.model);
});

const charts: ChartHandle[] = [];
const ns = (v: number) => formatDuration(v);

/**
 * A /proc/lock_stat column; `at` is its place in the row as printed. An imported row shows what
 * it printed (times in µs with two decimals); a run's row its times in readable units.
 */
const column = (
  label: string,
  at: number,
  value: (r: LockRow) => number,
  time = true,
): Column<LockRow> => ({
  label,
  value,
  numeric: true,
  format: (r) => r.columns?.[at] ?? (time ? ns(value(r)) : String(value(r))),
});

/** A wait or hold group's four time columns, min to avg, from `at` on. */
const times = (what: 'waittime' | 'holdtime', at: number, ns4: (r: LockRow) => number[]) =>
  ['min', 'max', 'total', 'avg'].map((k, i) => column(`${what}-${k}`, at + i, (r) => ns4(r)[i]));

/** /proc/lock_stat's columns; the cache-line bounces when the rows have them (a run has none). */
function columns(bounces: boolean): Column<LockRow>[] {
  return [
    { label: 'class name', value: (r) => r.label },
    ...(bounces ? [column('con-bounces', 0, (r) => r.conBounces ?? 0, false)] : []),
    column('contentions', 1, (r) => r.contentions, false),
    ...times('waittime', 2, (r) => [r.waitMinNs, r.waitMaxNs, r.waitTotalNs, r.waitAvgNs]),
    ...(bounces ? [column('acq-bounces', 6, (r) => r.acqBounces ?? 0, false)] : []),
    column('acquisitions', 7, (r) => r.acquisitions, false),
    ...times('holdtime', 8, (r) => [r.holdMinNs, r.holdMaxNs, r.holdTotalNs, r.holdAvgNs]),
  ];
}

function show(m: LockModel): void {
  charts.splice(0).forEach((c) => c.destroy());
  const threshold = m.thresholdNs;
  const long = (r: LockRow) =>
    threshold !== undefined && r.name === m.watched && r.holdMaxNs > threshold;
  const meta = [
    threshold === undefined
      ? ''
      : `long-hold threshold ${ns(threshold)}${THRESHOLD_FROM[m.thresholdFrom ?? 'default']}`,
    // An imported /proc/lock_stat has totals but no timeline: no run length to show.
    m.endNs ? `${formatDuration(m.endNs)} run` : '',
  ]
    .filter((x) => x)
    .join(' · ');
  const cols = columns(m.rows.some((r) => r.conBounces !== undefined));
  const printed = m.rows.some((r) => r.columns)
    ? ' Times in µs with two decimals, as the kernel printed them.'
    : '';
  const view = h(
    'div',
    { class: 'view locks' },
    h(
      'header',
      { class: 'bar' },
      h('h1', { text: m.title }),
      meta ? h('span', { class: 'meta', text: meta }) : undefined,
    ),
    m.rows.length === 0 ? h('p', { class: 'hint', text: 'This run took no locks.' }) : undefined,
    m.rows.length
      ? h(
          'section',
          {},
          h('h2', { text: 'lock_stat' }),
          sortableTable(m.rows, cols, {
            caption: `Per lock class and mode, as /proc/lock_stat prints them; wait times count contended acquisitions only.${printed}${m.rows.some(long) ? ` Rows in warning colour held ${m.watched} past the threshold.` : ''}`,
            sort: { column: cols.findIndex((c) => c.label === 'holdtime-max'), descending: true },
            rowClass: (r) => (long(r) ? 'warn' : undefined),
          }),
        )
      : undefined,
    m.rows.some((r) => r.points?.length) ? callSites(m.rows) : undefined,
    m.histograms.length ? histogramSection(m) : undefined,
    m.gantts.length ? ganttSection(m) : undefined,
  );
  mount(view);
  markFirstPaint();
}

function histogramSection(m: LockModel): HTMLElement {
  const saved = channel.saved();
  const first =
    m.histograms.find((x) => x.label === saved.lock) ??
    m.histograms.find((x) => x.name === m.watched) ??
    m.histograms[0];
  const body = h('div');
  const draw = (label: string) => {
    const hist = m.histograms.find((x) => x.label === label) ?? first;
    channel.save({ lock: hist.label });
    const canvas = h('canvas');
    replace(
      body,
      h('div', { class: 'chart' }, canvas),
      alternative(
        'Histogram as a table',
        sortableTable(
          hist.bins,
          [
            {
              label: 'hold time from',
              value: (b) => b.fromNs,
              format: (b) => ns(b.fromNs),
              numeric: true,
            },
            { label: 'to', value: (b) => b.toNs, format: (b) => ns(b.toNs), numeric: true },
            { label: 'holds', value: (b) => b.count, numeric: true },
          ],
          {
            caption: `${hist.label}: hold durations${hist.thresholdNs !== undefined ? `; threshold ${ns(hist.thresholdNs)}` : ''}`,
          },
        ),
      ),
    );
    charts.push(
      histogram(canvas, {
        label: `Histogram of ${hist.label} hold durations`,
        edges: [...hist.bins.map((b) => b.fromNs), hist.bins[hist.bins.length - 1].toNs],
        counts: hist.bins.map((b) => b.count),
        xTitle: 'hold time',
        format: ns,
        rule:
          hist.thresholdNs === undefined
            ? undefined
            : { x: hist.thresholdNs, label: `long-hold threshold ${ns(hist.thresholdNs)}` },
      }),
    );
  };
  draw(first.label);
  return h(
    'section',
    {},
    h('h2', { text: 'Hold durations' }),
    h(
      'div',
      { class: 'toolbar' },
      h('label', { text: 'Lock' }),
      dropdown({
        label: 'Lock class and mode',
        choices: m.histograms.map((x) => ({ value: x.label, label: x.label })),
        value: first.label,
        onChange: draw,
      }),
    ),
    body,
  );
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
    charts.push(
      gantt(canvas, {
        label: `${g.name}: holds and waits per thread`,
        lanes: g.lanes,
        xTitle: 'virtual time',
        format: ns,
        xMax: m.endNs,
        bars: g.bars.map((b) => ({
          lane: b.lane,
          start: b.start,
          end: b.end,
          role: b.kind === 'wait' ? 'wait' : b.long ? 'long' : 'hold',
          tip: tip(g, b),
        })),
      }),
    );
  };
  draw(first.name);
  return h(
    'section',
    {},
    title,
    h(
      'div',
      { class: 'toolbar' },
      h('label', { text: 'Lock' }),
      dropdown({
        label: 'Lock class',
        choices: m.gantts.map((g) => ({ value: g.name, label: g.name })),
        value: first.name,
        onChange: draw,
      }),
    ),
    m.thresholdNs === undefined
      ? undefined
      : h('p', {
          class: 'hint',
          text: `Holds past the long-hold threshold (${ns(m.thresholdNs)}) of ${m.watched} are drawn in the error colour.`,
        }),
    body,
  );
}

/** Each class's contention and contending call sites, as /proc/lock_stat lists them. */
function callSites(rows: LockRow[]): HTMLElement {
  const sites = rows.flatMap((r) => (r.points ?? []).map((p) => ({ ...p, label: r.label })));
  return h(
    'section',
    {},
    h('h2', { text: 'Call sites' }),
    sortableTable(
      sites,
      [
        { label: 'class name', value: (p) => p.label },
        {
          label: 'what',
          value: (p) =>
            p.kind === 'contention'
              ? 'waited here (contention)'
              : 'held it while others waited (contending)',
        },
        { label: 'count', value: (p) => p.count, numeric: true },
        { label: 'address', value: (p) => p.ip ?? '' },
        { label: 'call site', value: (p) => p.symbol },
      ],
      {
        caption:
          'Where each class was waited for, and where its holders were while others waited; ' +
          'per class in the order the kernel printed them',
      },
    ),
  );
}

function tip(g: LockGantt, b: GanttBar): string {
  const what =
    b.kind === 'wait'
      ? b.open
        ? 'waiting (never granted)'
        : 'waited'
      : b.open
        ? 'holding (never released)'
        : 'held';
  return `${g.lanes[b.lane]} ${what} ${b.mode} for ${ns(b.end - b.start)} (${ns(b.start)} → ${ns(b.end)})`;
}

function holdersTable(g: LockGantt): HTMLTableElement {
  return sortableTable(
    g.bars,
    [
      { label: 'thread', value: (b) => g.lanes[b.lane] },
      {
        label: 'what',
        value: (b) => (b.kind === 'wait' ? 'waits' : b.long ? 'holds (long)' : 'holds'),
      },
      { label: 'mode', value: (b) => b.mode },
      { label: 'from', value: (b) => b.start, format: (b) => ns(b.start), numeric: true },
      {
        label: 'to',
        value: (b) => b.end,
        format: (b) => `${ns(b.end)}${b.open ? ' (run ended)' : ''}`,
        numeric: true,
      },
      {
        label: 'duration',
        value: (b) => b.end - b.start,
        format: (b) => ns(b.end - b.start),
        numeric: true,
      },
    ],
    { caption: `${g.name}: every wait and hold`, sort: { column: 3, descending: false } },
  );
}
