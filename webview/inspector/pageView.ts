import type { PageInfo } from '../../src/engine/run/inspect';
import type { PageModel } from '../../src/engine/views/pageModel';
import type { StepItem } from '../../src/protocol/webview';
import { formatDuration } from '../../src/engine/views/timeAxis';
import { hex } from '../../src/engine/units';
import { h } from '../shared/dom';

type Field = [string, string | HTMLElement | undefined];

/** The struct page as `memmap-lab inspect` prints it, field by field. */
export function pageView(m: PageModel, page: PageInfo): HTMLElement {
  const p = page;
  const s = p.section;
  const fields: Field[] = [
    [
      'pfn',
      `${hex(p.pfn)}${m.deviceOffset ? ` (${m.deviceOffset.device}+${m.deviceOffset.offset})` : ''}`,
    ],
    ['phys', p.phys],
    ['memmap', p.memmap],
    [
      'flags',
      p.flags.length
        ? h(
            'span',
            { class: 'flags' },
            ...p.flags.map((f) => h('span', { class: 'badge', text: f })),
          )
        : '(none)',
    ],
    ['refcount', p.memmap === 'initialised' ? String(p.refcount) : undefined],
    ['mapcount', p.memmap === 'initialised' ? String(p.mapcount) : undefined],
    ['zone', p.zone],
    ['nid', p.nid === undefined ? undefined : String(p.nid)],
    [
      'pgmap',
      p.pgmap &&
        `${p.pgmap.device} (${p.pgmap.type}) ${p.pgmap.range[0]}–${p.pgmap.range[1]}, vmemmap_shift ${p.pgmap.vmemmapShift}`,
    ],
    [
      'compound',
      p.compound &&
        `${p.compound.isHead ? 'head' : 'tail'} of order ${p.compound.order}, head pfn ${hex(p.compound.head)}`,
    ],
    ['migratetype', p.migratetype],
    [
      'initialised by',
      p.initialisedBy &&
        `${p.initialisedBy} at ${formatDuration(p.initialisedAtNs ?? 0)} (step ${p.initialisedStep})`,
    ],
    ['struct page at', p.vmemmap?.address],
    ['vmemmap page', p.vmemmap && vmemmapText(p.vmemmap)],
    [
      'shared with',
      p.vmemmap &&
        `pfns ${m.vmemmapSharers.first}–${m.vmemmapSharers.last} (${m.vmemmapSharers.count} struct pages per vmemmap page)${p.vmemmap?.sharedTail ? `; tail page mapped by ${p.vmemmap.sharedTail.ptes} PTEs for ${p.vmemmap.sharedTail.structPages} struct pages` : ''}`,
    ],
    ['pfn_valid()', String(p.pfnValid)],
    ['pfn_to_online_page()', p.pfnToOnlinePage ? 'the page' : 'NULL'],
    [
      'section',
      `${s.nr}: ${[s.present && 'present', s.valid && 'has-mem-map', s.online && 'online', s.early && 'early', s.taintZoneDevice && 'taint-zone-device'].filter(Boolean).join(', ') || 'not present'}`,
    ],
    [
      'sub-section',
      `${s.subsection} (bit ${s.subsectionActive ? 'set' : 'clear'}; ${s.subsectionsPopulated}/${s.subsectionsPerSection} populated)`,
    ],
  ];
  return h(
    'dl',
    { class: 'page' },
    ...fields
      .filter(([, v]) => v !== undefined)
      .flatMap(([k, v]) => [
        h('dt', { text: k }),
        typeof v === 'string' ? h('dd', { text: v }) : h('dd', {}, v),
      ]),
  );
}

function vmemmapText(v: NonNullable<PageInfo['vmemmap']>): string {
  const where =
    v.on === 'altmap'
      ? `${v.device}'s altmap (on the device), node ${v.node}`
      : v.on === 'boot'
        ? `boot memmap, node ${v.node}`
        : `DRAM of node ${v.node}`;
  return `in ${where}`;
}

/** What the history table compares from step to step. */
const TRACKED: [string, (p: PageInfo) => string][] = [
  ['memmap', (p) => p.memmap],
  ['flags', (p) => p.flags.join('|') || '—'],
  ['refcount', (p) => (p.memmap === 'initialised' ? String(p.refcount) : '—')],
  ['mapcount', (p) => (p.memmap === 'initialised' ? String(p.mapcount) : '—')],
  ['zone', (p) => p.zone ?? '—'],
  ['pfn_valid', (p) => String(p.pfnValid)],
  ['online page', (p) => (p.pfnToOnlinePage ? 'yes' : 'NULL')],
  ['initialised by', (p) => p.initialisedBy ?? '—'],
];

/** The pfn after every step: what changed is marked; activating a row moves the scrubber there. */
export function historyTable(
  m: PageModel,
  steps: StepItem[],
  current: number | undefined,
  onStep: (step: number) => void,
): HTMLElement {
  const op = new Map(steps.map((s) => [s.index, s.op]));
  return h(
    'table',
    { class: 'data history' },
    h('caption', { text: `${hex(m.pfn)} after each step (changes marked)` }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { text: 'step', attrs: { scope: 'col' } }),
        ...TRACKED.map(([name]) => h('th', { text: name, attrs: { scope: 'col' } })),
      ),
    ),
    h(
      'tbody',
      {},
      ...m.history.map((p, i) => {
        const prev = m.history[i - 1];
        const tr = h(
          'tr',
          {
            class: `activatable${p.afterStep === current ? ' selected' : ''}`,
            attrs: { tabindex: 0, 'aria-selected': p.afterStep === current },
          },
          h('td', { text: `${p.afterStep}: ${op.get(p.afterStep ?? -1) ?? ''}` }),
          ...TRACKED.map(([, get]) =>
            h('td', { text: get(p), class: prev && get(prev) !== get(p) ? 'changed' : undefined }),
          ),
        );
        const go = () => p.afterStep !== undefined && onStep(p.afterStep);
        tr.addEventListener('click', go);
        tr.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            go();
          }
        });
        return tr;
      }),
    ),
  );
}
