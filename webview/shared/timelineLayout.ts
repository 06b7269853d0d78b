import type { TimelineModel } from '../../src/protocol/webview';
import type { LaneGroup, LaneItem } from '../../src/engine/views/laneGroups';

/** Vertical geometry of the timeline, in CSS pixels. */
export const ROW_H = 18;
export const MARK_H = 7;
export const LOCK_H = 7;
export const PAD = 4;
export const GROUP_H = 20;
export const AXIS_H = 22;
/** Indent of a nested group's header. */
export const INDENT = 10;

/** The thread names' column: 168 px, less in a narrow panel, where the plot needs the room. */
export const gutterWidth = (width: number): number =>
  Math.round(Math.min(168, Math.max(120, width * 0.2)));

export interface LaneBox {
  lane: number;
  /** Top of the lane: in the pinned strip's coordinates if pinned, else in the scrolled content's. */
  y: number;
  height: number;
  /** Top of span row 0. */
  spansY: number;
  /** Top of the lock row (holds and waits). */
  lockY: number;
  /** The thread took locks (the lane has a lock row). */
  locks: boolean;
  /** In the strip under the axis that does not scroll. */
  pinned: boolean;
}

/** A group's header row (click to fold or unfold), in the scrolled content's coordinates. */
export interface GroupRow {
  group: LaneGroup;
  y: number;
  folded: boolean;
}

export interface Layout {
  /** Per lane: its box, or undefined while a group it is in is folded. */
  boxes: (LaneBox | undefined)[];
  headers: GroupRow[];
  /** Height of the pinned strip (0: nothing pinned). */
  pinnedHeight: number;
  /** Height of the scrolled content. */
  height: number;
}

/** What the user changed: groups folded or unfolded (by key), lanes pinned (by index). */
export interface LaneView {
  folded: Set<string>;
  pinned: Set<number>;
}

/**
 * Lanes stacked top-down: pinned lanes first in their own strip, then the groups (a header
 * row each; a folded group is its header alone). A lane is a marker strip, one row per nesting
 * depth, and a lock row if it takes locks.
 */
export function layoutLanes(model: TimelineModel, items: LaneItem[], view: LaneView): Layout {
  const locking = new Set(model.locks.map((l) => l.lane));
  const boxes: (LaneBox | undefined)[] = model.lanes.map(() => undefined);
  const headers: GroupRow[] = [];
  const box = (i: number, y: number, pinned: boolean): LaneBox => {
    const spansY = y + PAD + MARK_H;
    const lockY = spansY + Math.max(1, model.lanes[i].depth) * ROW_H + 1;
    const height = lockY - y + (locking.has(i) ? LOCK_H + 2 : 0) + PAD;
    return { lane: i, y, height, spansY, lockY, locks: locking.has(i), pinned };
  };
  let pinnedHeight = 0;
  for (const i of [...view.pinned].sort((a, b) => a - b)) {
    boxes[i] = box(i, pinnedHeight, true);
    pinnedHeight += boxes[i]!.height;
  }
  let y = 0;
  const walk = (list: LaneItem[]) => {
    for (const item of list) {
      if ('lane' in item) {
        if (view.pinned.has(item.lane)) continue;
        boxes[item.lane] = box(item.lane, y, false);
        y += boxes[item.lane]!.height;
        continue;
      }
      const folded = view.folded.has(item.group.key);
      headers.push({ group: item.group, y, folded });
      y += GROUP_H;
      if (!folded) walk(item.group.items);
    }
  };
  walk(items);
  return { boxes, headers, pinnedHeight, height: y };
}

/** The groups folded when the view opens. */
export function foldedAtFirst(items: LaneItem[]): Set<string> {
  const folded = new Set<string>();
  const walk = (list: LaneItem[]) => {
    for (const item of list)
      if ('group' in item) {
        if (item.group.folded) folded.add(item.group.key);
        walk(item.group.items);
      }
  };
  walk(items);
  return folded;
}

/** Per lane, the keys of the groups it is in, outermost first (to unfold them to show it). */
export function groupPaths(items: LaneItem[], lanes: number): string[][] {
  const paths: string[][] = Array.from({ length: lanes }, () => []);
  const walk = (list: LaneItem[], path: string[]) => {
    for (const item of list)
      if ('lane' in item) paths[item.lane] = path;
      else walk(item.group.items, [...path, item.group.key]);
  };
  walk(items, []);
  return paths;
}
