import { calibrate, CalibrationError } from '../../engine/calibrate/calibrate';
import { costProfilePath } from '../../engine/analyse';
import { parseCostProfile } from '../../engine/cost/file';
import type { CostProfile } from '../../engine/cost/profile';
import { parseScenario } from '../../engine/scenario/parse';
import type { CalibrateDone, CalibrateRequest } from '../../protocol/worker';

/**
 * A calibration as the worker does it: the same fit as `memmap-lab calibrate`, from the scenario's
 * own cost profile. The settings' cost overrides are applied on top of any profile at run time,
 * so a fitted value for one of them would never be used: they are held, like the scenario's own.
 */
export function calibrateRequest(req: CalibrateRequest): CalibrateDone {
  const done = (x: Omit<CalibrateDone, 'type' | 'id'>): CalibrateDone => ({ type: 'calibrated', id: req.id, ...x });
  const parsed = parseScenario(req.text);
  const s = parsed.scenario;
  const error = parsed.problems.find((p) => p.severity === 'error');
  if (!s || error) return done({ error: `the scenario does not parse: line ${error?.span.line ?? 1}: ${error?.message ?? 'no scenario'}` });
  const profile = costProfile(req, costProfilePath(s));
  if (typeof profile === 'string') return done({ error: profile });
  const own = new Set(Object.keys(s.cost.overrides));
  try {
    const run = { variant: req.variant || undefined, costProfile: profile, costOverrides: req.settings.costOverrides };
    const result = calibrate(s, req.events, { name: req.name, run });
    for (const f of result.fixed) {
      if (!own.has(f.name) && f.name in req.settings.costOverrides) f.reason = 'set in the memmapLab.costOverrides setting (settings win over a profile)';
    }
    return done({ result });
  } catch (e) {
    if (e instanceof CalibrationError) return done({ error: e.message });
    throw e;
  }
}

/** The profile the scenario names (read by the host), undefined for the built-in one, or why it cannot be used. */
function costProfile(req: CalibrateRequest, path: string | undefined): CostProfile | undefined | string {
  if (!path) return undefined;
  const file = req.costProfile;
  if (!file || file.text === undefined) return file?.error ?? `cost profile ${path} was not loaded`;
  const { profile, error } = parseCostProfile(file.text, file.path);
  return profile ?? error ?? `cannot read ${path}`;
}
