import { SPAN_CATEGORIES, type SpanCategory, type TraceSpan } from '../trace/model';
import type { InstantLevel, LockMode, Trace, TraceThread } from '../trace/model';
import { STEP_OPS } from '../steps';
import { formatPrinted } from '../trace/printedTime';

const STEPS = new Set<string>(STEP_OPS);

/**
 * An imported span's category, guessed from its function name (an emulated span carries the one
 * its kernel path gave it).
 */
export function spanCategory(name: string): SpanCategory {
  if (/memmap_init|deferred_init|init_single_page|for_each_device_pfn/.test(name)) return 'init';
  if (
    /^(percpu_ref|get_dev_pagemap|put_dev_pagemap|get_page|put_page|insert_pfn|zap_pte_range)/.test(
      name,
    )
  )
    return 'ref';
  if (/^wait_for|^synchronize/.test(name)) return 'wait';
  return STEPS.has(name) ? 'step' : 'hotplug';
}

function categoryIndex(s: TraceSpan): number {
  return SPAN_CATEGORIES.indexOf(s.category ?? spanCategory(s.name));
}

/** One lane of the init timeline: a kernel thread as the trace names it. */
export interface TimelineLane {
  /** The trace's thread id. */
  thread: number;
  name: string;
  node?: number;
  /** Span rows the lane needs: its deepest nesting + 1. */
  depth: number;
  /** Which run a lane belongs to when two timelines are stacked ("A", "B"). */
  group?: string;
}

/**
 * Spans as columns, sorted by (lane, depth, start): 100k spans post as a few number arrays
 * instead of 100k objects, and each (lane, depth) row is a contiguous, time-ordered slice.
 */
export interface TimelineSpans {
  /** The trace's span id (to ask the host for details). */
  id: number[];
  lane: number[];
  depth: number[];
  /** Index into `names`. */
  name: number[];
  start: number[];
  end: number[];
  /** Index into `devices`, or -1. */
  device: number[];
  /** Index into SPAN_CATEGORIES: the span's colour. */
  category: number[];
}

/** A lock wait and hold, drawn on its thread's lane. */
export interface TimelineLock {
  lane: number;
  lock: string;
  mode: LockMode;
  requested: number;
  /** Undefined: never granted before the run ended. */
  acquired?: number;
  /** Undefined: still held when the run ended. */
  released?: number;
  contended: boolean;
}

/** A WARN/BUG/pr_info marker. */
export interface TimelineInstant {
  t: number;
  /** Undefined: the event has no thread (drawn across the top). */
  lane?: number;
  level: InstantLevel;
  text: string;
  code?: string;
  step?: number;
  device?: string;
  /** The time an imported log printed for it, for the reader (`t` places it on the axis). */
  printed?: string;
}

/** Everything the timeline view draws; plain data, posted once per run. */
export interface TimelineModel {
  title: string;
  source: Trace['source'];
  endNs: number;
  lanes: TimelineLane[];
  names: string[];
  devices: string[];
  spans: TimelineSpans;
  locks: TimelineLock[];
  instants: TimelineInstant[];
}

/**
 * Lane order a kernel developer reads top-down: the scenario's process, then per node its boot
 * CPU, pgdatinit thread and probe workers, then the padata helpers (up to one per CPU: on a big
 * machine they would push the per-node story off screen). Threads with nothing on them (idle
 * RCU kthreads) get no lane.
 */
function laneOrder(trace: Trace): TraceThread[] {
  const used = new Set<number>();
  for (const s of trace.spans) used.add(s.thread);
  for (const l of trace.locks) used.add(l.thread);
  for (const i of trace.instants) if (i.thread !== undefined) used.add(i.thread);
  const rank = (t: TraceThread) => (t.node === undefined ? 0 : t.name.startsWith('padata') ? 2 : 1);
  return trace.threads
    .filter((t) => used.has(t.id))
    .sort((a, b) => rank(a) - rank(b) || (a.node ?? -1) - (b.node ?? -1) || a.id - b.id);
}

/** The timeline of one run (emulated or imported). Work is linear in spans plus a sort. */
export function buildTimeline(trace: Trace, title: string): TimelineModel {
  const threads = laneOrder(trace);
  const laneOf = new Map(threads.map((t, i) => [t.id, i]));
  const lanes: TimelineLane[] = threads.map((t) => ({
    thread: t.id,
    name: t.name,
    node: t.node,
    depth: 0,
  }));
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const devices: string[] = [];
  const deviceIndex = new Map<string, number>();
  const intern = (table: string[], index: Map<string, number>, key: string) => {
    let i = index.get(key);
    if (i === undefined) index.set(key, (i = table.push(key) - 1));
    return i;
  };
  const order = trace.spans.map((_, i) => i);
  const lane = trace.spans.map((s) => laneOf.get(s.thread) ?? 0);
  order.sort(
    (a, b) =>
      lane[a] - lane[b] ||
      trace.spans[a].depth - trace.spans[b].depth ||
      trace.spans[a].start - trace.spans[b].start ||
      a - b,
  );
  const spans: TimelineSpans = {
    id: [],
    lane: [],
    depth: [],
    name: [],
    start: [],
    end: [],
    device: [],
    category: [],
  };
  for (const i of order) {
    const s = trace.spans[i];
    spans.id.push(s.id);
    spans.lane.push(lane[i]);
    spans.depth.push(s.depth);
    spans.name.push(intern(names, nameIndex, s.name));
    spans.start.push(s.start);
    spans.end.push(s.end);
    spans.device.push(
      typeof s.args.device === 'string' ? intern(devices, deviceIndex, s.args.device) : -1,
    );
    spans.category.push(categoryIndex(s));
    lanes[lane[i]].depth = Math.max(lanes[lane[i]].depth, s.depth + 1);
  }
  return {
    title,
    source: trace.source,
    endNs: trace.endNs,
    lanes,
    names,
    devices,
    spans,
    locks: trace.locks.map((l) => ({
      lane: laneOf.get(l.thread) ?? 0,
      lock: l.lock,
      mode: l.mode,
      requested: l.requested,
      acquired: l.acquired,
      released: l.released,
      contended: !!l.contended,
    })),
    instants: trace.instants
      .filter((i) => i.level !== 'debug')
      .map((i) => ({
        t: i.t,
        lane: i.thread === undefined ? undefined : laneOf.get(i.thread),
        level: i.level,
        text: i.text,
        code: i.code,
        step: i.step,
        device: i.device,
        ...(i.printed ? { printed: formatPrinted(i.printed) } : {}),
      })),
  };
}

/**
 * Two runs on one time axis: B's lanes below A's, each lane tagged with its run. Names and
 * devices are re-interned so indices stay valid; span ids keep their own run's numbering.
 */
export function stackTimelines(
  a: TimelineModel,
  b: TimelineModel,
  labels: [string, string],
): TimelineModel {
  const names = [...a.names];
  const devices = [...a.devices];
  const remap = (table: string[], from: string[]) =>
    from.map((n) => (table.includes(n) ? table.indexOf(n) : table.push(n) - 1));
  const nameMap = remap(names, b.names);
  const deviceMap = remap(devices, b.devices);
  const offset = a.lanes.length;
  const bs = b.spans;
  return {
    title: `${labels[0]} vs ${labels[1]}`,
    source: a.source === b.source ? a.source : 'imported',
    endNs: Math.max(a.endNs, b.endNs),
    lanes: [
      ...a.lanes.map((l) => ({ ...l, group: labels[0] })),
      ...b.lanes.map((l) => ({ ...l, group: labels[1] })),
    ],
    names,
    devices,
    spans: {
      id: [...a.spans.id, ...bs.id],
      lane: [...a.spans.lane, ...bs.lane.map((l) => l + offset)],
      depth: [...a.spans.depth, ...bs.depth],
      name: [...a.spans.name, ...bs.name.map((n) => nameMap[n])],
      start: [...a.spans.start, ...bs.start],
      end: [...a.spans.end, ...bs.end],
      device: [...a.spans.device, ...bs.device.map((d) => (d < 0 ? d : deviceMap[d]))],
      category: [...a.spans.category, ...bs.category],
    },
    locks: [...a.locks, ...b.locks.map((l) => ({ ...l, lane: l.lane + offset }))],
    instants: [
      ...a.instants,
      ...b.instants.map((i) => ({
        ...i,
        lane: i.lane === undefined ? undefined : i.lane + offset,
      })),
    ],
  };
}
