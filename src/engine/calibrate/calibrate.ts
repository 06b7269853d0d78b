import { compareWithLog } from '../compare/compareWithLog';
import { DEFAULT_COSTS, type CostName, type CostProfile, type Costs } from '../cost/profile';
import { runScenario, type RunOptions } from '../run/runScenario';
import type { Scenario } from '../scenario/model';
import type { ImportedLog, LogEvent } from '../trace/import/types';
import { columnRank, ridgeSolve } from './ridge';

/** The costs an init line's duration depends on: per struct page, per pageblock, per freed page. */
export const CALIBRATED_COSTS: CostName[] = [
  'pageInitCpu',
  'pageInitCpuPageblock',
  'structPageStoreDram',
  'structPageStorePmem',
  'pageblockInit',
  'freePagePerPage',
  'freeMaxOrderBlock',
  'pgmapLoopPerPage',
];

/** One init line of the real log and what the model says about it. */
export interface CalibrationObservation {
  kind: 'zone-device-init' | 'deferred-init';
  key: string;
  /** Its line in the real log. */
  line: number;
  measuredNs: number;
  beforeNs: number;
  afterNs: number;
  /** (after − measured) / measured, or / 1 ms when the kernel printed 0 ms. */
  relError: number;
}

export interface Calibration {
  profile: CostProfile;
  parameters: { name: CostName; before: number; after: number }[];
  /** Costs left alone: set in the scenario itself, or no init line depends on them. */
  fixed: { name: CostName; reason: string }[];
  observations: CalibrationObservation[];
  rmsRelError: number;
  maxRelError: number;
  /** Independent combinations of the fitted costs the observations determine. */
  resolved: number;
}

export class CalibrationError extends Error {}

type Predict = (costs: Costs) => Map<number, number>;

const KM = 1e6;
const weight = (measuredNs: number) => Math.max(measuredNs, KM);

/**
 * Fits the cost model's per-page and per-pageblock costs to a real log's init lines by running
 * the engine itself: each matched line's predicted duration is a function of the costs, its
 * slope per cost found by re-running with that cost changed. Relative residuals are minimised
 * (a 30 ms line and a 3 s line count alike) with a small ridge toward the starting costs, so costs
 * the lines cannot tell apart (per page vs per pageblock when every namespace has the same
 * pages-per-pageblock) keep their proportions and move together. Deterministic.
 */
export function calibrate(
  scenario: Scenario,
  real: ImportedLog | LogEvent[],
  options: { run?: RunOptions; name?: string } = {},
): Calibration {
  const base: Costs = { ...DEFAULT_COSTS, ...options.run?.costProfile?.costs };
  const name = options.name ?? `calibrated ${scenario.name}`;
  const predict: Predict = (costs) => {
    const run = runScenario(scenario, { ...options.run, costProfile: { name, costs } });
    const out = new Map<number, number>();
    for (const r of compareWithLog(run.trace, real).rows) {
      if (
        (r.kind === 'zone-device-init' || r.kind === 'deferred-init') &&
        r.real &&
        r.predictedNs !== undefined
      )
        out.set(r.real.line, r.predictedNs);
    }
    return out;
  };
  const measured = measuredLines(scenario, real, options.run, base, name);
  if (measured.length === 0)
    throw new CalibrationError(
      'no init line of the log matches one the scenario prints (memmap_init_zone_device / deferred init): check the kernel variant and devices',
    );
  const absurd = measured.find((m) => !Number.isFinite(m.ns) || m.ns < 0);
  if (absurd)
    throw new CalibrationError(
      `line ${absurd.line} of the log: its init time (${absurd.ns} ns) is not a finite, non-negative number`,
    );
  const own = new Set(Object.keys(scenario.cost.overrides));
  const overridden = new Set([...own, ...Object.keys(options.run?.costOverrides ?? {})]);
  const fixed: Calibration['fixed'] = CALIBRATED_COSTS.filter((c) => overridden.has(c)).map(
    (c) => ({
      name: c,
      reason: own.has(c)
        ? 'set in the scenario (cost overrides win over a profile)'
        : "set in the run's cost overrides (they win over a profile)",
    }),
  );
  let params = CALIBRATED_COSTS.filter((c) => !overridden.has(c));
  const before = predict(base);
  let costs = { ...base };
  for (let iteration = 0; iteration < 4; iteration++) {
    const p0 = predict(costs);
    const columns = params.map((c) => slope(predict, costs, c, p0, measured));
    if (iteration === 0) {
      const inert = params.filter((_, j) => columns[j].every((v) => v === 0));
      fixed.push(...inert.map((c) => ({ name: c, reason: 'no matched init line depends on it' })));
      params = params.filter((c) => !inert.includes(c));
      columns.splice(0, columns.length, ...columns.filter((col) => col.some((v) => v !== 0)));
    }
    if (params.length === 0) break;
    const B = measured.map((m, i) =>
      params.map((c, j) => (columns[j][i] * costs[c]) / weight(m.ns)),
    );
    const r = measured.map((m) => (m.ns - (p0.get(m.line) ?? 0)) / weight(m.ns));
    const diag =
      params.reduce((s, _, j) => s + B.reduce((t, row) => t + row[j] * row[j], 0), 0) /
      params.length;
    const x = ridgeSolve(B, r, 1e-6 * diag);
    costs = { ...costs };
    params.forEach((c, j) => (costs[c] = costs[c] * Math.max(0.01, 1 + x[j])));
    if (Math.max(...x.map(Math.abs)) < 1e-6) break;
  }
  const diverged = params.find((c) => !Number.isFinite(costs[c]));
  if (diverged)
    throw new CalibrationError(
      `the fit gave ${diverged} = ${costs[diverged]}: no profile is written (the init lines contradict each other)`,
    );
  const after = predict(costs);
  const observations = measured.map((m) => {
    const afterNs = after.get(m.line) ?? 0;
    return {
      kind: m.kind,
      key: m.key,
      line: m.line,
      measuredNs: m.ns,
      beforeNs: before.get(m.line) ?? 0,
      afterNs,
      relError: (afterNs - m.ns) / weight(m.ns),
    };
  });
  const rel = observations.map((o) => o.relError);
  return {
    profile: { name, costs },
    parameters: params.map((c) => ({ name: c, before: base[c], after: costs[c] })),
    fixed,
    observations,
    rmsRelError: Math.sqrt(rel.reduce((s, v) => s + v * v, 0) / rel.length),
    maxRelError: Math.max(...rel.map(Math.abs)),
    resolved: params.length ? columnRank(scaledSlopes(predict, costs, params, measured)) : 0,
  };
}

interface Measured {
  kind: CalibrationObservation['kind'];
  key: string;
  line: number;
  ns: number;
}

function measuredLines(
  scenario: Scenario,
  real: ImportedLog | LogEvent[],
  run: RunOptions | undefined,
  costs: Costs,
  name: string,
): Measured[] {
  const trace = runScenario(scenario, { ...run, costProfile: { name, costs } }).trace;
  return compareWithLog(trace, real).rows.flatMap((r) =>
    (r.kind === 'zone-device-init' || r.kind === 'deferred-init') &&
    r.real &&
    r.measuredNs !== undefined &&
    r.predictedNs !== undefined
      ? [{ kind: r.kind, key: r.key, line: r.real.line, ns: r.measuredNs }]
      : [],
  );
}

/** d(predicted duration)/d(cost) per observation; the model is linear in each cost, so one step is exact. */
function slope(
  predict: Predict,
  costs: Costs,
  c: CostName,
  p0: Map<number, number>,
  measured: Measured[],
): number[] {
  const step = costs[c] > 0 ? costs[c] * 0.5 : 1;
  const p1 = predict({ ...costs, [c]: costs[c] + step });
  return measured.map((m) => ((p1.get(m.line) ?? 0) - (p0.get(m.line) ?? 0)) / step);
}

/** The weighted, cost-scaled slopes at the fitted costs (their rank says what the data determine). */
function scaledSlopes(
  predict: Predict,
  costs: Costs,
  params: CostName[],
  measured: Measured[],
): number[][] {
  const p0 = predict(costs);
  const cols = params.map((c) => slope(predict, costs, c, p0, measured));
  return measured.map((m, i) => params.map((c, j) => (cols[j][i] * costs[c]) / weight(m.ns)));
}
