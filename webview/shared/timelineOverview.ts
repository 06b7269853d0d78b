import type { TimelineModel } from '../../src/protocol/webview';
import { levelOfDetail, type TimelineRow } from '../../src/engine/views/timelineLod';
import { SPAN_CATEGORIES } from '../../src/engine/trace/model';
import { formatDuration } from '../../src/engine/views/timeAxis';
import { withAlpha, type ThemeColors } from './theme';
import { plotWidth } from './timelinePaint';

/** Height of the whole-run strip above the lanes. */
export const OVERVIEW_H = 34;

/** The whole run, once per size and theme: outer spans of every lane, squeezed into the strip. */
export function paintOverviewCache(
  model: TimelineModel,
  rows: TimelineRow[],
  theme: ThemeColors,
  width: number,
  gutter: number,
  dpr: number,
): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = Math.round(width * dpr);
  c.height = Math.round(OVERVIEW_H * dpr);
  const ctx = c.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const laneH = Math.min(6, (OVERVIEW_H - 4) / (model.lanes.length || 1));
  const outer = rows.filter((r) => r.depth <= 1);
  const colors = SPAN_CATEGORIES.map((cat) => theme.named(`span-${cat}`));
  for (const item of levelOfDetail(
    model,
    outer,
    0,
    Math.max(model.endNs, 1),
    plotWidth({ width, gutter }),
  )) {
    const row = outer[item.row];
    const color = colors[model.spans.category[item.span]];
    ctx.fillStyle = withAlpha(color, row.depth === 0 ? 0.45 : 0.8);
    ctx.fillRect(gutter + item.x0, 2 + row.lane * laneH, Math.max(1, item.x1 - item.x0), laneH);
  }
  return c;
}

/** The overview strip: the cached whole run and the visible window on it. */
export function paintOverview(
  canvas: HTMLCanvasElement,
  cache: HTMLCanvasElement,
  model: TimelineModel,
  theme: ThemeColors,
  view: { t0: number; t1: number; width: number; gutter: number; dpr: number },
): void {
  const ctx = canvas.getContext('2d')!;
  const t = theme;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(cache, 0, 0);
  ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
  const full = Math.max(model.endNs, 1);
  const x0 = view.gutter + (view.t0 / full) * plotWidth(view);
  const w = Math.max(2, ((view.t1 - view.t0) / full) * plotWidth(view));
  ctx.fillStyle = withAlpha(t.focus, 0.18);
  ctx.fillRect(x0, 0, w, OVERVIEW_H);
  ctx.strokeStyle = t.focus;
  ctx.lineWidth = 1;
  ctx.strokeRect(x0 + 0.5, 0.5, w - 1, OVERVIEW_H - 1);
  ctx.font = t.font;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = t.muted;
  ctx.fillText(`whole run · ${formatDuration(model.endNs)}`, 6, OVERVIEW_H / 2);
  ctx.fillStyle = t.border;
  ctx.fillRect(0, OVERVIEW_H - 1, view.width, 1);
}
