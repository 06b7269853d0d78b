import type { InspectorModel, SectionDetail } from '../../src/protocol/webview';
import type { PageModel } from '../../src/engine/views/pageModel';
import { SECTION_KINDS } from '../../src/engine/views/memoryMap';
import { formatSize, hex } from '../../src/engine/units';
import { connect } from '../shared/vscodeApi';
import { h, mount, replace } from '../shared/dom';
import { alternative, sortableTable } from '../shared/table';
import { button, textField } from '../shared/toolkit';
import { markFirstPaint } from '../shared/firstPaint';
import { MapCanvas } from './mapCanvas';
import { KIND_WORDS } from './mapRows';
import { sectionView } from './sectionView';
import { historyTable, pageView } from './pageView';

const channel = connect('inspector');
let inspect: ((text: string) => void) | undefined;
let previous: MapCanvas | undefined;

channel.ready((message) => {
  switch (message.type) {
    case 'inspector':
      channel.save({ uri: message.uri });
      show(message.model);
      return;
    case 'inspect':
      inspect?.(message.text);
      return;
    default: {
      const never: never = message;
      throw new Error(`unexpected message ${JSON.stringify(never)}`);
    }
  }
});

/** Answers that arrive after a newer request of the same kind are dropped (fast scrubbing). */
function latestOnly<A extends unknown[], R>(fn: (...a: A) => Promise<R>): (...a: A) => Promise<R | undefined> {
  let seq = 0;
  return async (...a) => {
    const mine = ++seq;
    const r = await fn(...a);
    return mine === seq ? r : undefined;
  };
}

function show(model: InspectorModel): void {
  const saved = channel.saved();
  const steps = model.steps;
  let pos = Math.max(0, steps.length - 1);
  let map = model.map;
  let page: PageModel | undefined;
  let section: SectionDetail | undefined;
  let window: [number, number] | undefined;
  const afterStep = () => steps[pos]?.index;

  const error = h('span', { class: 'error', attrs: { role: 'alert' } });
  const stepLabel = h('span', { class: 'step-label', attrs: { 'aria-live': 'polite' } });
  const slider = h('input', { attrs: { type: 'range', min: 0, max: Math.max(0, steps.length - 1), value: pos, 'aria-label': 'After step' } });
  const legend = h('p', { class: 'legend' });
  const runsTable = h('div');
  const sectionPane = h('div', { class: 'section-pane' }, h('p', { class: 'hint', text: 'Click a section in the map (or move with the arrow keys) to open its sub-sections, pageblocks and pages.' }));
  const pagePane = h('div', { class: 'page-pane', attrs: { 'aria-live': 'polite' } }, h('p', { class: 'hint', text: 'Type a pfn (0x6c00200) or device+offset (pmem0+0x1000), or click a page.' }));
  const mapCanvas = new MapCanvas(map, (s) => void loadSection(s));
  previous?.dispose();
  previous = mapCanvas;

  const fetchMap = latestOnly((step: number | undefined) => channel.request('memoryMap', { afterStep: step }));
  const fetchSection = latestOnly((nr: number, step: number | undefined) => channel.request('sectionDetail', { section: nr, afterStep: step }));
  const fetchPage = latestOnly((text: string, step: number | undefined) => channel.request('inspectPage', { text, afterStep: step }));

  const drawMapText = () => {
    replace(legend, ...SECTION_KINDS.filter((k) => map.totals[k] > 0).map((k) => h('span', { class: 'key' }, h('i', { class: `swatch ${k}` }), `${KIND_WORDS[k]}: ${map.totals[k]}`)));
    const g = map.geometry;
    replace(runsTable, sortableTable(map.runs, [
      { label: 'sections', value: (r) => r.start, format: (r) => `${r.start}–${r.end - 1}`, numeric: true },
      { label: 'pfns', value: (r) => r.start, format: (r) => `${hex(r.start * g.pagesPerSection)}–${hex(r.end * g.pagesPerSection - 1)}` },
      { label: 'size', value: (r) => r.end - r.start, format: (r) => formatSize((r.end - r.start) * g.pagesPerSection * g.pageSize), numeric: true },
      { label: 'state', value: (r) => KIND_WORDS[r.kind] },
      { label: 'node', value: (r) => r.nid, numeric: true },
      { label: 'device', value: (r) => r.device ?? '' },
      { label: 'sub-sections', value: (r) => r.populated, format: (r) => `${r.populated}/${g.subsectionsPerSection}`, numeric: true },
    ], { caption: 'Section runs (sections not listed have no memmap)', onActivate: (r) => void loadSection(r.start) }));
  };

  const drawSection = () => {
    if (!section || !window) return;
    replace(sectionPane, sectionView(section, map.geometry, { window, pfn: page?.pfn }, {
      window: (a, b) => { window = [a, b]; drawSection(); },
      page: (pfn) => inspectText(hex(pfn)),
    }));
  };

  async function loadSection(nr: number): Promise<void> {
    const d = await fetchSection(nr, afterStep());
    if (!d) return;
    section = d;
    mapCanvas.select(nr);
    const inside = (w?: [number, number]) => w && w[0] >= d.start && w[1] <= d.end;
    const sub = map.geometry.pagesPerSubsection;
    if (!inside(window)) {
      const at = page && page.pfn >= d.start && page.pfn < d.end ? page.pfn : d.start;
      const first = d.start + Math.floor((at - d.start) / sub) * sub;
      window = [first, first + sub];
    }
    drawSection();
  }

  const drawPage = () => {
    if (!page) return;
    const p = page.history.find((x) => x.afterStep === afterStep()) ?? page.page;
    replace(pagePane,
      h('h2', { text: `struct page for pfn ${hex(page.pfn)}` }),
      h('p', { class: 'muted', text: `after step ${p.afterStep ?? 'the last'}${steps[pos] ? ` (${steps[pos].op})` : ''}` }),
      pageView(page, p),
      h('h3', { text: 'History' }),
      historyTable(page, steps, afterStep(), (step) => setStep(steps.findIndex((s) => s.index === step))));
  };

  async function inspectText(text: string): Promise<void> {
    field.value = text;
    error.textContent = '';
    const answer = await fetchPage(text, afterStep());
    if (!answer) return;
    if ('error' in answer) {
      error.textContent = answer.error;
      return;
    }
    page = answer;
    channel.save({ pfnText: text });
    window = undefined;
    drawPage();
    mapCanvas.select(answer.section, answer.section);
    await loadSection(answer.section);
  }
  inspect = (text) => void inspectText(text);

  async function setStep(i: number): Promise<void> {
    if (i < 0 || i >= steps.length) return;
    pos = i;
    slider.value = String(i);
    const s = steps[i];
    stepLabel.textContent = `after step ${s.index}: ${s.op}${s.outcome === 'ok' ? '' : ` (${s.outcome})`}${s.line ? ` · line ${s.line}` : ''}`;
    channel.save({ afterStep: s.index });
    drawPage();
    const m = await fetchMap(s.index);
    if (!m) return;
    map = m;
    mapCanvas.setMap(m);
    drawMapText();
    if (section) await loadSection(section.nr);
  }

  const field = textField({ label: 'pfn or device+offset', placeholder: '0x6c00200 or pmem0+0x1000', size: 28, onEnter: (v) => void inspectText(v) });
  slider.addEventListener('input', () => void setStep(Number(slider.value)));
  const stepAt = steps[pos];
  stepLabel.textContent = stepAt ? `after step ${stepAt.index}: ${stepAt.op} (the end of the run)` : 'no steps ran';

  mount(h('div', { class: 'view inspector' },
    h('header', { class: 'bar' }, h('h1', { text: model.title }),
      h('span', { class: 'meta', text: `${map.geometry.arch} · ${formatSize(map.geometry.pagesPerSection * map.geometry.pageSize)} sections · ${map.devices.length} device(s)` })),
    h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Inspector tools' } },
      field, button('Inspect', () => void inspectText(field.value)), error),
    h('div', { class: 'toolbar scrubber' },
      button('◀', () => void setStep(pos - 1), { secondary: true, title: 'Previous step' }), slider,
      button('▶', () => void setStep(pos + 1), { secondary: true, title: 'Next step' }), stepLabel,
      steps[pos]?.line ? button('Reveal in scenario', () => channel.post({ type: 'revealStep', step: steps[pos].index }), { secondary: true }) : undefined),
    h('div', { class: 'columns' },
      h('div', { class: 'left' }, h('h2', { text: 'Memory map' }), legend, mapCanvas.element, alternative('Section runs, as a table', runsTable), sectionPane),
      h('div', { class: 'right' }, pagePane)),
  ));
  drawMapText();
  markFirstPaint();
  const savedStep = steps.findIndex((s) => s.index === saved.afterStep);
  void (async () => {
    if (savedStep >= 0 && savedStep !== pos) await setStep(savedStep);
    const text = model.pfnText ?? saved.pfnText;
    if (text) await inspectText(text);
  })();
}
