import type { SectionDetail } from '../../src/protocol/webview';
import type { MapGeometry } from '../../src/engine/views/memoryMap';
import type { PageKind, PageRun } from '../../src/engine/views/sectionDetail';
import { formatSize, hex } from '../../src/engine/units';
import { h } from '../shared/dom';
import { KIND_WORDS } from './mapRows';
import { cellGrid, type Cell } from './cellGrid';

/** Cells per row: a panel beside an editor is narrow (16 sub-sections, pageblocks; 32 pages). */
const COLS = 16;

/** Pages drawn at most in one window (a 64 KiB-page pageblock has 8192). */
const MAX_PAGES = 4096;

const PAGE_WORDS: Record<PageKind, string> = {
  'no-memmap': 'no memmap (pfn_valid false)',
  uninitialised: 'memmap not initialised',
  free: 'free (refcount 0)',
  'in-use': 'in use',
  reserved: 'PG_reserved',
  offline: 'offline',
  device: 'ZONE_DEVICE, idle',
  'device-in-use': 'ZONE_DEVICE, referenced or mapped',
};

export interface SectionSelection {
  /** The pfns [start, end) shown page by page. */
  window: [number, number];
  pfn?: number;
}

export interface SectionActions {
  window(start: number, end: number): void;
  page(pfn: number): void;
}

/** A section opened up: flags, its sub-sections, pageblocks, memmap backing, and a window of pages. */
export function sectionView(
  d: SectionDetail,
  g: MapGeometry,
  sel: SectionSelection,
  on: SectionActions,
): HTMLElement {
  const s = d.state;
  const flags = [
    s.present && 'present',
    s.valid && 'has-mem-map',
    s.online && 'online',
    s.early && 'early',
    s.taintZoneDevice && 'taint-zone-device',
  ].filter(Boolean);
  const inWindow = (a: number, b: number) => a < sel.window[1] && b > sel.window[0];
  return h(
    'div',
    { class: 'section-detail' },
    h('h2', { text: `Section ${d.nr} · pfn ${hex(d.start)}–${hex(d.end - 1)}` }),
    h('p', {
      class: 'muted',
      text: `${KIND_WORDS[d.kind]} · ${s.nid >= 0 ? `node ${s.nid} · ` : ''}flags: ${flags.join(', ') || 'none'} · subsection_map ${s.subsectionMap} (${s.populated}/${d.subsections.length} populated)${d.afterStep === undefined ? '' : ` · after step ${d.afterStep}`}`,
    }),
    h('h3', {
      text: `${d.subsections.length} sub-sections of ${formatSize(g.pagesPerSubsection * g.pageSize)}`,
    }),
    cellGrid(
      d.subsections.map((x) => ({
        kind: x.kind,
        inactive: !x.active,
        selected: inWindow(x.start, x.end) && sel.window[1] - sel.window[0] <= x.end - x.start,
        label: `sub-section ${x.index}: pfn ${hex(x.start)}–${hex(x.end - 1)}, bit ${x.active ? 'set' : 'clear'}, ${PAGE_WORDS[x.kind]}`,
      })),
      {
        label: 'Sub-sections',
        cols: Math.min(COLS, d.subsections.length),
        onActivate: (i) => on.window(d.subsections[i].start, d.subsections[i].end),
      },
    ),
    h('h3', {
      text: `${d.pageblocks.length} pageblock${d.pageblocks.length === 1 ? '' : 's'} of ${formatSize(g.pageblockPages * g.pageSize)}`,
    }),
    cellGrid(
      d.pageblocks.map((b) => ({
        kind: b.kind,
        text: b.migratetype?.[0],
        selected: inWindow(b.start, b.end) && sel.window[1] - sel.window[0] === b.end - b.start,
        label: `pageblock at pfn ${hex(b.start)}: ${b.migratetype ?? 'no migratetype'}, ${PAGE_WORDS[b.kind]}`,
      })),
      {
        label: 'Pageblocks',
        cols: Math.min(COLS, d.pageblocks.length),
        onActivate: (i) => on.window(d.pageblocks[i].start, d.pageblocks[i].end),
        size: 'wide',
      },
    ),
    h('h3', { text: `Pages ${hex(sel.window[0])}–${hex(sel.window[1] - 1)}` }),
    pageGrid(d.pages, sel, on),
    h('h3', { text: 'memmap (vmemmap) backing' }),
    d.vmemmap.length
      ? h(
          'ul',
          { class: 'plain' },
          ...d.vmemmap.map((v) =>
            h('li', {
              text: `pfn ${hex(v.start)}–${hex(v.end - 1)}: ${v.on === 'altmap' ? `on ${v.device}'s altmap (device memory)` : v.on === 'boot' ? 'boot memmap (memblock)' : `node ${v.node} DRAM`}${v.compoundPages ? `, tail pages shared per ${v.compoundPages}-page compound page` : ''}`,
            }),
          ),
        )
      : h('p', { class: 'muted', text: 'No vmemmap: these pfns have no struct pages.' }),
  );
}

function pageGrid(runs: PageRun[], sel: SectionSelection, on: SectionActions): HTMLElement {
  const [start, end] = [sel.window[0], Math.min(sel.window[1], sel.window[0] + MAX_PAGES)];
  const cells: Cell[] = [];
  let r = 0;
  for (let pfn = start; pfn < end; pfn++) {
    while (r < runs.length && runs[r].end <= pfn) r++;
    const run = runs[r] && runs[r].start <= pfn ? runs[r] : undefined;
    const kind = run?.kind ?? 'no-memmap';
    const detail =
      run?.refcount === undefined
        ? ''
        : `, refcount ${run.refcount}, mapcount ${run.mapcount}${run.flags.length ? `, ${run.flags.join('|')}` : ''}`;
    cells.push({
      kind,
      selected: pfn === sel.pfn,
      label: `pfn ${hex(pfn)}: ${PAGE_WORDS[kind]}${detail}`,
    });
  }
  return h(
    'div',
    {},
    cellGrid(cells, {
      label: 'Pages (Enter inspects)',
      cols: 2 * COLS,
      onActivate: (i) => on.page(start + i),
      size: 'small',
    }),
    end < sel.window[1]
      ? h('p', {
          class: 'muted',
          text: `First ${MAX_PAGES} of ${sel.window[1] - sel.window[0]} pages; pick a sub-section for the rest.`,
        })
      : undefined,
    h(
      'p',
      { class: 'legend' },
      ...(Object.keys(PAGE_WORDS) as PageKind[])
        .filter((k) => cells.some((c) => c.kind === k))
        .map((k) => h('span', { class: 'key' }, h('i', { class: `swatch ${k}` }), PAGE_WORDS[k])),
    ),
  );
}
