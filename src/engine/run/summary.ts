import type { Problem } from '../scenario/model';
import { dmesgStamp } from '../trace/exportDmesg';
import { lockStats } from '../trace/lockStats';
import type { ExpectationResult } from './expect';
import { deferredInitNs, deviceInitNs, devicePages, deviceProbeNs } from './measure';
import type { RunResult } from './runScenario';

/** The `run --json` document: stable field names other tools can rely on. */
export interface RunSummary {
  scenario: string;
  variant: string;
  arch: string;
  totalNs: number;
  nodes: {
    node: number;
    devices: { name: string; pages: number; initNs: number; probeNs: number; state: string }[];
    deferredInitNs: number;
  }[];
  locks: {
    name: string;
    mode: string;
    acquisitions: number;
    contentions: number;
    holdMaxNs: number;
    holdTotalNs: number;
    waitMaxNs: number;
    waitTotalNs: number;
  }[];
  diagnostics: { code: string; severity: string; message: string; line: number; column: number }[];
  counters: Record<string, number>;
  steps: {
    index: number;
    op: string;
    outcome: string;
    startNs?: number;
    endNs?: number;
    error?: string;
  }[];
  expectations: { line: number; title: string; pass: boolean; message: string }[];
  dmesg: string[];
}

export function summarize(
  run: RunResult,
  diagnostics: Problem[],
  expectations: ExpectationResult[],
): RunSummary {
  const counters: Record<string, number> = {};
  for (const c of run.trace.counters) if (!c.name.includes(':')) counters[c.name] = c.value;
  for (const name of [
    'structPagesInitialised',
    'structPageWrites',
    'vmemmapPages',
    'vmemmapBytesDram',
    'vmemmapBytesAltmap',
  ])
    counters[name] ??= 0;
  for (const name of ['vmemmapPages', 'vmemmapBytesDram', 'vmemmapBytesAltmap'])
    counters[`${name}Peak`] = run.peaks[name] ?? 0;
  counters.paddingBytes = paddingBytes(run);
  const byNode = new Map<number, RunResult['devices']>();
  for (const d of run.devices)
    (byNode.get(d.spec.node) ?? byNode.set(d.spec.node, []).get(d.spec.node)!).push(d);
  return {
    scenario: run.scenario.name,
    variant: run.variant,
    arch: run.geometry.arch,
    totalNs: run.trace.endNs,
    nodes: run.state.nodes.map((n) => ({
      node: n.id,
      devices: (byNode.get(n.id) ?? []).map((d) => ({
        name: d.spec.name,
        pages: devicePages(run, d.spec.name),
        initNs: deviceInitNs(run, d.spec.name),
        probeNs: deviceProbeNs(run, d.spec.name),
        state: d.state,
      })),
      deferredInitNs: deferredInitNs(run, n.id),
    })),
    locks: lockStats(run.trace).map((l) => ({
      name: l.name,
      mode: l.mode,
      acquisitions: l.acquisitions,
      contentions: l.contentions,
      holdMaxNs: l.holdMaxNs,
      holdTotalNs: l.holdTotalNs,
      waitMaxNs: l.waitMaxNs,
      waitTotalNs: l.waitTotalNs,
    })),
    diagnostics: diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      line: d.span.line,
      column: d.span.column,
    })),
    counters,
    steps: run.steps.map((s) => ({
      index: s.index,
      op: s.op,
      outcome: s.outcome,
      startNs: s.start,
      endNs: s.end,
      error: s.error,
    })),
    expectations: expectations.map((e) => ({
      line: e.span.line,
      title: e.title,
      pass: e.pass,
      message: e.message,
    })),
    dmesg: run.trace.dmesg.map((l) => dmesgStamp(l.t) + l.text),
  };
}

/** Bytes hot-added (with memmap) or truncated only because hotplug worked in whole sections. */
function paddingBytes(run: RunResult): number {
  let bytes = 0;
  for (const d of run.devices) {
    bytes += d.layout?.collision ?? 0;
    const p = d.pgmap;
    if (p)
      bytes +=
        p.claim.reduce(
          (n, c, i) => n + (c.end - c.start) - (p.ranges[i].end - p.ranges[i].start),
          0,
        ) * run.geometry.pageSize;
  }
  return bytes;
}
