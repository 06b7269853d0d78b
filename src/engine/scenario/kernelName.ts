import { findKernel, KERNEL_PRESETS } from '../kernel/presets';
import { modelledReleases, parseRelease } from '../kernel/release';
import { versionName } from '../kernel/version';
import { nearest } from './suggest';

/**
 * Why `name` names no kernel, with the nearest preset or release when it looks like a typo;
 * undefined when it is a preset or a modelled release.
 */
export function kernelNameProblem(
  name: string,
): { message: string; suggestion?: string } | undefined {
  if (findKernel(name)) return undefined;
  const parsed = parseRelease(name);
  if (!('error' in parsed)) return undefined;
  const presets = KERNEL_PRESETS.map((k) => k.name);
  // A release out of range is nearest by version (v4.21 → v4.20); anything else is a typo of a name.
  const near = /^v?\d+\.\d+$/.test(name)
    ? nearestRelease(name)
    : nearest(name, [...presets, ...modelledReleases().map(versionName)]);
  const why =
    /^v?\d+\.\d+/.test(name) && !/not a kernel release/.test(parsed.error)
      ? `: ${parsed.error}`
      : '';
  return {
    message: `unknown kernel '${name}'${why}${near ? `; did you mean '${near}'?` : ''}; expected a release (e.g. 6.12, v5.14, 6.1.0-56-amd64) or one of ${presets.join(', ')}`,
    suggestion: near,
  };
}

/** The modelled release nearest by version to a mistyped one (`v4.21` → `v4.20`, `6.30` → `v6.18`). */
function nearestRelease(name: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(name);
  if (!m) return undefined;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const all = modelledReleases();
  const sameMajor = all.filter((c) => Math.floor(c / 100) === major);
  const pool = sameMajor.length ? sameMajor : all;
  const want = major * 100 + minor;
  const best = pool.reduce((a, b) => (Math.abs(b - want) < Math.abs(a - want) ? b : a));
  return versionName(best);
}
