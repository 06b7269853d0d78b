import type { SpanDetails, TimelineModel } from '../../src/protocol/webview';
import type { ViewChannel } from '../shared/vscodeApi';
import { formatDuration } from '../../src/engine/views/timeAxis';
import { h, replace } from '../shared/dom';
import { button } from '../shared/toolkit';

/** Fills the details pane for a span: asks the host, which holds the run's full trace. */
export async function renderDetails(
  channel: ViewChannel<'timeline'>,
  m: TimelineModel,
  span: number | undefined,
  pane: HTMLElement,
): Promise<void> {
  if (span === undefined) {
    replace(pane, h('p', { class: 'hint', text: 'No span selected.' }));
    return;
  }
  replace(pane, h('p', { class: 'hint', text: `${m.names[m.spans.name[span]]}…` }));
  try {
    const d = await channel.request('spanDetails', { spanId: m.spans.id[span] });
    replace(
      pane,
      d
        ? detailsOf(channel, d)
        : h('p', { class: 'hint', text: 'This span is not in the current run any more.' }),
    );
  } catch (e) {
    replace(pane, h('p', { class: 'error', text: e instanceof Error ? e.message : String(e) }));
  }
}

function detailsOf(channel: ViewChannel<'timeline'>, d: SpanDetails): HTMLElement {
  const rows: [string, string | undefined][] = [
    ['thread', d.thread],
    ['node', d.node === undefined ? undefined : String(d.node)],
    ['device', d.device],
    ['pfns', d.pfnRange ? `${d.pfnRange[0]} – ${d.pfnRange[1]}` : undefined],
    ['pages', d.pages?.toLocaleString('en-US')],
    ['start', formatDuration(d.startNs)],
    ['duration', formatDuration(d.durationNs)],
    ['self time', d.selfNs === d.durationNs ? undefined : formatDuration(d.selfNs)],
    ['step', d.step === undefined ? undefined : String(d.step)],
    ...d.extra.map(([k, v]): [string, string] => [k, v]),
  ];
  const actions = h(
    'div',
    { class: 'actions' },
    d.step !== undefined
      ? button('Reveal in scenario', () => channel.post({ type: 'revealStep', step: d.step! }), {
          title: 'Open the scenario at this step',
        })
      : undefined,
    d.pfnRange
      ? button(
          'Inspect first pfn',
          () => channel.post({ type: 'openInspector', text: d.pfnRange![0] }),
          { secondary: true },
        )
      : undefined,
  );
  return h(
    'div',
    {},
    h('h2', { class: 'fn', text: d.name }),
    d.path.length ? h('p', { class: 'path', text: [...d.path, d.name].join(' → ') }) : undefined,
    h(
      'dl',
      {},
      ...rows
        .filter(([, v]) => v !== undefined)
        .flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]),
    ),
    d.cost.length
      ? costTable(d)
      : h('p', {
          class: 'hint',
          text:
            d.durationNs > 0
              ? "No cost terms of its own: its time is its children's (or a wait)."
              : 'Instantaneous.',
        }),
    actions,
  );
}

/** The cost terms that made the span's own time, largest first. */
function costTable(d: SpanDetails): HTMLElement {
  return h(
    'table',
    { class: 'data cost' },
    h('caption', { text: `Cost terms: ${formatDuration(d.costNs)}` }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { text: 'term', attrs: { scope: 'col' } }),
        h('th', { class: 'num', text: 'count', attrs: { scope: 'col' } }),
        h('th', { class: 'num', text: 'time', attrs: { scope: 'col' } }),
        h('th', { class: 'num', text: 'share', attrs: { scope: 'col' } }),
      ),
    ),
    h(
      'tbody',
      {},
      ...d.cost.map((c) =>
        h(
          'tr',
          {},
          h('td', { text: c.name }),
          h('td', { class: 'num', text: c.count.toLocaleString('en-US') }),
          h('td', { class: 'num', text: formatDuration(c.ns) }),
          h('td', {
            class: 'num',
            text: d.costNs ? `${((c.ns / d.costNs) * 100).toFixed(1)}%` : '',
          }),
        ),
      ),
    ),
  );
}
