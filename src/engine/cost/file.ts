import { COST_DOCS, DEFAULT_COSTS, isCostName, type CostProfile } from './profile';

/** Built-in profile names; anything else in `cost:` is a path to a `*.cost.json` file. */
export const BUILTIN_PROFILES = ['default'];

/**
 * Parses a cost profile file (what `memmap-lab calibrate` writes): `{ "name": ..., "costs":
 * { <cost name>: ns } }`. Unknown names and non-numbers are errors; missing ones keep defaults.
 */
export function parseCostProfile(
  text: string,
  name: string,
): { profile?: CostProfile; error?: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text: a profile's content is never echoed (it may be any file).
    return { error: `${name}: not JSON` };
  }
  const costs = (json as { costs?: unknown })?.costs;
  if (typeof costs !== 'object' || costs === null || Array.isArray(costs))
    return { error: `${name}: expected { "costs": { <cost name>: nanoseconds } }` };
  const out = { ...DEFAULT_COSTS };
  for (const [key, value] of Object.entries(costs)) {
    if (!isCostName(key))
      return {
        error: `${name}: unknown cost '${key}' (known: ${Object.keys(COST_DOCS).join(', ')})`,
      };
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      return { error: `${name}: cost '${key}' must be a non-negative number` };
    out[key] = value;
  }
  return { profile: { name: String((json as { name?: unknown }).name ?? name), costs: out } };
}
