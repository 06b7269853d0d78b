import { calibrate, CalibrationError } from '../../engine/calibrate/calibrate';
import { resolveCostProfile } from '../../engine/run/costProfile';
import { parseScenario } from '../../engine/parse/parseScenario';
import type { CalibrateDone, CalibrateRequest } from '../../protocol/worker';
import { costProfileReader } from '../../files/costProfileFile';

/**
 * A calibration as the worker does it: the same fit as `memmap-lab calibrate`, from the scenario's
 * own cost profile. The settings' cost overrides are applied on top of any profile at run time,
 * so a fitted value for one of them would never be used: they are held, like the scenario's own.
 */
export function calibrateRequest(req: CalibrateRequest): CalibrateDone {
  const done = (x: Omit<CalibrateDone, 'type' | 'id'>): CalibrateDone => ({
    type: 'calibrated',
    id: req.id,
    ...x,
  });
  const parsed = parseScenario(req.text);
  const s = parsed.scenario;
  const error = parsed.problems.find((p) => p.severity === 'error');
  if (!s || error)
    return done({
      error: `the scenario does not parse: line ${error?.span.line ?? 1}: ${error?.message ?? 'no scenario'}`,
    });
  const { profile, problem } = resolveCostProfile(s, costProfileReader(req.scenarioFile));
  if (problem) return done({ error: problem.message });
  const own = new Set(Object.keys(s.cost.overrides));
  try {
    const run = {
      variant: req.variant || undefined,
      costProfile: profile,
      costOverrides: req.settings.costOverrides,
    };
    const result = calibrate(s, req.events, { name: req.name, run });
    for (const f of result.fixed) {
      if (!own.has(f.name) && f.name in req.settings.costOverrides)
        f.reason = 'set in the memmapLab.costOverrides setting (settings win over a profile)';
    }
    return done({ result });
  } catch (e) {
    if (e instanceof CalibrationError) return done({ error: e.message });
    throw e;
  }
}
