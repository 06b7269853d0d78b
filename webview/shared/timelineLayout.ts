import type { TimelineModel } from '../../src/protocol/webview';

/** Vertical geometry of the timeline, in CSS pixels. */
export const ROW_H = 18;
export const MARK_H = 7;
export const LOCK_H = 7;
export const PAD = 4;
export const GROUP_H = 20;
export const AXIS_H = 22;
/** The thread names' column: 168 px, less in a narrow panel, where the plot needs the room. */
export const gutterWidth = (width: number): number =>
  Math.round(Math.min(168, Math.max(120, width * 0.2)));

export interface LaneBox {
  lane: number;
  /** Top of the lane in content coordinates. */
  y: number;
  height: number;
  /** Top of span row 0. */
  spansY: number;
  /** Top of the lock row (holds and waits). */
  lockY: number;
  /** A group header ("A: v4.20") drawn above this lane. */
  groupY?: number;
  /** The thread took locks (the lane has a lock row). */
  locks: boolean;
}

export interface Layout {
  lanes: LaneBox[];
  height: number;
}

/** Lanes stacked top-down: a marker strip, one row per nesting depth, a lock row if it takes locks. */
export function layoutLanes(model: TimelineModel): Layout {
  const locking = new Set(model.locks.map((l) => l.lane));
  const lanes: LaneBox[] = [];
  let y = 0;
  model.lanes.forEach((lane, i) => {
    let groupY: number | undefined;
    if (lane.group !== undefined && lane.group !== model.lanes[i - 1]?.group) {
      groupY = y;
      y += GROUP_H;
    }
    const spansY = y + PAD + MARK_H;
    const lockY = spansY + Math.max(1, lane.depth) * ROW_H + 1;
    const height = lockY - y + (locking.has(i) ? LOCK_H + 2 : 0) + PAD;
    lanes.push({ lane: i, y, height, spansY, lockY, groupY, locks: locking.has(i) });
    y += height;
  });
  return { lanes, height: y };
}
