import type { Problem, Scenario } from '../scenario/model';
import { BUILTIN_PROFILES, parseCostProfile } from '../cost/file';
import { DEFAULT_COSTS, type CostName, type CostProfile } from '../cost/profile';

/** What reading a profile file gave: its text, or why there is none (naming the path, never the content). */
export type ProfileRead = { text: string; error?: undefined } | { text?: undefined; error: string };

/** The cost profile file a scenario names, for the caller to read (the engine reads no files). */
export function costProfilePath(s: Scenario): string | undefined {
  return BUILTIN_PROFILES.includes(s.cost.profile) ? undefined : s.cost.profile;
}

/**
 * The profile a scenario runs with, as the CLI, the run worker and calibration all resolve it:
 * the built-in one, or the file its `cost:` names (read through `read`), with `overrides` (the
 * editor's settings) on top. A file that cannot be read or parsed is a problem on the `cost:` line.
 */
export function resolveCostProfile(
  s: Scenario,
  read: (path: string) => ProfileRead,
  overrides: Partial<Record<CostName, number>> = {},
): { profile?: CostProfile; problem?: Problem } {
  const withOverrides = (p: CostProfile): CostProfile => ({
    name: p.name,
    costs: { ...p.costs, ...overrides },
  });
  const path = costProfilePath(s);
  if (!path)
    return {
      profile: Object.keys(overrides).length
        ? withOverrides({ name: 'default', costs: DEFAULT_COSTS })
        : undefined,
    };
  const file = read(path);
  const parsed =
    file.error === undefined ? parseCostProfile(file.text, path) : { error: file.error };
  if (parsed.profile) return { profile: withOverrides(parsed.profile) };
  return {
    problem: {
      code: 'scenario-schema',
      severity: 'error',
      span: s.cost.span,
      message: parsed.error ?? `cannot read cost profile ${path}`,
    },
  };
}
