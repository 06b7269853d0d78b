import type { TimelineModel } from '../../src/protocol/webview';
import { levelOfDetail, type TimelineRow } from '../../src/engine/views/timelineLod';
import { SPAN_CATEGORIES } from '../../src/engine/trace/model';
import type { LockFlow } from '../../src/engine/trace/lockFlows';
import { formatDuration, type TimeTick } from '../../src/engine/views/timeAxis';
import { withAlpha, type ThemeColors } from './theme';
import { AXIS_H, LOCK_H, MARK_H, PAD, ROW_H, type LaneBox, type Layout } from './timelineLayout';

/** Something drawn that a pointer can point at. */
export interface Hit {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  tip: string;
  span?: number;
  /** A bucket of spans: clicking zooms to it. */
  zoomTo?: [number, number];
  /** A group's header: clicking folds or unfolds it. */
  group?: string;
  /** A lane's name: clicking pins it to the top, or unpins it. */
  pin?: number;
}

/** One frame of the lanes canvas: what to draw, where, and the hit list it fills. */
export interface Frame {
  ctx: CanvasRenderingContext2D;
  model: TimelineModel;
  layout: Layout;
  rows: TimelineRow[];
  theme: ThemeColors;
  t0: number;
  t1: number;
  width: number;
  height: number;
  /** Width of the thread names' column. */
  gutter: number;
  /** Screen y of the scrolled content's top (under the axis and the pinned strip, minus the scroll). */
  top: number;
  /** Which lanes this pass draws: the pinned strip's, or the scrolled ones. */
  pinned: boolean;
  /** Screen y where this pass's region starts (it is clipped there). */
  regionTop: number;
  selected?: number;
  /** A search: per span index, how many spans before it match; the lanes whose name matched. */
  matches?: { before: Int32Array; lanes: Set<number> };
  marks: { a?: number; b?: number };
  /** An area the user dragged out (Shift+drag): lanes and a time range. */
  area?: TimelineArea;
  /** Lock waits and the releases that ended them. */
  flows: LockFlow[];
  hits: Hit[];
}

export interface TimelineArea {
  t0: number;
  t1: number;
  lanes: Set<number>;
}

export const plotWidth = (f: { width: number; gutter: number }) => Math.max(1, f.width - f.gutter);
export const xOf = (f: Frame, t: number) => f.gutter + ((t - f.t0) * plotWidth(f)) / (f.t1 - f.t0);
/** Screen y of a lane's coordinates origin: the pinned strip's, or the scrolled content's. */
export const base = (f: Frame, box: LaneBox) => (box.pinned ? AXIS_H : f.top);
/** The lane's box if this pass draws it and it is on screen. */
export function visibleBox(f: Frame, lane: number | undefined): LaneBox | undefined {
  const box = lane === undefined ? undefined : f.layout.boxes[lane];
  if (!box || box.pinned !== f.pinned) return undefined;
  const y = base(f, box) + box.y;
  return y < f.height && y + box.height > f.regionTop ? box : undefined;
}

/** Text cut to fit `width` pixels, with an ellipsis. */
function ellipsis(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  const charW = ctx.measureText('m').width * 0.85;
  const n = Math.max(0, Math.floor(width / charW) - 1);
  return n > 0 ? text.slice(0, n) + '…' : '';
}

export function paintGrid(f: Frame, ticks: TimeTick[]): void {
  f.ctx.fillStyle = f.theme.grid;
  for (const tick of ticks)
    f.ctx.fillRect(Math.round(xOf(f, tick.t)), f.regionTop, 1, f.height - f.regionTop);
}

/** Lane stripes, separators and the thread names in the gutter (a click there pins or unpins). */
export function paintLanes(f: Frame): void {
  const { ctx, theme: t } = f;
  for (const [i, lane] of f.model.lanes.entries()) {
    const box = visibleBox(f, i);
    if (!box) continue;
    const y = base(f, box) + box.y;
    if (f.matches?.lanes.has(i)) {
      ctx.fillStyle = withAlpha(t.warn, 0.3);
      ctx.fillRect(0, y, f.gutter - 1, box.height);
    } else if (box.lane % 2) {
      ctx.fillStyle = withAlpha(t.muted, 0.06);
      ctx.fillRect(0, y, f.width, box.height);
    }
    ctx.fillStyle = t.border;
    ctx.fillRect(0, y + box.height - 1, f.width, 1);
    // The node goes under the name when the lane is tall enough, else after it.
    const node = lane.node === undefined ? '' : `node ${lane.node}`;
    const below = lane.depth >= 2 || box.locks;
    const name = ellipsis(ctx, lane.name, f.gutter - 12 - (below || !node ? 0 : 50));
    const nameY = base(f, box) + box.spansY + ROW_H / 2;
    ctx.fillStyle = t.foreground;
    ctx.fillText(name, 6, nameY);
    ctx.fillStyle = t.muted;
    if (below) ctx.fillText(node, 6, nameY + ROW_H);
    else if (node) ctx.fillText(node, 12 + ctx.measureText(name).width, nameY);
    f.hits.push({
      x0: 0,
      x1: f.gutter - 2,
      y0: y,
      y1: y + box.height,
      pin: i,
      tip: `${lane.name}${node ? ` · ${node}` : ''}\n${box.pinned ? 'Click to unpin' : 'Click to pin to the top'}`,
    });
  }
  ctx.fillStyle = t.border;
  ctx.fillRect(f.gutter - 1, f.regionTop, 1, f.height - f.regionTop);
}

/** The spans in view, bucketed below a pixel, and the selection's outline. */
export function paintSpans(f: Frame): void {
  const { ctx, theme: t, model: m } = f;
  const rowY = (lane: number, depth: number) => {
    const box = visibleBox(f, lane);
    return box && base(f, box) + box.spansY + depth * ROW_H;
  };
  const rows = f.rows.filter((r) => {
    const y = rowY(r.lane, r.depth);
    return y !== undefined && y + ROW_H > f.regionTop && y < f.height;
  });
  const colors = SPAN_CATEGORIES.map((c) => t.named(`span-${c}`));
  for (const item of levelOfDetail(m, rows, f.t0, f.t1, plotWidth(f))) {
    const row = rows[item.row];
    const y = rowY(row.lane, row.depth)!;
    const x0 = Math.max(f.gutter, f.gutter + item.x0);
    const w = Math.max(1, Math.min(f.width + 1, f.gutter + item.x1) - x0);
    const color = colors[m.spans.category[item.span]];
    const bucket = item.count > 1;
    // A row's spans are consecutive indices, so a bucket holds a match iff the counts differ.
    const matched = f.matches && f.matches.before[item.last + 1] > f.matches.before[item.span];
    const dim = f.matches && !matched ? 0.25 : 1;
    ctx.fillStyle = t.contrast ? t.background : withAlpha(color, (bucket ? 0.35 : 0.7) * dim);
    ctx.fillRect(x0, y + 1, w, ROW_H - 2);
    if (matched) {
      // Drawn as the editor draws a find match: a border in a colour of its own.
      ctx.strokeStyle = t.warn;
      ctx.lineWidth = 2;
      ctx.strokeRect(x0 + 1, y + 2, Math.max(1, w - 2), ROW_H - 4);
    } else if (w >= 3 || t.contrast) {
      ctx.strokeStyle = withAlpha(color, dim);
      ctx.lineWidth = 1;
      ctx.strokeRect(x0 + 0.5, y + 1.5, Math.max(0, w - 1), ROW_H - 3);
    }
    const name = m.names[m.spans.name[item.span]];
    const device = m.spans.device[item.span];
    const label = bucket
      ? `${item.count} spans`
      : device >= 0
        ? `${name} · ${m.devices[device]}`
        : name;
    if (w > 30) {
      ctx.fillStyle = dim < 1 ? t.muted : t.foreground;
      ctx.fillText(ellipsis(ctx, label, w - 6), x0 + 3, y + ROW_H / 2);
    }
    f.hits.push({
      x0,
      x1: x0 + w,
      y0: y,
      y1: y + ROW_H,
      span: bucket ? undefined : item.span,
      tip: bucket
        ? `${item.count} spans (${name} …), too narrow to draw: click to zoom in`
        : `${label}\n${formatDuration(m.spans.end[item.span] - m.spans.start[item.span])}`,
      zoomTo: bucket ? [m.spans.start[item.span], m.spans.end[item.last]] : undefined,
    });
  }
  const s = f.selected;
  const y = s === undefined ? undefined : rowY(m.spans.lane[s], m.spans.depth[s]);
  if (s === undefined || y === undefined) return;
  const x0 = Math.max(f.gutter, xOf(f, m.spans.start[s]));
  const x1 = Math.min(f.width, xOf(f, m.spans.end[s]));
  ctx.strokeStyle = t.focus;
  ctx.lineWidth = 2;
  ctx.strokeRect(x0, y + 0.5, Math.max(2, x1 - x0), ROW_H - 1);
}

/** Lock waits (thin, translucent) and holds (solid) on each thread's lock row. */
export function paintLocks(f: Frame): void {
  const { ctx, theme: t } = f;
  const end = f.model.endNs;
  const endedBy = new Map(f.flows.map((x) => [x.to, f.model.locks[x.from]]));
  for (const [i, l] of f.model.locks.entries()) {
    const box = visibleBox(f, l.lane);
    if (!box) continue;
    const y = base(f, box) + box.lockY;
    const hold = t.named(l.lock === 'mem_hotplug_lock' ? 'lock-hotplug' : 'lock-other');
    const bar = (a: number, b: number, wait: boolean) => {
      if (b < f.t0 || a > f.t1) return;
      const x0 = Math.max(f.gutter, xOf(f, a));
      const x1 = Math.max(x0 + 1, Math.min(f.width, xOf(f, b)));
      ctx.fillStyle = wait ? withAlpha(t.named('lock-wait'), t.contrast ? 1 : 0.55) : hold;
      ctx.fillRect(x0, wait ? y + 2 : y, x1 - x0, wait ? LOCK_H - 4 : LOCK_H);
      f.hits.push({
        x0,
        x1,
        y0: y,
        y1: y + LOCK_H,
        tip: wait
          ? `${l.lock} (${l.mode}): waited ${formatDuration(b - a)}${until(f.model, endedBy.get(i))}`
          : `${l.lock} (${l.mode}): held ${formatDuration(b - a)}${l.released === undefined ? ' (still held at the end)' : ''}`,
      });
    };
    const granted = l.acquired ?? end;
    if (granted > l.requested) bar(l.requested, granted, true);
    if (l.acquired !== undefined) bar(l.acquired, l.released ?? end, false);
  }
}

/** Who ended a wait, for its tooltip. */
function until(m: TimelineModel, by: TimelineModel['locks'][number] | undefined): string {
  return by
    ? `, until ${m.lanes[by.lane].name} released it at ${formatDuration(by.released!)}`
    : '';
}

/** WARN/BUG/pr_info markers: a triangle at the top of the lane, a line through it for WARN/BUG. */
export function paintInstants(f: Frame): void {
  const { ctx, theme: t } = f;
  const color = { warn: t.warn, bug: t.error, info: t.info, debug: t.muted };
  for (const i of f.model.instants) {
    if (i.t < f.t0 || i.t > f.t1) continue;
    const box = visibleBox(f, i.lane);
    // A message with no thread is drawn across the top of the scrolled lanes.
    if (!box && (i.lane !== undefined || f.pinned)) continue;
    const x = xOf(f, i.t);
    const y = box ? base(f, box) + box.y + PAD - 1 : f.regionTop;
    ctx.fillStyle = color[i.level];
    if (i.level !== 'info') ctx.fillRect(Math.round(x), y, 1, box ? box.height - PAD : f.height);
    ctx.beginPath();
    ctx.moveTo(x - 4, y);
    ctx.lineTo(x + 4, y);
    ctx.lineTo(x, y + MARK_H);
    ctx.closePath();
    ctx.fill();
    f.hits.push({
      x0: x - 5,
      x1: x + 5,
      y0: y,
      y1: y + MARK_H + 1,
      tip: `${i.level.toUpperCase()} ${formatDuration(i.t)}: ${i.text}`,
    });
  }
}

/** Markers A and B as lines, the span between them shaded. */
export function paintMarkers(f: Frame): void {
  const { ctx, theme: t } = f;
  const { a, b } = f.marks;
  if (a !== undefined && b !== undefined) {
    ctx.fillStyle = withAlpha(t.focus, 0.1);
    const x0 = Math.max(f.gutter, xOf(f, Math.min(a, b)));
    ctx.fillRect(
      x0,
      f.regionTop,
      Math.max(0, Math.min(f.width, xOf(f, Math.max(a, b))) - x0),
      f.height,
    );
  }
  for (const m of [a, b]) {
    if (m === undefined || m < f.t0 || m > f.t1) continue;
    ctx.fillStyle = t.focus;
    ctx.fillRect(Math.round(xOf(f, m)) - 1, f.regionTop, 2, f.height);
  }
}

/** The time axis with its labels and the A/B flags; drawn last, over the scrolled lanes. */
export function paintAxis(f: Frame, ticks: TimeTick[]): void {
  const { ctx, theme: t } = f;
  ctx.fillStyle = t.muted;
  ctx.textAlign = 'left';
  for (const tick of ticks) {
    const x = xOf(f, tick.t);
    ctx.fillRect(Math.round(x), AXIS_H - 5, 1, 5);
    ctx.fillText(tick.label, x + 3, AXIS_H / 2);
  }
  ctx.fillStyle = t.border;
  ctx.fillRect(0, AXIS_H - 1, f.width, 1);
  for (const [name, m] of [
    ['A', f.marks.a],
    ['B', f.marks.b],
  ] as const) {
    if (m === undefined || m < f.t0 || m > f.t1) continue;
    const x = xOf(f, m);
    ctx.fillStyle = t.focus;
    ctx.fillRect(x - 7, 2, 14, AXIS_H - 5);
    ctx.fillStyle = t.background;
    ctx.textAlign = 'center';
    ctx.fillText(name, x, AXIS_H / 2);
    ctx.textAlign = 'left';
  }
  ctx.fillStyle = t.muted;
  ctx.fillText(f.model.source === 'imported' ? 'imported trace' : 'virtual time', 6, AXIS_H / 2);
}
