import { ROW_H } from './timelineLayout';

/** What the timeline's pointer and keyboard input drive. */
export interface TimelineTarget {
  readonly main: HTMLCanvasElement;
  readonly overview: HTMLCanvasElement;
  readonly plotWidth: number;
  /** Width of the thread names' column, left of the plot. */
  readonly gutter: number;
  readonly viewHeight: number;
  readonly endNs: number;
  window(): [number, number];
  setWindow(t0: number, t1: number): void;
  /** Zooms by `factor` around the time under pixel `anchorX`. */
  zoom(factor: number, anchorX: number): void;
  /** Pans by a fraction of the window. */
  pan(fraction: number): void;
  scrollBy(dy: number): void;
  scrollPosition(): number;
  setScroll(y: number): void;
  fit(): void;
  select(span: number | undefined): void;
  setMarker(which: 'a' | 'b', t: number | undefined): void;
  /** A click (not a drag) at a pixel. */
  click(x: number, y: number): void;
  /** The pointer is over a pixel (or gone): tooltip and marker position. */
  hover(at: { x: number; y: number } | undefined): void;
  /** The time for marker A or B from the keyboard. */
  markerTime(which: 'a' | 'b'): number;
  /** Where keyboard zoom anchors: the pointer if it is over the plot, else the middle. */
  zoomAnchor(): number;
  /** Shift+drag: an area of lanes and time, from a pixel, to a pixel, done. */
  areaFrom(x: number, y: number): void;
  areaTo(x: number, y: number): void;
  areaEnd(): void;
  /** The next/previous span in the selected span's row. */
  step(dir: 1 | -1): void;
}

/**
 * Wheel zooms around the pointer (Shift+wheel scrolls threads, a sideways swipe pans), drag
 * pans both ways, a click selects; the keyboard does all of it too. The overview strip moves
 * the window.
 */
export function bindTimelineInput(c: TimelineTarget): void {
  const main = c.main;
  main.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? c.viewHeight : 1;
      if (e.shiftKey) c.scrollBy(e.deltaY * unit);
      else if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) c.pan((e.deltaX * unit) / c.plotWidth);
      else c.zoom(Math.exp(e.deltaY * unit * 0.0015), e.offsetX);
    },
    { passive: false },
  );
  let drag:
    { x: number; y: number; t0: number; t1: number; scrollY: number; moved: boolean } | undefined;
  let area = false;
  main.addEventListener('pointerdown', (e) => {
    main.setPointerCapture(e.pointerId);
    // Shift+drag selects an area (Perfetto's drag); a plain drag pans.
    if (e.shiftKey && e.offsetX >= c.gutter) {
      area = true;
      c.areaFrom(e.offsetX, e.offsetY);
      return;
    }
    const [t0, t1] = c.window();
    drag = { x: e.offsetX, y: e.offsetY, t0, t1, scrollY: c.scrollPosition(), moved: false };
  });
  main.addEventListener('pointermove', (e) => {
    if (area) c.areaTo(e.offsetX, e.offsetY);
    else if (drag && (drag.moved || Math.hypot(e.offsetX - drag.x, e.offsetY - drag.y) > 3)) {
      drag.moved = true;
      const dt = ((e.offsetX - drag.x) * (drag.t1 - drag.t0)) / c.plotWidth;
      c.setWindow(drag.t0 - dt, drag.t1 - dt);
      c.setScroll(drag.scrollY + drag.y - e.offsetY);
      c.hover(undefined);
    } else c.hover({ x: e.offsetX, y: e.offsetY });
  });
  main.addEventListener('pointerup', (e) => {
    if (area) c.areaEnd();
    area = false;
    if (drag && !drag.moved) c.click(e.offsetX, e.offsetY);
    drag = undefined;
  });
  main.addEventListener('pointerleave', () => c.hover(undefined));
  main.addEventListener('keydown', (e) => key(c, e));
  const moveOverview = (e: PointerEvent) => {
    const t = ((e.offsetX - c.gutter) / c.plotWidth) * c.endNs;
    const [t0, t1] = c.window();
    c.setWindow(t - (t1 - t0) / 2, t + (t1 - t0) / 2);
  };
  c.overview.addEventListener('pointerdown', (e) => {
    c.overview.setPointerCapture(e.pointerId);
    moveOverview(e);
  });
  c.overview.addEventListener('pointermove', (e) => {
    if (e.buttons & 1) moveOverview(e);
  });
}

/**
 * The keys. W/S zoom in/out around the pointer and A/D pan, as in Perfetto's WASD (its
 * ui/src/frontend/pan_and_zoom_handler.ts); marker A moved to Shift+A to make room.
 */
function key(c: TimelineTarget, e: KeyboardEvent): void {
  const centre = c.gutter + c.plotWidth / 2;
  const actions: Record<string, () => void> = {
    ArrowLeft: () => c.pan(e.shiftKey ? -0.5 : -0.1),
    ArrowRight: () => c.pan(e.shiftKey ? 0.5 : 0.1),
    ArrowUp: () => c.scrollBy(-ROW_H * 2),
    ArrowDown: () => c.scrollBy(ROW_H * 2),
    PageUp: () => c.scrollBy(-c.viewHeight * 0.8),
    PageDown: () => c.scrollBy(c.viewHeight * 0.8),
    '+': () => c.zoom(0.7, centre),
    '=': () => c.zoom(0.7, centre),
    w: () => c.zoom(0.7, c.zoomAnchor()),
    '-': () => c.zoom(1 / 0.7, centre),
    s: () => c.zoom(1 / 0.7, c.zoomAnchor()),
    a: () => c.pan(-0.1),
    d: () => c.pan(0.1),
    Home: () => c.fit(),
    '0': () => c.fit(),
    A: () => c.setMarker('a', c.markerTime('a')),
    b: () => c.setMarker('b', c.markerTime('b')),
    B: () => c.setMarker('b', c.markerTime('b')),
    Escape: () => c.select(undefined),
    ']': () => c.step(1),
    '[': () => c.step(-1),
  };
  const action = actions[e.key];
  if (!action || e.ctrlKey || e.metaKey || e.altKey) return;
  e.preventDefault();
  action();
}
