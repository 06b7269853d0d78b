import type { Comparison } from '../compare/compareWithLog';
import type { RunSummary } from '../run/summary';
import type { LogFormat } from '../trace/import/types';
import type { Trace } from '../trace/model';
import { alignDmesg, type DmesgPair } from './dmesgAlign';
import { buildLockModel, type LockRow } from './lockModel';
import { buildTimeline, stackTimelines, type TimelineModel } from './timelineModel';

/** One side of a comparison: an emulated run (with its summary) or an imported log (trace only). */
export interface CompareSide {
  label: string;
  variant: string;
  summary?: RunSummary;
  trace: Trace;
}

/** A per-node init time in both runs. */
export interface InitRow {
  /** -1: a log line that says neither its node nor its device, and no line of the run matched it. */
  node: number;
  /** "deferred struct page init", "pmem0 memmap init", "pmem0 probe". */
  what: string;
  aNs?: number;
  bNs?: number;
  /** Against a real log: measured / predicted (bNs / aNs), as `memmap-lab compare` prints it. */
  ratio?: number;
  /** Against a real log: the line of the log the measured time is from. */
  line?: number;
}

/** A lock_stat row in both runs. */
export interface LockDelta {
  label: string;
  a?: LockRow;
  b?: LockRow;
}

/** Side B is a real kernel log: how its events were matched to the run's (see compareWithLog). */
export interface LogComparison extends Comparison {
  /** The log as the host names it (its URI), and its file name. */
  uri: string;
  name: string;
  format: LogFormat;
  /** /proc/lock_stat classes in the log (0: the lock table has the run's side only). */
  lockClasses: number;
  /** What the stacked timelines were aligned on, e.g. "L1 zone-device-init zone device #1". */
  alignedOn?: string;
  /** Added to the log's times on the stacked timeline (the dmesg column keeps the kernel's own). */
  logShiftNs: number;
  /** The stacked timeline's first window: the run, and the log's lines matched to it (a log may go on for minutes). */
  window: [number, number];
}

export interface CompareModel {
  a: { label: string; variant: string; totalNs: number; source: Trace['source'] };
  b: { label: string; variant: string; totalNs: number; source: Trace['source'] };
  inits: InitRow[];
  locks: LockDelta[];
  timeline: TimelineModel;
  dmesg: DmesgPair[];
  /** Set when B is an imported log rather than a second run. */
  log?: LogComparison;
}

/**
 * Init times per node. An emulated run has them in its summary; an imported log has only the
 * kernel's own "... initialised ... in Nms" lines, which the importer turns into fields.
 */
function initTimes(side: CompareSide): Map<string, { node: number; what: string; ns: number }> {
  const out = new Map<string, { node: number; what: string; ns: number }>();
  const put = (node: number, what: string, ns: number) =>
    out.set(`${node}\0${what}`, { node, what, ns });
  if (side.summary) {
    for (const n of side.summary.nodes) {
      if (n.deferredInitNs) put(n.node, 'deferred struct page init', n.deferredInitNs);
      for (const d of n.devices) {
        put(n.node, `${d.name} memmap init`, d.initNs);
        put(n.node, `${d.name} probe`, d.probeNs);
      }
    }
    return out;
  }
  for (const i of side.trace.instants) {
    const ms = i.fields?.ms;
    if (typeof ms !== 'number') continue;
    const node = i.node ?? (typeof i.fields?.node === 'number' ? i.fields.node : 0);
    put(node, i.device ? `${i.device} memmap init` : 'deferred struct page init', ms * 1e6);
  }
  return out;
}

/** Two runs side by side: init times, lock_stat deltas, one stacked timeline, aligned dmesg. */
export function buildCompare(a: CompareSide, b: CompareSide, thresholdNs: number): CompareModel {
  const ia = initTimes(a);
  const ib = initTimes(b);
  const inits = [...new Set([...ia.keys(), ...ib.keys()])]
    .map((k) => {
      const x = ia.get(k) ?? ib.get(k)!;
      return { node: x.node, what: x.what, aNs: ia.get(k)?.ns, bNs: ib.get(k)?.ns };
    })
    .sort((x, y) => x.node - y.node);
  const la = buildLockModel(a.trace, thresholdNs, a.label).rows;
  const lb = buildLockModel(b.trace, thresholdNs, b.label).rows;
  const locks = [...new Set([...la, ...lb].map((r) => r.label))].sort().map((label) => ({
    label,
    a: la.find((r) => r.label === label),
    b: lb.find((r) => r.label === label),
  }));
  const side = (s: CompareSide) => ({
    label: s.label,
    variant: s.variant,
    totalNs: s.trace.endNs,
    source: s.trace.source,
  });
  return {
    a: side(a),
    b: side(b),
    inits,
    locks,
    timeline: stackTimelines(buildTimeline(a.trace, a.label), buildTimeline(b.trace, b.label), [
      `A: ${a.label}`,
      `B: ${b.label}`,
    ]),
    dmesg: alignDmesg(a.trace.dmesg, b.trace.dmesg),
  };
}
