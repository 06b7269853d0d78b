import type { TimelineModel } from '../../src/protocol/webview';
import { indexTimeline, type TimelineRow } from '../../src/engine/views/timelineLod';
import { formatDuration, timeTicks } from '../../src/engine/views/timeAxis';
import { h, perFrame } from './dom';
import { onThemeChange, themeColors, withAlpha, type ThemeColors } from './theme';
import { laneGroups, type LaneItem } from '../../src/engine/views/laneGroups';
import type { SearchMatches } from '../../src/engine/views/timelineSearch';
import { lockFlows, type LockFlow } from '../../src/engine/trace/lockFlows';
import {
  AXIS_H,
  foldedAtFirst,
  GROUP_H,
  groupPaths,
  gutterWidth,
  layoutLanes,
  type LaneBox,
  type LaneView,
  type Layout,
} from './timelineLayout';
import {
  paintAxis,
  paintGrid,
  paintInstants,
  paintLanes,
  paintLocks,
  paintMarkers,
  paintSpans,
  type Frame,
  type Hit,
  type TimelineArea,
} from './timelinePaint';
import { paintArea, paintFlows, paintGroups } from './timelineOverlays';
import { OVERVIEW_H, paintOverview, paintOverviewCache } from './timelineOverview';
import { bindTimelineInput, type TimelineTarget } from './timelineInput';

/** What the view around the canvas hears about. */
export interface TimelineEvents {
  select(span: number | undefined): void;
  /** The visible window changed (zoom, pan). */
  window(t0: number, t1: number): void;
  markers(a: number | undefined, b: number | undefined): void;
  /** Groups were folded or unfolded, lanes pinned or unpinned. */
  lanes(view: LaneView): void;
  /** An area was selected (Shift+drag, or between markers A and B), or cleared. */
  area(area: TimelineArea | undefined): void;
}

const MIN_WINDOW_NS = 50;

/**
 * The init timeline on a canvas: one lane per thread, spans by nesting depth, lock holds and
 * waits, kernel-message markers, a time axis, markers A/B, and a whole-run overview strip.
 * Spans narrower than a pixel are bucketed (levelOfDetail), so drawing costs pixels, not spans.
 */
export class TimelineCanvas implements TimelineTarget {
  readonly element: HTMLElement;
  readonly overview: HTMLCanvasElement;
  readonly main: HTMLCanvasElement;
  private readonly tip: HTMLElement;
  private readonly rows: TimelineRow[];
  /** The search's matches: per span index, how many spans before it match (a bucket tests in O(1)). */
  private matches?: { before: Int32Array; lanes: Set<number> };
  private readonly groups: LaneItem[];
  private readonly flows: LockFlow[];
  /** Per lane, the groups it is in (unfolded to show a span selected in it). */
  private readonly paths: string[][];
  private laneView: LaneView;
  private layout: Layout;
  private t0 = 0;
  private t1: number;
  private scrollY = 0;
  private selected?: number;
  private marks: { a?: number; b?: number } = {};
  private area?: TimelineArea;
  /** Where a Shift+drag started: a time and a screen y. */
  private areaStart?: { t: number; y: number };
  private pointer?: { x: number; y: number };
  private hits: Hit[] = [];
  private theme: ThemeColors = themeColors();
  private overviewCache?: HTMLCanvasElement;
  private size = { width: 0, height: 0, dpr: 1 };
  private readonly redraw = perFrame(() => this.draw());
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly model: TimelineModel,
    private readonly events: TimelineEvents,
    label: string,
  ) {
    this.t1 = Math.max(model.endNs, 1);
    this.rows = indexTimeline(model);
    this.groups = laneGroups(model);
    this.flows = lockFlows(model.locks);
    this.paths = groupPaths(this.groups, model.lanes.length);
    this.laneView = { folded: foldedAtFirst(this.groups), pinned: new Set() };
    this.layout = layoutLanes(model, this.groups, this.laneView);
    this.overview = h('canvas', {
      class: 'overview',
      attrs: {
        role: 'img',
        'aria-label': `Whole run overview, ${formatDuration(model.endNs)}; click or drag to move the view`,
      },
    });
    this.main = h('canvas', {
      class: 'lanes',
      attrs: {
        tabindex: 0,
        role: 'application',
        'aria-roledescription': 'timeline',
        'aria-label': label,
        'aria-describedby': 'timeline-keys',
      },
    });
    this.tip = h('div', { class: 'tip', attrs: { role: 'tooltip', hidden: true } });
    this.element = h('div', { class: 'timeline-canvas' }, this.overview, this.main, this.tip);
    const resize = new ResizeObserver(() => this.resize());
    resize.observe(this.element);
    this.stops.push(
      () => resize.disconnect(),
      onThemeChange(() => {
        this.theme = themeColors();
        this.overviewCache = undefined;
        this.redraw();
      }),
    );
    bindTimelineInput(this);
  }

  /** Stops observing size and theme (the view is being replaced by a newer run's). */
  dispose(): void {
    this.stops.splice(0).forEach((stop) => stop());
  }

  // ─── what the view asks ──────────────────────────────────────────────────────────────────

  /** Highlights a search's matches (the rest dims); undefined: no search. */
  setMatches(found: SearchMatches | undefined): void {
    if (!found) this.matches = undefined;
    else {
      const hit = new Uint8Array(this.model.spans.id.length);
      for (const i of found.spans) hit[i] = 1;
      const before = new Int32Array(hit.length + 1);
      hit.forEach((x, i) => (before[i + 1] = before[i] + x));
      this.matches = { before, lanes: new Set(found.lanes) };
    }
    this.redraw();
  }

  /** Pixels the canvas needs to show every lane at once. */
  contentHeight(): number {
    return this.layout.height + this.layout.pinnedHeight + AXIS_H + OVERVIEW_H + 2;
  }

  /** The lane groups, outermost first, as the canvas shows them. */
  laneGroups(): LaneItem[] {
    return this.groups;
  }

  lanes(): LaneView {
    return this.laneView;
  }

  /** How many lanes are drawn (the rest are in folded groups). */
  shownLanes(): number {
    return this.layout.boxes.filter((b) => b !== undefined).length;
  }

  /** Folds or unfolds groups (by key) and pins lanes, as the user left them. */
  setLanes(view: LaneView): void {
    this.laneView = view;
    this.layout = layoutLanes(this.model, this.groups, view);
    this.events.lanes(view);
    this.setScroll(this.scrollY);
  }

  toggleGroup(key: string): void {
    const folded = new Set(this.laneView.folded);
    if (!folded.delete(key)) folded.add(key);
    this.setLanes({ ...this.laneView, folded });
  }

  togglePin(lane: number): void {
    const pinned = new Set(this.laneView.pinned);
    if (!pinned.delete(lane)) pinned.add(lane);
    this.setLanes({ ...this.laneView, pinned });
  }

  /** Unfolds the groups a lane is in. */
  private reveal(lane: number): void {
    const path = this.paths[lane];
    if (!path.some((key) => this.laneView.folded.has(key))) return;
    const folded = new Set(this.laneView.folded);
    path.forEach((key) => folded.delete(key));
    this.setLanes({ ...this.laneView, folded });
  }

  /** The spans by (lane, depth) row, for the table of spans in view. */
  spanRows(): TimelineRow[] {
    return this.rows;
  }

  window(): [number, number] {
    return [this.t0, this.t1];
  }

  setWindow(t0: number, t1: number): void {
    const end = Math.max(this.model.endNs, 1);
    const w = Math.min(Math.max(t1 - t0, MIN_WINDOW_NS), end * 1.1);
    let a = Math.max(t0, -end * 0.05);
    if (a + w > end * 1.05) a = Math.max(-end * 0.05, end * 1.05 - w);
    [this.t0, this.t1] = [a, a + w];
    this.events.window(this.t0, this.t1);
    this.redraw();
  }

  fit(): void {
    this.setWindow(0, Math.max(this.model.endNs, 1));
  }

  /** Zooms to cover spans, scrolls to the first one's lane and selects the outermost. */
  focusSpans(spans: number[]): void {
    if (!spans.length) return;
    const { start, end, depth, lane } = this.model.spans;
    const t0 = Math.min(...spans.map((i) => start[i]));
    const t1 = Math.max(...spans.map((i) => end[i]));
    const pad = Math.max((t1 - t0) * 0.05, MIN_WINDOW_NS);
    this.setWindow(t0 - pad, t1 + pad);
    const outer = [...spans].sort((a, b) => depth[a] - depth[b] || start[a] - start[b])[0];
    this.reveal(lane[outer]);
    this.scrollTo(this.layout.boxes[lane[outer]]);
    this.select(outer);
  }

  /** A search match: in the middle of the view (zoomed out if it is wider), its lane shown, selected. */
  centre(span: number): void {
    const { start, end } = this.model.spans;
    const w = Math.max(this.t1 - this.t0, (end[span] - start[span]) * 1.2);
    const mid = (start[span] + end[span]) / 2;
    this.setWindow(mid - w / 2, mid + w / 2);
    this.select(span);
  }

  select(span: number | undefined): void {
    this.selected = span;
    if (span !== undefined) {
      const { start, end } = this.model.spans;
      // Keep the selection on screen when the keyboard moves it.
      const w = this.t1 - this.t0;
      if (end[span] < this.t0 || start[span] > this.t1)
        this.setWindow(start[span] - w / 2, start[span] + w / 2);
      this.reveal(this.model.spans.lane[span]);
      this.scrollTo(this.layout.boxes[this.model.spans.lane[span]], true);
    }
    this.events.select(span);
    this.redraw();
  }

  /** The area between markers A and B over every lane shown: the keyboard's area selection. */
  markersArea(): void {
    const { a, b } = this.marks;
    if (a === undefined || b === undefined) return;
    const lanes = new Set(this.layout.boxes.flatMap((box) => (box ? [box.lane] : [])));
    this.setArea({ t0: Math.min(a, b), t1: Math.max(a, b), lanes });
  }

  private setArea(area: TimelineArea | undefined): void {
    this.area = area;
    this.events.area(area);
    this.redraw();
  }

  areaFrom(x: number, y: number): void {
    this.areaStart = { t: this.timeAt(x), y };
  }

  /** A Shift+drag moved: the area spans the time and the lanes between its start and here. */
  areaTo(x: number, y: number): void {
    if (!this.areaStart) return;
    const [y0, y1] = [Math.min(y, this.areaStart.y), Math.max(y, this.areaStart.y)];
    const lanes = new Set<number>();
    const scrolledTop = AXIS_H + this.layout.pinnedHeight - this.scrollY;
    for (const box of this.layout.boxes) {
      if (!box) continue;
      const top = (box.pinned ? AXIS_H : scrolledTop) + box.y;
      if (top < y1 && top + box.height > y0) lanes.add(box.lane);
    }
    const [a, b] = [this.areaStart.t, this.timeAt(x)];
    this.area = { t0: Math.min(a, b), t1: Math.max(a, b), lanes };
    this.redraw();
  }

  areaEnd(): void {
    if (!this.areaStart) return;
    this.areaStart = undefined;
    this.setArea(this.area && this.area.t1 > this.area.t0 ? this.area : undefined);
  }

  setMarker(which: 'a' | 'b', t: number | undefined): void {
    this.marks[which] = t;
    this.events.markers(this.marks.a, this.marks.b);
    this.redraw();
  }

  // ─── what the input drives ───────────────────────────────────────────────────────────────

  get gutter(): number {
    return gutterWidth(this.size.width);
  }

  get plotWidth(): number {
    return Math.max(1, this.size.width - this.gutter);
  }

  get viewHeight(): number {
    return this.size.height - AXIS_H;
  }

  /** Height of the lanes that scroll (under the pinned strip). */
  private get scrolledHeight(): number {
    return Math.max(0, this.viewHeight - this.layout.pinnedHeight);
  }

  get endNs(): number {
    return this.model.endNs;
  }

  private timeAt(x: number): number {
    return this.t0 + ((x - this.gutter) * (this.t1 - this.t0)) / this.plotWidth;
  }

  scrollPosition(): number {
    return this.scrollY;
  }

  setScroll(y: number): void {
    this.scrollY = Math.min(Math.max(0, y), Math.max(0, this.layout.height - this.scrolledHeight));
    this.redraw();
  }

  scrollBy(dy: number): void {
    this.setScroll(this.scrollY + dy);
  }

  private scrollTo(box: LaneBox | undefined, onlyIfHidden = false): void {
    if (!box || box.pinned) return;
    const visible =
      box.y >= this.scrollY && box.y + box.height <= this.scrollY + this.scrolledHeight;
    // The group's header stays in view above the lane.
    if (!(onlyIfHidden && visible)) this.setScroll(box.y - GROUP_H - 8);
  }

  zoom(factor: number, anchorX: number): void {
    const anchor = anchorX >= this.gutter ? this.timeAt(anchorX) : (this.t0 + this.t1) / 2;
    this.setWindow(anchor - (anchor - this.t0) * factor, anchor + (this.t1 - anchor) * factor);
  }

  pan(fraction: number): void {
    const d = (this.t1 - this.t0) * fraction;
    this.setWindow(this.t0 + d, this.t1 + d);
  }

  click(x: number, y: number): void {
    const hit = this.hitAt(x, y);
    if (hit?.group !== undefined) this.toggleGroup(hit.group);
    else if (hit?.pin !== undefined) this.togglePin(hit.pin);
    else if (hit?.zoomTo) {
      const pad = (hit.zoomTo[1] - hit.zoomTo[0]) * 0.1;
      this.setWindow(hit.zoomTo[0] - pad, hit.zoomTo[1] + pad);
    } else if (hit?.span !== undefined || !hit) {
      if (this.area) this.setArea(undefined);
      this.select(hit?.span);
    }
  }

  hover(at: { x: number; y: number } | undefined): void {
    this.pointer = at;
    const hit = at && this.hitAt(at.x, at.y);
    this.tip.hidden = !hit;
    if (!hit || !at) return;
    this.tip.textContent = hit.tip;
    this.tip.style.transform = `translate(${Math.max(0, Math.min(at.x + 14, this.size.width - 260))}px, ${at.y + OVERVIEW_H + 16}px)`;
  }

  /** A/B go where the pointer is; from the keyboard alone, to the selected span's start/end. */
  markerTime(which: 'a' | 'b'): number {
    if (this.pointer && this.pointer.x >= this.gutter) return this.timeAt(this.pointer.x);
    if (this.selected !== undefined)
      return (which === 'a' ? this.model.spans.start : this.model.spans.end)[this.selected];
    return (this.t0 + this.t1) / 2;
  }

  zoomAnchor(): number {
    return this.pointer && this.pointer.x >= this.gutter
      ? this.pointer.x
      : this.gutter + this.plotWidth / 2;
  }

  step(dir: 1 | -1): void {
    const s = this.selected;
    const row =
      s === undefined
        ? this.rows[0]
        : this.rows.find(
            (r) => r.lane === this.model.spans.lane[s] && r.depth === this.model.spans.depth[s],
          );
    if (!row) return;
    const i = s === undefined ? -1 : row.spans.indexOf(s);
    this.select(row.spans[Math.min(row.spans.length - 1, Math.max(0, i + dir))]);
  }

  private hitAt(x: number, y: number): Hit | undefined {
    for (let i = this.hits.length - 1; i >= 0; i--) {
      const hit = this.hits[i];
      if (x >= hit.x0 - 1 && x <= hit.x1 + 1 && y >= hit.y0 && y < hit.y1) return hit;
    }
    return undefined;
  }

  // ─── drawing ─────────────────────────────────────────────────────────────────────────────

  private resize(): void {
    const dpr = window.devicePixelRatio || 1;
    const width = this.element.clientWidth;
    const height = Math.max(120, this.element.clientHeight - OVERVIEW_H);
    this.size = { width, height, dpr };
    for (const [c, hgt] of [
      [this.overview, OVERVIEW_H],
      [this.main, height],
    ] as const) {
      c.width = Math.round(width * dpr);
      c.height = Math.round(hgt * dpr);
      c.style.width = `${width}px`;
      c.style.height = `${hgt}px`;
    }
    this.overviewCache = undefined;
    this.setScroll(this.scrollY);
    this.draw();
  }

  private draw(): void {
    const { width, height, dpr } = this.size;
    if (!width) return;
    this.overviewCache ??= paintOverviewCache(
      this.model,
      this.rows,
      this.theme,
      width,
      this.gutter,
      dpr,
    );
    paintOverview(this.overview, this.overviewCache, this.model, this.theme, {
      t0: this.t0,
      t1: this.t1,
      width,
      gutter: this.gutter,
      dpr,
    });
    const ctx = this.main.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = this.theme.font;
    ctx.textBaseline = 'middle';
    this.hits = [];
    const pinnedHeight = this.layout.pinnedHeight;
    const frame = (pinned: boolean): Frame => ({
      ctx,
      model: this.model,
      layout: this.layout,
      rows: this.rows,
      theme: this.theme,
      t0: this.t0,
      t1: this.t1,
      width,
      height,
      gutter: this.gutter,
      top: AXIS_H + pinnedHeight - this.scrollY,
      pinned,
      regionTop: pinned ? AXIS_H : AXIS_H + pinnedHeight,
      selected: this.selected,
      matches: this.matches,
      marks: this.marks,
      area: this.area,
      flows: this.flows,
      hits: this.hits,
    });
    const ticks = timeTicks(this.t0, this.t1, this.plotWidth);
    // The scrolled lanes first, then the pinned strip over their top: its hits win.
    for (const f of pinnedHeight ? [frame(false), frame(true)] : [frame(false)]) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(0, f.regionTop, width, f.pinned ? pinnedHeight : height - f.regionTop);
      ctx.clip();
      paintGrid(f, ticks);
      paintGroups(f);
      paintLanes(f);
      paintSpans(f);
      paintLocks(f);
      paintFlows(f);
      paintInstants(f);
      paintMarkers(f);
      paintArea(f);
      ctx.restore();
    }
    const f = frame(false);
    if (pinnedHeight) {
      ctx.fillStyle = this.theme.focus;
      ctx.fillRect(0, AXIS_H + pinnedHeight - 1, width, 2);
    }
    paintAxis(f, ticks);
    const shown = this.scrolledHeight;
    if (this.layout.height > shown) {
      ctx.fillStyle = withAlpha(this.theme.muted, 0.5);
      ctx.fillRect(
        width - 5,
        AXIS_H + pinnedHeight + (this.scrollY / this.layout.height) * shown,
        4,
        Math.max(12, (shown * shown) / this.layout.height),
      );
    }
  }
}
