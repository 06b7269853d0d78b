import type { TimelineFocus, TimelineModel } from '../../src/protocol/webview';
import { spansInWindow } from '../../src/engine/views/timelineLod';
import { SPAN_CATEGORIES } from '../../src/engine/trace/model';
import { formatDuration } from '../../src/engine/views/timeAxis';
import { connect } from '../shared/vscodeApi';
import { debounce, h, mount, replace } from '../shared/dom';
import { alternative, sortableTable } from '../shared/table';
import { button } from '../shared/toolkit';
import { TimelineCanvas } from '../shared/timelineCanvas';
import { markFirstPaint } from '../shared/firstPaint';
import { renderDetails } from './details';
import { renderArea } from './areaTable';
import { timelineSearch } from './search';
import { detailsPane } from './detailsPane';
import { laneList } from './laneList';

const channel = connect('timeline');
let canvas: TimelineCanvas | undefined;
let model: TimelineModel | undefined;

channel.ready((message) => {
  switch (message.type) {
    case 'timeline':
      show(message.model, message.uri, message.focus);
      return;
    case 'focus':
      focus(message.focus);
      return;
    default: {
      const never: never = message;
      throw new Error(`unexpected message ${JSON.stringify(never)}`);
    }
  }
});

/** The spans of a device (CodeLens "Show in timeline"), or a time window and markers (a log's records, "Run to here"). */
function focus(f: TimelineFocus): void {
  if (canvas && f.window) canvas.setWindow(f.window[0], f.window[1]);
  if (canvas && f.markers) {
    canvas.setMarker('a', f.markers[0]);
    canvas.setMarker('b', f.markers[1]);
  }
  if (!model || !canvas || f.device === undefined) return;
  const d = model.devices.indexOf(f.device);
  const spans: number[] = [];
  model.spans.device.forEach((x, i) => x === d && d >= 0 && spans.push(i));
  canvas.focusSpans(spans);
}

function show(m: TimelineModel, uri: string, f?: TimelineFocus): void {
  model = m;
  const saved = channel.saved();
  channel.save({ uri });
  const pane = detailsPane(saved.details, (details) => channel.save({ details }));
  const hint = h('p', {
    class: 'hint',
    text: 'Click a span (or select one with [ and ]) to see what it did and what it cost.',
  });
  pane.content.append(hint);
  const markers = h('span', { class: 'markers', attrs: { 'aria-live': 'polite' } });
  const table = h('div');
  const c = new TimelineCanvas(
    m,
    {
      select: (span) => {
        channel.save({
          selected:
            span === undefined
              ? undefined
              : { id: m.spans.id[span], name: m.names[m.spans.name[span]] },
        });
        void renderDetails(channel, m, span, pane.content);
      },
      window: (t0, t1) => {
        channel.save({ window: [t0, t1] });
        refreshTable();
      },
      markers: (a, b) => replace(markers, markerText(a, b)),
      lanes: (view) => {
        channel.save({
          lanes: {
            folded: [...view.folded],
            pinned: [...view.pinned].map((i) => m.lanes[i].name),
          },
        });
        list.update();
        shownText();
      },
      area: (area) => {
        if (area) renderArea(m, c.spanRows(), area, pane.content);
        else void renderDetails(channel, m, undefined, pane.content);
      },
    },
    `Init timeline of ${m.title}: ${m.lanes.length} threads, ${m.spans.id.length} spans`,
  );
  canvas?.dispose();
  canvas = c;
  const list = laneList(m, c);
  const shown = h('span', { class: 'shown', attrs: { 'aria-live': 'polite' } });
  const shownText = () => {
    const n = c.shownLanes();
    shown.textContent =
      n === m.lanes.length
        ? `${n} threads`
        : `${n} of ${m.lanes.length} threads shown · ${m.lanes.length - n} folded`;
  };
  if (saved.lanes) {
    const pinned = new Set(saved.lanes.pinned);
    c.setLanes({
      folded: new Set(saved.lanes.folded),
      pinned: new Set(m.lanes.flatMap((l, i) => (pinned.has(l.name) ? [i] : []))),
    });
  }
  shownText();
  const refreshTable = debounce(() => {
    const [t0, t1] = c.window();
    const { spans, total } = spansInWindow(c.spanRows(), t0, t1, 200);
    replace(
      table,
      sortableTable(
        spans,
        [
          { label: 'thread', value: (i) => m.lanes[m.spans.lane[i]].name },
          { label: 'function', value: (i) => m.names[m.spans.name[i]] },
          {
            label: 'device',
            value: (i) => (m.spans.device[i] >= 0 ? m.devices[m.spans.device[i]] : ''),
          },
          {
            label: 'start',
            value: (i) => m.spans.start[i],
            format: (i) => formatDuration(m.spans.start[i]),
            numeric: true,
          },
          {
            label: 'duration',
            value: (i) => m.spans.end[i] - m.spans.start[i],
            format: (i) => formatDuration(m.spans.end[i] - m.spans.start[i]),
            numeric: true,
          },
        ],
        {
          caption: `${total} spans in view`,
          sort: { column: 3, descending: false },
          limit: 200,
          onActivate: (i) => c.select(i),
        },
      ),
    );
  }, 250);
  const search = timelineSearch(m, c, saved.search, (text) => channel.save({ search: text }));
  mount(
    h(
      'div',
      { class: 'view timeline' },
      h(
        'header',
        { class: 'bar' },
        h('h1', { text: m.title }),
        h('span', {
          class: 'meta',
          text: `${m.source === 'imported' ? 'imported trace' : 'emulated'} · ${formatDuration(m.endNs)} · ${m.lanes.length} threads · ${m.spans.id.length} spans`,
        }),
      ),
      h(
        'div',
        { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Timeline tools' } },
        search.field,
        search.count,
        button('Whole run', () => c.fit(), {
          secondary: true,
          title: 'Zoom out to the whole run (Home)',
        }),
        button(
          'Clear A/B',
          () => {
            c.setMarker('a', undefined);
            c.setMarker('b', undefined);
          },
          { secondary: true, title: 'Remove markers A and B' },
        ),
        markers,
        button('Summarise A–B', () => c.markersArea(), {
          secondary: true,
          title:
            'Count, total and self time per function between markers A and B (or Shift+drag an area)',
        }),
        shown,
        pane.toggle,
        legend(),
      ),
      h('div', { class: 'body' }, c.element, ...pane.parts),
      h('p', {
        class: 'help',
        attrs: { id: 'timeline-keys' },
        text: 'W/S, wheel or +/− zoom (around the pointer), A/D, drag or ←/→ pan, Shift+wheel or ↑/↓ scroll threads, Home shows the whole run; [ and ] select the previous/next span; Shift+A and B set markers at the pointer (or the selected span); Shift+drag selects an area and sums its functions’ times (as Summarise A–B does); click a group to fold it, a thread’s name to pin it.',
      }),
      alternative('Spans in view, as a table', table),
      alternative(`Kernel messages (${m.instants.length})`, messages(m, c)),
      alternative('Threads: fold groups, pin threads to the top', list.element),
    ),
  );
  if (f?.device !== undefined || f?.window || f?.markers) focus(f);
  else {
    if (saved.window) c.setWindow(saved.window[0], saved.window[1]);
    else c.fit();
    // A tab switch reloads the webview: the span the user was reading comes back with it.
    const kept = saved.selected && spanWithId(m, saved.selected);
    if (kept !== undefined) c.select(kept);
  }
  refreshTable();
  markFirstPaint();
}

/** The span a saved selection names, if this run still has it (same id, same function). */
function spanWithId(m: TimelineModel, s: { id: number; name: string }): number | undefined {
  const i = m.spans.id.indexOf(s.id);
  return i >= 0 && m.names[m.spans.name[i]] === s.name ? i : undefined;
}

function markerText(a: number | undefined, b: number | undefined): string {
  if (a === undefined && b === undefined) return 'Markers: press Shift+A / B over the timeline';
  const part = (name: string, t: number | undefined) =>
    t === undefined ? `${name} —` : `${name} ${formatDuration(t)}`;
  return `${part('A', a)} · ${part('B', b)}${a !== undefined && b !== undefined ? ` · Δ ${formatDuration(Math.abs(b - a))}` : ''}`;
}

function legend(): HTMLElement {
  const words = {
    step: 'scenario step',
    hotplug: 'hotplug',
    init: 'struct page init',
    ref: 'references',
    wait: 'waiting',
  };
  return h(
    'span',
    { class: 'legend', attrs: { 'aria-label': 'Span colours' } },
    ...SPAN_CATEGORIES.map((c) =>
      h('span', { class: 'key' }, h('i', { class: `swatch span-${c}` }), words[c]),
    ),
    h('span', { class: 'key' }, h('i', { class: 'swatch lock-hotplug' }), 'mem_hotplug_lock held'),
    h('span', { class: 'key' }, h('i', { class: 'swatch lock-other' }), 'other lock held'),
    h('span', { class: 'key' }, h('i', { class: 'swatch lock-wait' }), 'lock wait'),
  );
}

/** WARN/BUG/pr_info markers as a list: activating one brings it into view. */
function messages(m: TimelineModel, c: TimelineCanvas): HTMLElement {
  return sortableTable(
    m.instants,
    [
      // An imported log's message shows the time it printed; the list still sorts in axis order.
      {
        label: 'time',
        value: (i) => i.t,
        format: (i) => i.printed ?? formatDuration(i.t),
        numeric: true,
      },
      { label: 'level', value: (i) => i.level },
      { label: 'thread', value: (i) => (i.lane === undefined ? '' : m.lanes[i.lane].name) },
      { label: 'message', value: (i) => i.text },
    ],
    {
      caption: 'WARN, BUG and pr_info lines on the timeline',
      onActivate: (i) => {
        const [t0, t1] = c.window();
        const w = Math.min(t1 - t0, Math.max(m.endNs / 20, 1));
        c.setWindow(i.t - w / 2, i.t + w / 2);
        c.setMarker('a', i.t);
      },
    },
  );
}
