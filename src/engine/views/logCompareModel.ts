import { compareWithLog, type ComparisonRow } from '../compare/compareWithLog';
import type { ImportedLog } from '../trace/import/types';
import { lockStats } from '../trace/lockStats';
import type { DmesgLine, Trace } from '../trace/model';
import type { CompareModel, CompareSide, InitRow, LockDelta } from './compareModel';
import { alignDmesg, messageKey, type DmesgPair } from './dmesgAlign';
import { lockRow } from './lockModel';
import { buildTimeline, stackTimelines, type TimelineModel } from './timelineModel';

/** A log longer than this shows its lines next to the run's and a few around them; the rest are gaps. */
const MAX_DMESG_ROWS = 2000;
const CONTEXT_LINES = 3;

/**
 * An emulated run beside a real kernel log, matched as `memmap-lab compare` matches them
 * (compareWithLog): init lines by device name or order, deferred init by node, warnings by kind.
 * Init times come with measured / predicted; lock_stat rows pair a run's class with the log's
 * class of the same mode whose name contains it (mem_hotplug_lock → mem_hotplug_lock.rw_sem);
 * the timelines are stacked on one axis with the log's first matched line on top of its
 * prediction; the dmesg columns pair the same message, numbers aside.
 */
export function buildLogCompare(
  run: CompareSide,
  log: ImportedLog,
  source: { uri: string; name: string },
): CompareModel {
  const cmp = compareWithLog(run.trace, log);
  const a = buildTimeline(run.trace, run.label);
  const b = buildTimeline(log.trace, source.name);
  const [startA, startB] = [timelineStart(a), timelineStart(b)];
  const anchor = alignment(cmp.rows);
  // B's clock minus A's at the same moment; then both move so the earliest record is at 0.
  const d = anchor ? anchor.d : startB - startA;
  const g = Math.min(startA + d, startB);
  const logShiftNs = -g;
  const timeline = stackTimelines(shiftTimeline(a, d - g), shiftTimeline(b, logShiftNs), [
    `A: ${run.label}`,
    `B: ${source.name}`,
  ]);
  let end = a.endNs + d - g;
  for (const r of cmp.rows)
    if (r.emulated && r.real?.t !== undefined) end = Math.max(end, r.real.t + logShiftNs);
  return {
    a: {
      label: run.label,
      variant: run.variant,
      totalNs: run.trace.endNs,
      source: run.trace.source,
    },
    b: {
      label: source.name,
      variant: log.format,
      totalNs: Math.max(0, log.trace.endNs - startB),
      source: 'imported',
    },
    inits: initRows(run.trace, cmp.rows),
    locks: lockDeltas(run.trace, log),
    timeline,
    dmesg: trimPairs(alignWithLog(run.trace.dmesg, log.trace.dmesg)),
    log: {
      ...cmp,
      uri: source.uri,
      name: source.name,
      format: log.format,
      lockClasses: log.trace.lockClasses?.length ?? 0,
      alignedOn: anchor?.on,
      logShiftNs,
      window: [0, Math.min(timeline.endNs, Math.max(end * 1.05, 1))],
    },
  };
}

/** Per node and device: the run's predicted init time, the log's measured one, their ratio. */
function initRows(trace: Trace, rows: ComparisonRow[]): InitRow[] {
  return rows
    .filter((r) => r.kind === 'zone-device-init' || r.kind === 'deferred-init')
    .map((r) => {
      // The run's own record of the line knows its device and node even when the kernel printed neither (v5.10).
      const printed =
        r.emulated &&
        trace.instants.find((i) => i.t === r.emulated!.t && i.text === r.emulated!.text);
      const realNode = typeof r.real?.fields.node === 'number' ? r.real.fields.node : undefined;
      const node =
        printed?.node ??
        (typeof r.emulated?.fields.node === 'number' ? r.emulated.fields.node : realNode) ??
        -1;
      const device =
        printed?.device ??
        (typeof r.real?.fields.device === 'string' ? r.real.fields.device : undefined);
      const what =
        r.kind === 'deferred-init'
          ? 'deferred struct page init'
          : device && device !== r.key
            ? `${device} memmap init (${r.key})`
            : `${r.key} memmap init`;
      return {
        node,
        what,
        aNs: r.predictedNs,
        bNs: r.measuredNs,
        ratio: r.ratio,
        line: r.real?.line,
      };
    })
    .sort((x, y) => (x.node < 0 ? Infinity : x.node) - (y.node < 0 ? Infinity : y.node));
}

/** The run's lock classes, each beside the log's /proc/lock_stat row that compareWithLog pairs it with. */
function lockDeltas(trace: Trace, log: ImportedLog): LockDelta[] {
  const real = log.trace.lockClasses ?? [];
  return lockStats(trace).map((s) => {
    const a = lockRow(s);
    const r = real.find((c) => c.mode === s.mode && c.name.includes(s.name));
    const b = r && lockRow(r);
    return { label: b && b.name !== a.name ? `${a.label} (${b.name})` : a.label, a, b };
  });
}

/** The matched line printed first in the log, and how far its time is from the run's. */
function alignment(rows: ComparisonRow[]): { d: number; on: string } | undefined {
  let first: ComparisonRow | undefined;
  for (const r of rows) {
    if (r.emulated?.t === undefined || r.real?.t === undefined) continue;
    if (!first || r.real.t < first.real!.t!) first = r;
  }
  return (
    first && {
      d: first.real!.t! - first.emulated!.t!,
      on: `L${first.real!.line} ${first.kind} ${first.key}`,
    }
  );
}

function timelineStart(t: TimelineModel): number {
  let min = Infinity;
  for (const s of t.spans.start) if (s < min) min = s;
  for (const i of t.instants) if (i.t < min) min = i.t;
  for (const l of t.locks) if (l.requested < min) min = l.requested;
  return Number.isFinite(min) ? min : 0;
}

function shiftTimeline(t: TimelineModel, dt: number): TimelineModel {
  if (dt === 0) return t;
  const at = (x: number) => x + dt;
  const maybe = (x: number | undefined) => (x === undefined ? undefined : x + dt);
  return {
    ...t,
    endNs: t.endNs + dt,
    spans: { ...t.spans, start: t.spans.start.map(at), end: t.spans.end.map(at) },
    locks: t.locks.map((l) => ({
      ...l,
      requested: l.requested + dt,
      acquired: maybe(l.acquired),
      released: maybe(l.released),
    })),
    instants: t.instants.map((i) => ({ ...i, t: i.t + dt })),
  };
}

/**
 * alignDmesg over the log's lines that could pair at all (their masked text is one the run
 * printed): the same pairs as aligning the whole log, in a time that does not grow with it.
 * The other lines of the log go back in, in order, each alone.
 */
function alignWithLog(a: DmesgLine[], b: DmesgLine[]): DmesgPair[] {
  const keys = new Set(a.map((l) => messageKey(l.text)));
  const candidates: number[] = [];
  b.forEach((l, i) => keys.has(messageKey(l.text)) && candidates.push(i));
  const out: DmesgPair[] = [];
  let next = 0;
  let j = 0;
  for (const p of alignDmesg(
    a,
    candidates.map((i) => b[i]),
  )) {
    if (p.b) {
      const at = candidates[j++];
      while (next < at) out.push({ b: b[next++] });
      next = at + 1;
    }
    out.push(p);
  }
  while (next < b.length) out.push({ b: b[next++] });
  return out;
}

/** Past MAX_DMESG_ROWS, only rows near a line of the run stay; runs of the others become gaps. */
function trimPairs(pairs: DmesgPair[]): DmesgPair[] {
  if (pairs.length <= MAX_DMESG_ROWS) return pairs;
  const keep = new Uint8Array(pairs.length);
  pairs.forEach((p, i) => {
    if (!p.a) return;
    for (
      let k = Math.max(0, i - CONTEXT_LINES);
      k <= Math.min(pairs.length - 1, i + CONTEXT_LINES);
      k++
    )
      keep[k] = 1;
  });
  const out: DmesgPair[] = [];
  let gap = 0;
  pairs.forEach((p, i) => {
    if (!keep[i]) return void gap++;
    if (gap) out.push({ skipped: gap });
    gap = 0;
    out.push(p);
  });
  if (gap) out.push({ skipped: gap });
  return out;
}
