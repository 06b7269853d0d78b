import type { LockClassStat, Trace } from '../trace/model';
import { lockStats } from '../trace/lockStats';
import type { ImportedLog, LogEvent, LogEventKind } from '../trace/import/types';
import { emulatedEvents, type EmulatedEvent } from './emulatedEvents';

/** One emulated event next to the real one it was matched with (either may be missing). */
export interface ComparisonRow {
  kind: LogEventKind;
  /** Device, node or lock class, as the user knows it ("dax0.0", "node 1", "zone device #2"). */
  key: string;
  emulated?: { text: string; t?: number; line: number; fields: Record<string, string | number> };
  real?: { text: string; t?: number; line: number; fields: Record<string, string | number> };
  /** For timed events: what the model predicts and what the kernel measured, in ns. */
  predictedNs?: number;
  measuredNs?: number;
  /** measured / predicted. */
  ratio?: number;
  /** The kernel prints whole ms (jiffies): a measured 0 ms means "under a millisecond". */
  resolutionNs?: number;
}

export interface Comparison {
  rows: ComparisonRow[];
  matched: number;
  onlyEmulated: number;
  onlyReal: number;
  /** What the reader should know about the pairing (a log holding several configurations). */
  notes: string[];
}

type Side = { e: LogEvent; ns?: number };

/** Kinds compared one to one; everything else in a log is context, not a prediction. */
const COMPARED: LogEventKind[] = [
  'zone-device-init',
  'deferred-init',
  'memory-block-size',
  'percpu-ref-underflow',
  'misaligned-pages',
  'section-conflict',
  'mixed-region',
  'section-already-deactivated',
  'nvdimm-namespace-error',
  'hung-task',
  'hotplug-range-unaligned',
  'remove-memory-online',
];

function key(e: LogEvent, nth: number): string {
  const f = e.fields;
  if (e.kind === 'deferred-init') return `node ${f.node}`;
  if (e.kind === 'zone-device-init')
    return typeof f.device === 'string' ? f.device : `zone device #${nth}`;
  if (e.kind === 'memory-block-size') return 'block size';
  return `#${nth}`;
}

/**
 * Matches an emulated run's events to a real log's: device init lines by device name when both
 * name it (v4.20–v5.3), else by page count, then in order; deferred init by node; warnings by
 * kind, in order. Each match gets the predicted and measured durations and their ratio.
 */
export function compareWithLog(emulated: Trace, real: ImportedLog | LogEvent[]): Comparison {
  const realEvents = unquoted(Array.isArray(real) ? real : real.events);
  const predicted = emulatedEvents(emulated);
  const rows: ComparisonRow[] = [];
  for (const kind of COMPARED) {
    const a: Side[] = predicted
      .filter((e) => e.kind === kind)
      .map((e: EmulatedEvent) => ({ e, ns: e.ns }));
    const b: Side[] = realEvents
      .filter((e) => e.kind === kind)
      .map((e) => ({ e, ns: typeof e.fields.ms === 'number' ? e.fields.ms * 1e6 : undefined }));
    rows.push(...pair(kind, a, b));
  }
  if (!Array.isArray(real) && real.trace.lockClasses)
    rows.push(...lockRows(emulated, real.trace.lockClasses));
  return {
    rows,
    matched: rows.filter((r) => r.emulated && r.real).length,
    onlyEmulated: rows.filter((r) => r.emulated && !r.real).length,
    onlyReal: rows.filter((r) => !r.emulated && r.real).length,
    notes: configurations(realEvents, predicted),
  };
}

/** A log whose device inits have page counts the run does not: likely several configurations pasted together. */
function configurations(real: LogEvent[], predicted: EmulatedEvent[]): string[] {
  const count = (events: { kind: LogEventKind; fields: Record<string, string | number> }[]) => {
    const out = new Map<number, number>();
    for (const e of events)
      if (e.kind === 'zone-device-init' && typeof e.fields.pages === 'number')
        out.set(e.fields.pages, (out.get(e.fields.pages) ?? 0) + 1);
    return out;
  };
  const inLog = count(real);
  const inRun = count(predicted);
  const other = [...inLog.keys()].filter((p) => !inRun.has(p));
  if (inLog.size < 2 || other.length === 0) return [];
  const list = [...inLog].map(([pages, n]) => `${pages} pages ×${n}`).join(', ');
  return [
    `the log initialises devices of ${inLog.size} sizes (${list}); the run has ${[...inRun.keys()].join(', ') || 'none'}: it may hold several configurations, so init lines pair by page count first`,
  ];
}

/** A mail thread quotes the same log again and again: each message counts once, at its least-quoted copy. */
function unquoted(events: LogEvent[]): LogEvent[] {
  const depth = new Map<string, number>();
  for (const e of events)
    depth.set(e.text, Math.min(depth.get(e.text) ?? Infinity, Number(e.fields.quoted ?? 0)));
  return events.filter((e) => Number(e.fields.quoted ?? 0) === depth.get(e.text));
}

function pair(kind: LogEventKind, a: Side[], b: Side[]): ComparisonRow[] {
  const keysA = a.map((s, i) => key(s.e, i + 1));
  const keysB = b.map((s, i) => key(s.e, i + 1));
  // Device names only pair when both logs print them; otherwise the order is all we have.
  const byName =
    kind === 'zone-device-init' &&
    a.every((s) => typeof s.e.fields.device === 'string') &&
    b.every((s) => typeof s.e.fields.device === 'string');
  const rows: ComparisonRow[] = [];
  const usedB = new Set<number>();
  const match = new Map<number, number>();
  const take = (i: number, j: number) => {
    if (j < 0) return;
    usedB.add(j);
    match.set(i, j);
  };
  if (kind === 'deferred-init' || byName) {
    a.forEach((_, i) =>
      take(
        i,
        keysB.findIndex((k, n) => !usedB.has(n) && k === keysA[i]),
      ),
    );
  } else {
    // Device inits of the same page count pair first (a log of several configurations), the rest in order.
    if (kind === 'zone-device-init')
      a.forEach((s, i) =>
        take(
          i,
          b.findIndex(
            (r, n) =>
              !usedB.has(n) &&
              r.e.fields.pages !== undefined &&
              r.e.fields.pages === s.e.fields.pages,
          ),
        ),
      );
    a.forEach((_, i) => {
      if (!match.has(i))
        take(
          i,
          b.findIndex((_r, n) => !usedB.has(n)),
        );
    });
  }
  a.forEach((s, i) => {
    const j = match.get(i) ?? -1;
    rows.push(row(kind, j >= 0 ? keysB[j] : keysA[i], s, j >= 0 ? b[j] : undefined));
  });
  b.forEach((s, j) => {
    if (!usedB.has(j)) rows.push(row(kind, keysB[j], undefined, s));
  });
  return rows;
}

function row(kind: LogEventKind, k: string, a?: Side, b?: Side): ComparisonRow {
  const side = (s: Side) => ({ text: s.e.text, t: s.e.t, line: s.e.line, fields: s.e.fields });
  const out: ComparisonRow = {
    kind,
    key: k,
    ...(a ? { emulated: side(a) } : {}),
    ...(b ? { real: side(b) } : {}),
  };
  if (a?.ns !== undefined) out.predictedNs = a.ns;
  if (b?.ns !== undefined) {
    out.measuredNs = b.ns;
    out.resolutionNs = 1e6;
  }
  if (out.predictedNs && out.measuredNs !== undefined) out.ratio = out.measuredNs / out.predictedNs;
  return out;
}

/** Lock classes both sides have (a real class name contains the emulator's, e.g. mem_hotplug_lock.rw_sem). */
function lockRows(emulated: Trace, real: LockClassStat[]): ComparisonRow[] {
  return lockStats(emulated).flatMap((s) => {
    const r = real.find((c) => c.mode === s.mode && c.name.includes(s.name));
    if (!r) return [];
    const fields = (c: {
      acquisitions: number;
      contentions: number;
      holdMaxNs: number;
      holdTotalNs: number;
    }) => ({
      acquisitions: c.acquisitions,
      contentions: c.contentions,
      holdMaxNs: c.holdMaxNs,
      holdTotalNs: c.holdTotalNs,
    });
    return [
      {
        kind: 'lock-class' as const,
        key: s.label,
        emulated: { text: s.name, line: 0, fields: fields(s) },
        real: { text: r.name, line: 0, fields: fields(r) },
        predictedNs: s.holdMaxNs,
        measuredNs: r.holdMaxNs,
        ratio: s.holdMaxNs ? r.holdMaxNs / s.holdMaxNs : undefined,
      },
    ];
  });
}
