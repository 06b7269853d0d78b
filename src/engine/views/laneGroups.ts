import type { TimelineModel } from './timelineModel';

/** A group of lanes in the timeline: a run (A/B), a NUMA node, or a pool of like-named threads. */
export interface LaneGroup {
  /** Stable across runs of one scenario (the saved fold state names groups by it). */
  key: string;
  /** "node 3", "padata3/*", "A: v4.18". */
  label: string;
  /** Nesting level, 0 outermost. */
  level: number;
  /** Folded when the view first opens: thread pools and lock-only threads. */
  folded: boolean;
  /** Lanes and subgroups, in the timeline's lane order. */
  items: LaneItem[];
  /** Lanes under the group, at every level. */
  lanes: number;
}

export type LaneItem = { lane: number } | { group: LaneGroup };

/** Threads of one name pattern in one node form a pool (padata helpers, kworkers, fio jobs) from this many. */
const POOL = 3;

/** A thread's name with its instance numbers as `*`: `padata0/5` → `padata*\/*`. */
const family = (name: string) => name.replace(/\d+/g, '*');

/** The longest start the names share, then `*`: `padata0/0`, `padata0/27` → `padata0/*`. */
function commonLabel(names: string[]): string {
  let prefix = names[0];
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return `${prefix}*`;
}

/**
 * Lanes grouped the way a kernel developer reads a big machine (Perfetto groups threads by
 * process): per run when two are stacked, per NUMA node, and within a node the pools of
 * like-named threads, which start folded — on an 8-node machine the 224 padata helpers
 * (mm/page_alloc.c: deferred_init_memmap() hands chunks to padata_do_multithreaded()) would
 * push the per-node story off screen. Threads that only took locks (no spans) start folded too.
 * Linear in lanes.
 */
export function laneGroups(model: TimelineModel): LaneItem[] {
  const spans = new Set(model.spans.lane);
  const top: LaneItem[] = [];
  const groups = new Map<string, LaneGroup>();
  const groupIn = (
    items: LaneItem[],
    key: string,
    label: string,
    level: number,
    folded = false,
  ) => {
    let g = groups.get(key);
    if (!g) {
      g = { key, label, level, folded, items: [], lanes: 0 };
      groups.set(key, g);
      items.push({ group: g });
    }
    return g;
  };
  const pools = new Map<string, number>();
  const poolKey = (i: number) => {
    const l = model.lanes[i];
    return `${l.group ?? ''}|${l.node ?? ''}|${spans.has(i) ? family(l.name) : 'locks'}`;
  };
  model.lanes.forEach((_, i) => pools.set(poolKey(i), (pools.get(poolKey(i)) ?? 0) + 1));
  model.lanes.forEach((lane, i) => {
    const path: LaneGroup[] = [];
    let items = top;
    let key = '';
    const enter = (part: string, label: string, folded = false) => {
      key += `|${part}`;
      const g = groupIn(items, key, label, path.length, folded);
      path.push(g);
      items = g.items;
    };
    if (lane.group !== undefined) enter(lane.group, lane.group);
    if (lane.node !== undefined) enter(`node ${lane.node}`, `node ${lane.node}`);
    const lockOnly = !spans.has(i);
    if (lockOnly || (pools.get(poolKey(i)) ?? 0) >= POOL)
      enter(lockOnly ? 'locks' : family(lane.name), lockOnly ? 'locks only' : '', true);
    items.push({ lane: i });
    for (const g of path) g.lanes++;
  });
  for (const g of groups.values())
    if (g.label === '')
      g.label = commonLabel(g.items.map((it) => ('lane' in it ? model.lanes[it.lane].name : '')));
  return top;
}
