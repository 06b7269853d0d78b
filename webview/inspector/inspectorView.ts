import type { InspectorModel, MemoryMapModel, SectionDetail } from '../../src/protocol/webview';
import type { PageModel } from '../../src/engine/views/pageModel';
import { SECTION_KINDS } from '../../src/engine/views/memoryMap';
import { formatSize, hex } from '../../src/engine/units';
import type { ViewChannel } from '../shared/vscodeApi';
import { h, mount, replace } from '../shared/dom';
import { alternative, sortableTable } from '../shared/table';
import { button, textField } from '../shared/toolkit';
import { markFirstPaint } from '../shared/firstPaint';
import { MapCanvas } from './mapCanvas';
import { KIND_WORDS } from './mapRows';
import { sectionView } from './sectionView';
import { historyTable, pageView } from './pageView';
import { KmemPane } from './kmemView';

/** Answers that arrive after a newer request of the same kind are dropped (fast scrubbing). */
function latestOnly<A extends unknown[], R>(
  fn: (...a: A) => Promise<R>,
): (...a: A) => Promise<R | undefined> {
  let seq = 0;
  return async (...a) => {
    const mine = ++seq;
    const r = await fn(...a);
    return mine === seq ? r : undefined;
  };
}

/**
 * One run in the inspector: the memory map after a step, the section opened from it, and the
 * struct page typed or clicked. The step scrubber, the map, the section and the page each ask the
 * host for their part; a newer question makes an older answer moot.
 */
export class InspectorView {
  private readonly steps: InspectorModel['steps'];
  private pos: number;
  private map: MemoryMapModel;
  private page: PageModel | undefined;
  private section: SectionDetail | undefined;
  /** The open section's pages on show, [start, end) pfns. */
  private pages: [number, number] | undefined;

  private readonly error = h('span', { class: 'error', attrs: { role: 'alert' } });
  private readonly stepLabel = h('span', { class: 'step-label', attrs: { 'aria-live': 'polite' } });
  private readonly slider: HTMLInputElement;
  private readonly legend = h('p', { class: 'legend' });
  private readonly runsTable = h('div');
  private readonly sectionPane = h(
    'div',
    { class: 'section-pane' },
    h('p', {
      class: 'hint',
      text: 'Click a section in the map (or move with the arrow keys) to open its sub-sections, pageblocks and pages.',
    }),
  );
  private readonly pagePane = h(
    'div',
    { class: 'page-pane', attrs: { 'aria-live': 'polite' } },
    h('p', {
      class: 'hint',
      text: 'Type a pfn (0x6c00200) or device+offset (pmem0+0x1000), or click a page.',
    }),
  );
  private readonly mapCanvas: MapCanvas;
  private readonly field: ReturnType<typeof textField>;
  private readonly kmem = new KmemPane(
    latestOnly((text: string, count: number) =>
      this.channel.request('kmemP', { text, count, afterStep: this.afterStep() }),
    ),
  );

  private readonly fetchMap = latestOnly((step: number | undefined) =>
    this.channel.request('memoryMap', { afterStep: step }),
  );
  private readonly fetchSection = latestOnly((nr: number, step: number | undefined) =>
    this.channel.request('sectionDetail', { section: nr, afterStep: step }),
  );
  private readonly fetchPage = latestOnly((text: string, step: number | undefined) =>
    this.channel.request('inspectPage', { text, afterStep: step }),
  );

  constructor(
    private readonly channel: ViewChannel<'inspector'>,
    model: InspectorModel,
  ) {
    const steps = (this.steps = model.steps);
    this.pos = Math.max(0, steps.length - 1);
    this.map = model.map;
    this.slider = h('input', {
      attrs: {
        type: 'range',
        min: 0,
        max: Math.max(0, steps.length - 1),
        value: this.pos,
        'aria-label': 'After step',
      },
    });
    this.mapCanvas = new MapCanvas(this.map, (s) => void this.loadSection(s));
    this.field = textField({
      label: 'pfn or device+offset',
      placeholder: '0x6c00200 or pmem0+0x1000',
      size: 28,
      onEnter: (v) => void this.inspect(v),
    });
    this.slider.addEventListener('input', () => void this.setStep(Number(this.slider.value)));
    const stepAt = steps[this.pos];
    this.stepLabel.textContent = stepAt
      ? `after step ${stepAt.index}: ${stepAt.op} (the end of the run)`
      : 'no steps ran';

    const g = this.map.geometry;
    mount(
      h(
        'div',
        { class: 'view inspector' },
        h(
          'header',
          { class: 'bar' },
          h('h1', { text: model.title }),
          h('span', {
            class: 'meta',
            text: `${g.arch} · ${formatSize(g.pagesPerSection * g.pageSize)} sections · ${this.map.devices.length} device(s)`,
          }),
        ),
        h(
          'div',
          { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Inspector tools' } },
          this.field,
          button('Inspect', () => void this.inspect(this.field.value)),
          this.error,
        ),
        h(
          'div',
          { class: 'toolbar scrubber' },
          button('◀', () => void this.setStep(this.pos - 1), {
            secondary: true,
            title: 'Previous step',
            name: 'Previous step',
          }),
          this.slider,
          button('▶', () => void this.setStep(this.pos + 1), {
            secondary: true,
            title: 'Next step',
            name: 'Next step',
          }),
          this.stepLabel,
          steps[this.pos]?.line
            ? button(
                'Reveal in scenario',
                () => channel.post({ type: 'revealStep', step: steps[this.pos].index }),
                { secondary: true },
              )
            : undefined,
        ),
        h(
          'div',
          { class: 'columns' },
          h(
            'div',
            { class: 'left' },
            h('h2', { text: 'Memory map' }),
            this.legend,
            this.mapCanvas.element,
            alternative('Section runs, as a table', this.runsTable),
            this.sectionPane,
          ),
          h('div', { class: 'right' }, this.pagePane, this.kmem.element),
        ),
      ),
    );
    this.drawMapText();
    markFirstPaint();
  }

  /**
   * Goes back to the step and pfn saved before a reload; else to the step the view was opened at
   * (where the device is live), then to the pfn it was opened on.
   */
  async restore(
    saved: { afterStep?: number; pfnText?: string },
    pfnText: string | undefined,
    afterStep?: number,
  ): Promise<void> {
    const savedStep = this.steps.some((s) => s.index === saved.afterStep);
    await this.goToStep(savedStep ? saved.afterStep : afterStep);
    const text = pfnText ?? saved.pfnText;
    if (text) await this.inspect(text);
  }

  dispose(): void {
    this.mapCanvas.dispose();
  }

  /** Goes to a step (a StepItem index) if given, then looks up a pfn there. */
  async inspectAt(text: string, afterStep: number | undefined): Promise<void> {
    await this.goToStep(afterStep);
    await this.inspect(text);
  }

  /** Moves the scrubber to the run's step `index`, if the run has it. */
  private async goToStep(index: number | undefined): Promise<void> {
    const i = this.steps.findIndex((s) => s.index === index);
    if (i >= 0 && i !== this.pos) await this.setStep(i);
  }

  /** Looks up a pfn or device+offset and opens its section. */
  async inspect(text: string): Promise<void> {
    this.field.value = text;
    this.error.textContent = '';
    const answer = await this.fetchPage(text, this.afterStep());
    if (!answer) return;
    if ('error' in answer) {
      this.error.textContent = answer.error;
      return;
    }
    this.page = answer;
    this.channel.save({ pfnText: text });
    this.pages = undefined;
    this.drawPage();
    this.mapCanvas.select(answer.section, answer.section);
    await Promise.all([this.loadSection(answer.section), this.kmem.offer(hex(answer.pfn))]);
  }

  private afterStep(): number | undefined {
    return this.steps[this.pos]?.index;
  }

  private drawMapText(): void {
    const map = this.map;
    replace(
      this.legend,
      ...SECTION_KINDS.filter((k) => map.totals[k] > 0).map((k) =>
        h(
          'span',
          { class: 'key' },
          h('i', { class: `swatch ${k}` }),
          `${KIND_WORDS[k]}: ${map.totals[k]}`,
        ),
      ),
    );
    const g = map.geometry;
    replace(
      this.runsTable,
      sortableTable(
        map.runs,
        [
          {
            label: 'sections',
            value: (r) => r.start,
            format: (r) => `${r.start}–${r.end - 1}`,
            numeric: true,
          },
          {
            label: 'pfns',
            value: (r) => r.start,
            format: (r) =>
              `${hex(r.start * g.pagesPerSection)}–${hex(r.end * g.pagesPerSection - 1)}`,
          },
          {
            label: 'size',
            value: (r) => r.end - r.start,
            format: (r) => formatSize((r.end - r.start) * g.pagesPerSection * g.pageSize),
            numeric: true,
          },
          { label: 'state', value: (r) => KIND_WORDS[r.kind] },
          { label: 'node', value: (r) => r.nid, numeric: true },
          { label: 'device', value: (r) => r.device ?? '' },
          {
            label: 'sub-sections',
            value: (r) => r.populated,
            format: (r) => `${r.populated}/${g.subsectionsPerSection}`,
            numeric: true,
          },
        ],
        {
          caption: 'Section runs (sections not listed have no memmap)',
          onActivate: (r) => void this.loadSection(r.start),
        },
      ),
    );
  }

  private drawSection(): void {
    if (!this.section || !this.pages) return;
    replace(
      this.sectionPane,
      sectionView(
        this.section,
        this.map.geometry,
        { window: this.pages, pfn: this.page?.pfn },
        {
          window: (a, b) => {
            this.pages = [a, b];
            this.drawSection();
          },
          page: (pfn) => void this.inspect(hex(pfn)),
        },
      ),
    );
  }

  private async loadSection(nr: number): Promise<void> {
    const d = await this.fetchSection(nr, this.afterStep());
    if (!d) return;
    this.section = d;
    this.mapCanvas.select(nr);
    const inside = (w?: [number, number]) => w && w[0] >= d.start && w[1] <= d.end;
    const sub = this.map.geometry.pagesPerSubsection;
    if (!inside(this.pages)) {
      const page = this.page;
      const at = page && page.pfn >= d.start && page.pfn < d.end ? page.pfn : d.start;
      const first = d.start + Math.floor((at - d.start) / sub) * sub;
      this.pages = [first, first + sub];
    }
    this.drawSection();
  }

  private drawPage(): void {
    const page = this.page;
    if (!page) return;
    const steps = this.steps;
    const p = page.history.find((x) => x.afterStep === this.afterStep()) ?? page.page;
    replace(
      this.pagePane,
      h('h2', { text: `struct page for pfn ${hex(page.pfn)}` }),
      h('p', {
        class: 'muted',
        text: `after step ${p.afterStep ?? 'the last'}${steps[this.pos] ? ` (${steps[this.pos].op})` : ''}`,
      }),
      pageView(page, p),
      h('h3', { text: 'History' }),
      historyTable(page, steps, this.afterStep(), (step) =>
        this.setStep(steps.findIndex((s) => s.index === step)),
      ),
    );
  }

  private async setStep(i: number): Promise<void> {
    if (i < 0 || i >= this.steps.length) return;
    this.pos = i;
    this.slider.value = String(i);
    const s = this.steps[i];
    this.stepLabel.textContent = `after step ${s.index}: ${s.op}${s.outcome === 'ok' ? '' : ` (${s.outcome})`}${s.line ? ` · line ${s.line}` : ''}`;
    this.channel.save({ afterStep: s.index });
    this.drawPage();
    void this.kmem.refresh();
    const m = await this.fetchMap(s.index);
    if (!m) return;
    this.map = m;
    this.mapCanvas.setMap(m);
    this.drawMapText();
    if (this.section) await this.loadSection(this.section.nr);
  }
}
