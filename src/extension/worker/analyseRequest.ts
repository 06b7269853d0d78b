import { analyseScenario } from '../../engine/analyse';
import { resolveCostProfile } from '../../engine/run/costProfile';
import { resolveOptions, type RunOptions, type RunResult } from '../../engine/run/runScenario';
import { summarize } from '../../engine/run/summary';
import { parseScenario } from '../../engine/parse/parseScenario';
import type { Trace } from '../../engine/trace/model';
import type { RunPayload, RunRequest, TraceDetail } from '../../protocol/worker';
import { costProfileReader } from '../../files/costProfileFile';

/**
 * One run as the worker does it: parse, emulate with the settings as run options, diagnose, summarise. Returns
 * the plain-data payload for the host and the full run (kept in the worker for queries).
 */
export function analyseRequest(
  req: RunRequest,
  now: () => number = () => performance.now(),
): { payload: RunPayload; run?: RunResult } {
  const t0 = now();
  const parsed = parseScenario(req.text);
  const s = parsed.scenario;
  if (!s || parsed.problems.some((p) => p.severity === 'error')) {
    const payload = {
      variant: req.variant ?? s?.kernel.name ?? '',
      scenario: s,
      diagnostics: parsed.problems,
      expectations: [],
      wallMs: now() - t0,
    };
    return { payload };
  }
  // A profile that cannot be used is a problem on `cost:`; the run then has none, so the engine says so too.
  const { profile, problem } = resolveCostProfile(
    s,
    costProfileReader(req.scenarioFile),
    req.settings.costOverrides,
  );
  const options: RunOptions = {
    variant: req.variant,
    costProfile: profile,
    longLockThresholdNs: req.settings.longLockThresholdNs,
  };
  const a = analyseScenario(s, options, problem ? [...parsed.problems, problem] : parsed.problems);
  const payload: RunPayload = {
    variant: a.run?.variant ?? req.variant ?? s.kernel.name,
    // The lock view says who set the threshold: the scenario, the setting or nobody.
    scenario: { ...s, options: resolveOptions(s, options) },
    summary: a.run && summarize(a.run, a.diagnostics, a.expectations),
    trace: a.run && traceAt(a.run.trace, req.settings.traceDetail),
    diagnostics: a.diagnostics,
    expectations: a.expectations,
    wallMs: 0,
  };
  payload.wallMs = now() - t0;
  return { payload, run: a.run };
}

/** The trace the views get: everything, or spans without their cost terms and no counter samples. */
function traceAt(trace: Trace, detail: TraceDetail): Trace {
  if (detail === 'full') return trace;
  return {
    ...trace,
    counters: [],
    spans: trace.spans.map((sp) => ({ ...sp, args: { ...sp.args, cost: undefined } })),
  };
}
