import { analyseScenario } from '../../engine/analyse';
import { parseCostProfile } from '../../engine/cost/file';
import { DEFAULT_COSTS, type CostProfile } from '../../engine/cost/profile';
import type { RunResult } from '../../engine/run/runScenario';
import { summarize } from '../../engine/run/summary';
import { parseScenario } from '../../engine/scenario/parse';
import type { Problem, Scenario } from '../../engine/scenario/model';
import type { Trace } from '../../engine/trace/model';
import type { RunPayload, RunRequest, TraceDetail } from '../../protocol/worker';

/**
 * One run as the worker does it: parse, apply the settings, emulate, diagnose, summarise. Returns
 * the plain-data payload for the host and the full run (kept in the worker for queries).
 */
export function analyseRequest(req: RunRequest, now: () => number = () => performance.now()): { payload: RunPayload; run?: RunResult } {
  const t0 = now();
  const parsed = parseScenario(req.text);
  const s = parsed.scenario;
  if (!s || parsed.problems.some((p) => p.severity === 'error')) {
    const payload = { variant: req.variant ?? s?.kernel.name ?? '', scenario: s, diagnostics: parsed.problems, expectations: [], wallMs: now() - t0 };
    return { payload };
  }
  if (req.settings.longLockThresholdNs !== undefined && s.options.longLockThresholdFrom !== 'scenario') {
    s.options = { longLockThresholdNs: req.settings.longLockThresholdNs, longLockThresholdFrom: 'setting' };
  }
  const { profile, problems } = costProfile(req, s);
  const a = analyseScenario(s, { variant: req.variant, costProfile: profile }, [...parsed.problems, ...problems]);
  const payload: RunPayload = {
    variant: a.run?.variant ?? req.variant ?? s.kernel.name,
    scenario: s,
    summary: a.run && summarize(a.run, a.diagnostics, a.expectations),
    trace: a.run && traceAt(a.run.trace, req.settings.traceDetail),
    diagnostics: a.diagnostics,
    expectations: a.expectations,
    wallMs: 0,
  };
  payload.wallMs = now() - t0;
  return { payload, run: a.run };
}

/**
 * The scenario's cost file (read by the host) with the settings' overrides on top. A scenario
 * that names a file which could not be loaded runs with no profile, so the engine reports it.
 */
function costProfile(req: RunRequest, s: Scenario): { profile?: CostProfile; problems: Problem[] } {
  const overrides = req.settings.costOverrides;
  const withSettings = (p: CostProfile): CostProfile => ({ name: p.name, costs: { ...p.costs, ...overrides } });
  if (!req.costProfile) {
    const none = Object.keys(overrides).length === 0;
    return { profile: none ? undefined : withSettings({ name: 'default', costs: DEFAULT_COSTS }), problems: [] };
  }
  const { path, text, error } = req.costProfile;
  const parsed = text === undefined ? { error } : parseCostProfile(text, path);
  if (parsed.profile) return { profile: withSettings(parsed.profile), problems: [] };
  return { problems: [{ code: 'scenario-schema', severity: 'error', span: s.cost.span, message: parsed.error ?? `cannot read ${path}` }] };
}

/** The trace the views get: everything, or spans without their cost terms and no counter samples. */
function traceAt(trace: Trace, detail: TraceDetail): Trace {
  if (detail === 'full') return trace;
  return { ...trace, counters: [], spans: trace.spans.map((sp) => ({ ...sp, args: { ...sp.args, cost: undefined } })) };
}
