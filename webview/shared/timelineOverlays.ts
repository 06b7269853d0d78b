import { withAlpha } from './theme';
import { GROUP_H, INDENT, LOCK_H } from './timelineLayout';
import { base, visibleBox, xOf, type Frame } from './timelinePaint';

/** What the timeline draws over its lanes: group headers, lock flow arrows, a dragged area. */

/** Group headers (scrolled pass only): a band with ▾/▸, the group and how many threads it holds. */
export function paintGroups(f: Frame): void {
  const { ctx, theme: t } = f;
  if (f.pinned) return;
  for (const h of f.layout.headers) {
    const y = f.top + h.y;
    if (y > f.height || y + GROUP_H < f.regionTop) continue;
    const x = 6 + h.group.level * INDENT;
    ctx.fillStyle = withAlpha(t.focus, h.group.level ? 0.08 : 0.15);
    ctx.fillRect(0, y, f.width, GROUP_H);
    ctx.fillStyle = t.foreground;
    const label = `${h.folded ? '▸' : '▾'} ${h.group.label}`;
    ctx.fillText(label, x, y + GROUP_H / 2);
    ctx.fillStyle = t.muted;
    const count = `${h.group.lanes} thread${h.group.lanes === 1 ? '' : 's'}`;
    ctx.fillText(count, x + ctx.measureText(label).width + 8, y + GROUP_H / 2);
    f.hits.push({
      x0: 0,
      x1: f.width,
      y0: y,
      y1: y + GROUP_H,
      group: h.group.key,
      tip: `${h.group.label}: ${count}\nClick to ${h.folded ? 'unfold' : 'fold'}`,
    });
  }
}

/**
 * An arrow from each release to the grant of the wait it ended, between lock rows: who held
 * the lock a thread waited for. Both lanes must be drawn by this pass (not folded, same strip).
 */
export function paintFlows(f: Frame): void {
  const { ctx, theme: t } = f;
  ctx.strokeStyle = ctx.fillStyle = withAlpha(t.foreground, 0.75);
  ctx.lineWidth = 1.5;
  for (const { from, to } of f.flows) {
    const [h, w] = [f.model.locks[from], f.model.locks[to]];
    const [a, b] = [f.layout.boxes[h.lane], f.layout.boxes[w.lane]];
    if (!a || !b || a.pinned !== f.pinned || b.pinned !== f.pinned) continue;
    if (h.released! > f.t1 || w.acquired! < f.t0) continue;
    const [x0, y0] = [xOf(f, h.released!), base(f, a) + a.lockY + LOCK_H / 2];
    const [x1, y1] = [xOf(f, w.acquired!), base(f, b) + b.lockY + LOCK_H / 2];
    // Horizontal tangents, as Perfetto draws flows; a release right above its grant is a straight drop.
    const bend = Math.min(40, Math.abs(x1 - x0) / 2);
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.bezierCurveTo(x0 + bend, y0, x1 - bend, y1, x1, y1);
    ctx.stroke();
    const [cx, cy] = bend > 2 ? [x1 - bend, y1] : [x0, y0];
    const angle = Math.atan2(y1 - cy, x1 - cx);
    const head = (turn: number) =>
      ctx.lineTo(x1 - 7 * Math.cos(angle + turn), y1 - 7 * Math.sin(angle + turn));
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    head(0.5);
    head(-0.5);
    ctx.closePath();
    ctx.fill();
  }
}

/** The dragged area: a tinted, outlined band over each of its lanes. */
export function paintArea(f: Frame): void {
  const { ctx, theme: t, area } = f;
  if (!area) return;
  const x0 = Math.max(f.gutter, xOf(f, Math.min(area.t0, area.t1)));
  const x1 = Math.min(f.width, xOf(f, Math.max(area.t0, area.t1)));
  if (x1 <= x0) return;
  for (const lane of area.lanes) {
    const box = visibleBox(f, lane);
    if (!box) continue;
    const y = base(f, box) + box.y;
    ctx.fillStyle = withAlpha(t.focus, 0.15);
    ctx.fillRect(x0, y, x1 - x0, box.height);
    ctx.strokeStyle = t.focus;
    ctx.lineWidth = 1;
    ctx.strokeRect(x0 + 0.5, y + 0.5, x1 - x0 - 1, box.height - 1);
  }
}
