import type { LockClassStat, LockMode, Trace } from '../trace/model';
import { DEFAULT_LONG_LOCK_THRESHOLD_NS, type Scenario } from '../scenario/model';
import { lockClass, lockStats, type LockStat } from '../trace/lockStats';

/** A /proc/lock_stat row with the averages lock_stat prints. */
export interface LockRow extends LockStat {
  /** "mem_hotplug_lock", or "-W"/"-R" beside a read side, as lock_stat names a class in a mode (an imported row: as printed). */
  label: string;
  /** An imported row's columns as printed (con-bounces … holdtime-avg, times in µs). */
  columns?: string[];
  conBounces?: number;
  acqBounces?: number;
  points?: LockClassStat['points'];
  waitAvgNs: number;
  holdAvgNs: number;
}

export interface HistogramBin {
  fromNs: number;
  toNs: number;
  count: number;
}

/** Hold durations of one lock class in one mode, in equal-width bins from 0. */
export interface HoldHistogram {
  label: string;
  name: string;
  mode: LockMode;
  bins: HistogramBin[];
  /** The long-hold diagnostic's threshold, on the locks the rule watches. */
  thresholdNs?: number;
}

/** A wait or a hold in the holders gantt. */
export interface GanttBar {
  lane: number;
  kind: 'wait' | 'hold';
  mode: LockMode;
  start: number;
  end: number;
  /** Still waiting, or still holding, when the run ended. */
  open: boolean;
  /** A hold longer than the threshold. */
  long: boolean;
}

/** Who held a lock class while who waited, one lane per thread. */
export interface LockGantt {
  name: string;
  lanes: string[];
  bars: GanttBar[];
}

export interface LockModel {
  title: string;
  endNs: number;
  /** Unset for an imported /proc/lock_stat when nobody set one: the kernel's table, not ours to judge. */
  thresholdNs?: number;
  /** Where the threshold came from, for the header: the scenario, the editor's setting, or the default. */
  thresholdFrom?: LongLockThreshold['from'];
  /** The lock the long-hold rule watches, shown first. */
  watched: string;
  rows: LockRow[];
  histograms: HoldHistogram[];
  gantts: LockGantt[];
}

/** mm/memory_hotplug.c's lock: the one the long-hold diagnostic (lore: "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap" (2018)) is about. */
export const WATCHED_LOCK = 'mem_hotplug_lock';

/** The long-hold rule's threshold and who set it. */
export interface LongLockThreshold {
  ns: number;
  from: Scenario['options']['longLockThresholdFrom'];
}

/** No scenario and no setting named one: the rule's own. */
export const DEFAULT_THRESHOLD: LongLockThreshold = {
  ns: DEFAULT_LONG_LOCK_THRESHOLD_NS,
  from: 'default',
};
const BINS = 20;

/** A lock_stat row with its label and averages (from lock events, or an imported /proc/lock_stat row). */
export function lockRow(s: LockStat | LockClassStat): LockRow {
  return {
    ...s,
    label: s.label || s.name,
    waitAvgNs: s.contentions ? s.waitTotalNs / s.contentions : 0,
    holdAvgNs: s.acquisitions ? s.holdTotalNs / s.acquisitions : 0,
  };
}

function histogram(trace: Trace, r: LockRow, thresholdNs: number): HoldHistogram {
  const holds = trace.locks
    .filter(
      (l) =>
        lockClass(l.lock) === r.name &&
        l.mode === r.mode &&
        l.acquired !== undefined &&
        l.released !== undefined,
    )
    .map((l) => l.released! - l.acquired!);
  const watched = r.name === WATCHED_LOCK;
  const top = Math.max(r.holdMaxNs, watched ? thresholdNs : 0, 1);
  const width = top / BINS;
  const bins = Array.from({ length: BINS }, (_, i) => ({
    fromNs: i * width,
    toNs: (i + 1) * width,
    count: 0,
  }));
  for (const h of holds) bins[Math.min(BINS - 1, Math.floor(h / width))].count++;
  return {
    label: r.label,
    name: r.name,
    mode: r.mode,
    bins,
    thresholdNs: watched ? thresholdNs : undefined,
  };
}

function gantt(trace: Trace, name: string, thresholdNs: number): LockGantt {
  const lanes: string[] = [];
  const laneOf = new Map<number, number>();
  const bars: GanttBar[] = [];
  for (const l of trace.locks) {
    if (lockClass(l.lock) !== name) continue;
    let lane = laneOf.get(l.thread);
    if (lane === undefined) {
      laneOf.set(l.thread, (lane = lanes.length));
      lanes.push(trace.threads[l.thread]?.name ?? `thread ${l.thread}`);
    }
    const granted = l.acquired ?? trace.endNs;
    if (granted > l.requested)
      bars.push({
        lane,
        kind: 'wait',
        mode: l.mode,
        start: l.requested,
        end: granted,
        open: l.acquired === undefined,
        long: false,
      });
    if (l.acquired === undefined) continue;
    const end = l.released ?? trace.endNs;
    bars.push({
      lane,
      kind: 'hold',
      mode: l.mode,
      start: l.acquired,
      end,
      open: l.released === undefined,
      long: name === WATCHED_LOCK && end - l.acquired > thresholdNs,
    });
  }
  return { name, lanes, bars };
}

/**
 * The lock hold durations view of a run: lock_stat table, hold histograms, holders gantts. An
 * imported /proc/lock_stat has only its aggregates: its rows, and no histograms or gantts.
 */
export function buildLockModel(
  trace: Trace,
  threshold: number | LongLockThreshold,
  title: string,
): LockModel {
  const { ns, from: thresholdFrom } =
    typeof threshold === 'number' ? { ns: threshold, from: undefined } : threshold;
  const aggregates = trace.locks.length === 0 && trace.lockClasses ? trace.lockClasses : undefined;
  const thresholdNs = aggregates && thresholdFrom === 'default' ? undefined : ns;
  const rows = (aggregates ?? lockStats(trace)).map(lockRow);
  // The watched lock first: it is the one a hotplug developer opens this view for.
  const names = [...new Set(rows.map((r) => r.name))].sort(
    (a, b) => Number(b === WATCHED_LOCK) - Number(a === WATCHED_LOCK) || a.localeCompare(b),
  );
  return {
    title,
    endNs: trace.endNs,
    thresholdNs,
    thresholdFrom: thresholdNs === undefined ? undefined : thresholdFrom,
    watched: WATCHED_LOCK,
    rows,
    histograms: aggregates ? [] : rows.map((r) => histogram(trace, r, ns)),
    gantts: aggregates ? [] : names.map((n) => gantt(trace, n, ns)),
  };
}
