import type { MemoryMapModel } from '../../src/protocol/webview';
import { hex } from '../../src/engine/units';
import { h, perFrame } from '../shared/dom';
import { onThemeChange, themeColors, withAlpha, type ThemeColors } from '../shared/theme';
import { CELL, HEAD_H, KIND_WORDS, mapRows, ROW_H, rowHeight, runAt, type MapRow } from './mapRows';

const LEFT = 92;

/**
 * The memory map, virtualised: a scroll box whose height is the whole map, and a canvas the
 * size of the viewport that draws only the rows in view. A machine of 8 × 3 TiB costs as much to
 * draw as one of 1 GiB.
 */
export class MapCanvas {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tip: HTMLElement;
  private rows: MapRow[] = [];
  private tops: number[] = [];
  private cols = 64;
  private theme: ThemeColors = themeColors();
  private selected?: number;
  private marked?: number;
  private readonly redraw = perFrame(() => this.draw());
  private readonly stops: (() => void)[] = [];

  constructor(
    private map: MemoryMapModel,
    private readonly onSelect: (section: number) => void,
  ) {
    this.canvas = h('canvas', {
      attrs: {
        tabindex: 0,
        role: 'application',
        'aria-roledescription': 'memory map',
        'aria-label':
          'Memory map: sections coloured by state. Arrow keys move between sections, Enter opens one.',
      },
    });
    this.spacer = h('div', { class: 'spacer' });
    this.tip = h('div', { class: 'tip', attrs: { role: 'tooltip', hidden: true } });
    this.scroller = h('div', { class: 'map-scroll' }, this.canvas, this.spacer);
    this.element = h('div', { class: 'map' }, this.scroller, this.tip);
    this.scroller.addEventListener('scroll', this.redraw, { passive: true });
    const resize = new ResizeObserver(() => this.relayout());
    resize.observe(this.scroller);
    this.stops.push(
      () => resize.disconnect(),
      onThemeChange(() => {
        this.theme = themeColors();
        this.redraw();
      }),
    );
    this.listen();
  }

  /** Stops observing size and theme (the view is being replaced by a newer run's). */
  dispose(): void {
    this.stops.splice(0).forEach((stop) => stop());
  }

  setMap(map: MemoryMapModel): void {
    this.map = map;
    this.relayout();
  }

  /** Highlights a section and brings it into view. */
  select(section: number | undefined, pfnSection?: number): void {
    this.selected = section;
    if (pfnSection !== undefined) this.marked = pfnSection;
    if (section !== undefined) this.reveal(section);
    this.redraw();
  }

  private relayout(): void {
    const width = this.scroller.clientWidth;
    // Whole multiples of 16 sections per row keep columns aligned on 2 GiB (x86) boundaries.
    this.cols = Math.max(16, Math.floor((width - LEFT - 12) / CELL / 16) * 16);
    this.rows = mapRows(this.map, this.cols);
    let y = 0;
    this.tops = this.rows.map((r) => {
      const top = y;
      y += rowHeight(r);
      return top;
    });
    // The canvas is sticky at the top of the scroll box and takes a viewport of height itself.
    this.spacer.style.height = `${Math.max(0, y - this.scroller.clientHeight)}px`;
    this.draw();
  }

  private rowOf(section: number): number {
    return this.rows.findIndex(
      (r) => r.kind === 'cells' && section >= r.start && section < r.start + r.count,
    );
  }

  private reveal(section: number): void {
    const i = this.rowOf(section);
    if (i < 0) return;
    const y = this.tops[i];
    const view = this.scroller.clientHeight;
    if (y < this.scroller.scrollTop || y + ROW_H > this.scroller.scrollTop + view)
      this.scroller.scrollTop = Math.max(0, y - view / 3);
  }

  /** First row whose bottom is below y. */
  private firstRowAt(y: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tops[mid] + rowHeight(this.rows[mid]) <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private draw(): void {
    const width = this.scroller.clientWidth;
    const height = this.scroller.clientHeight;
    if (!width || !height) return;
    const dpr = window.devicePixelRatio || 1;
    if (
      this.canvas.width !== Math.round(width * dpr) ||
      this.canvas.height !== Math.round(height * dpr)
    ) {
      this.canvas.width = Math.round(width * dpr);
      this.canvas.height = Math.round(height * dpr);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const ctx = this.canvas.getContext('2d')!;
    const t = this.theme;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = t.font;
    ctx.textBaseline = 'middle';
    const scroll = this.scroller.scrollTop;
    const colors = new Map<string, string>();
    const color = (kind: string) => {
      let c = colors.get(kind);
      if (!c)
        colors.set(kind, (c = kind === 'none' ? withAlpha(t.named('none'), 0.25) : t.named(kind)));
      return c;
    };
    for (
      let i = this.firstRowAt(scroll);
      i < this.rows.length && this.tops[i] < scroll + height;
      i++
    ) {
      const r = this.rows[i];
      const y = this.tops[i] - scroll;
      if (r.kind !== 'cells') {
        ctx.fillStyle = r.kind === 'node' ? t.foreground : t.muted;
        ctx.font = r.kind === 'node' ? `600 ${t.font}` : t.font;
        ctx.fillText(r.text, r.kind === 'node' ? 4 : 14, y + HEAD_H / 2 + 1);
        ctx.font = t.font;
        continue;
      }
      // A section number every fourth row: cell rows are shorter than a line of text.
      if (r.line % 4 === 0) {
        ctx.fillStyle = t.muted;
        ctx.font = `10px ${t.monoFont.split(' ').slice(1).join(' ')}`;
        ctx.fillText(`§${r.start}`, 14, y + CELL / 2);
        ctx.font = t.font;
      }
      for (let c = 0; c < r.count; c++) {
        const s = r.start + c;
        const run = runAt(this.map.runs, s);
        ctx.fillStyle = color(run?.kind ?? 'none');
        ctx.fillRect(LEFT + c * CELL, y, CELL - 1, CELL - 1);
        if (s === this.marked) {
          ctx.fillStyle = t.background;
          ctx.fillRect(LEFT + c * CELL + 2, y + 2, CELL - 5, CELL - 5);
        }
        if (s === this.selected) {
          ctx.strokeStyle = t.focus;
          ctx.lineWidth = 2;
          ctx.strokeRect(LEFT + c * CELL - 1, y - 1, CELL + 1, CELL + 1);
        }
      }
    }
  }

  private sectionAt(x: number, y: number): number | undefined {
    const i = this.firstRowAt(y + this.scroller.scrollTop);
    const r = this.rows[i];
    if (!r || r.kind !== 'cells' || x < LEFT) return undefined;
    const c = Math.floor((x - LEFT) / CELL);
    return c < r.count ? r.start + c : undefined;
  }

  private describe(s: number): string {
    const g = this.map.geometry;
    const run = runAt(this.map.runs, s);
    const first = s * g.pagesPerSection;
    return [
      `section ${s} · pfn ${hex(first)}–${hex(first + g.pagesPerSection - 1)}`,
      run
        ? `${KIND_WORDS[run.kind]}${run.device ? ` (${run.device})` : ''} · node ${run.nid} · ${run.populated}/${g.subsectionsPerSection} sub-sections`
        : KIND_WORDS.none,
    ].join('\n');
  }

  private listen(): void {
    this.canvas.addEventListener('pointermove', (e) => {
      const s = this.sectionAt(e.offsetX, e.offsetY);
      this.tip.hidden = s === undefined;
      if (s === undefined) return;
      this.tip.textContent = this.describe(s);
      this.tip.style.transform = `translate(${Math.min(e.offsetX + 14, this.scroller.clientWidth - 280)}px, ${e.offsetY + 16}px)`;
    });
    this.canvas.addEventListener('pointerleave', () => (this.tip.hidden = true));
    this.canvas.addEventListener('click', (e) => {
      const s = this.sectionAt(e.offsetX, e.offsetY);
      if (s !== undefined) this.choose(s);
    });
    this.canvas.addEventListener('keydown', (e) => {
      const moves: Record<string, number> = {
        ArrowLeft: -1,
        ArrowRight: 1,
        ArrowUp: -this.cols,
        ArrowDown: this.cols,
        PageUp: -this.cols * 16,
        PageDown: this.cols * 16,
      };
      if (e.key === 'Enter' && this.selected !== undefined) {
        e.preventDefault();
        this.choose(this.selected);
        return;
      }
      const move = moves[e.key];
      if (move === undefined) return;
      e.preventDefault();
      this.choose(this.nextSection(this.selected, move));
    });
  }

  /** Moves through laid-out sections only (holes between extents are skipped). */
  private nextSection(from: number | undefined, by: number): number {
    const cells = this.rows.filter(
      (r): r is Extract<MapRow, { kind: 'cells' }> => r.kind === 'cells',
    );
    if (!cells.length) return 0;
    if (from === undefined) return cells[0].start;
    const target = from + by;
    const inside = cells.find((r) => target >= r.start && target < r.start + r.count);
    if (inside) return target;
    const after = cells.find((r) => r.start > target);
    return by > 0
      ? (after?.start ?? from)
      : ([...cells].reverse().find((r) => r.start + r.count <= target + 1)?.start ?? from);
  }

  private choose(section: number): void {
    this.select(section);
    this.onSelect(section);
  }
}
