import { versionName, type VersionCode } from './version';

/** The releases Memmap Lab models: v4.18 (before the ZONE_DEVICE init deferral) to v6.18. */
export const FIRST_RELEASE: VersionCode = 418;
export const LAST_RELEASE: VersionCode = 618;

/**
 * The last minor of each major line (1.3, 2.6, 3.19, 4.20, 5.19), so that a real release older
 * than the model is told apart from one that never was; the 6.x line goes on past what is modelled.
 */
const LAST_MINOR: Record<number, number> = {
  1: 3,
  2: 6,
  3: 19,
  4: 20,
  5: 19,
  6: LAST_RELEASE % 100,
};

/** A kernel release as a user names it, reduced to the upstream release it is based on. */
export interface Release {
  /** The upstream release as a code (6.12 → 612). */
  code: VersionCode;
  /** The upstream name, `v6.12`. */
  name: string;
  /** What the user wrote, when it is more than the upstream name (a stable or distro kernel). */
  given?: string;
  /**
   * Why the model may differ from this kernel: a stable update or a distro build carries
   * backports that the upstream release does not have.
   */
  note?: string;
}

export type ReleaseParse = { release: Release } | { error: string };

/**
 * Reads `v6.12`, `6.12`, `v6.8.9`, `6.1.0-56-amd64`, `6.12.38+deb12-amd64`, `5.14.0-427.el9.x86_64`
 * (what `uname -r` prints) as the upstream release they are based on.
 */
export function parseRelease(text: string): ReleaseParse {
  const m = /^v?(\d{1,2})\.(\d{1,3})(?:\.(\d{1,4}))?(?:([-+~_.].*))?$/.exec(text.trim());
  if (!m)
    return {
      error: `'${text}' is not a kernel release (write it as uname -r prints it, e.g. 6.12, v5.14 or 6.1.0-56-amd64)`,
    };
  const [major, minor, sub, suffix] = [
    Number(m[1]),
    Number(m[2]),
    m[3] === undefined ? undefined : Number(m[3]),
    m[4],
  ];
  const code = major * 100 + minor;
  const name = versionName(code);
  if (!(major in LAST_MINOR) || minor > LAST_MINOR[major]) {
    if (code > LAST_RELEASE)
      return {
        error: `${name} is newer than the last release modelled (${versionName(LAST_RELEASE)})`,
      };
    return { error: `there is no Linux release ${major}.${minor}` };
  }
  if (code < FIRST_RELEASE)
    return {
      error: `${name} is older than the first release modelled (${versionName(FIRST_RELEASE)})`,
    };
  if (sub === undefined && suffix === undefined) return { release: { code, name } };
  const given = text.trim();
  const note = suffix
    ? `${given} is a distribution build of ${name}: modelled as upstream ${name}; what its stable and distribution backports changed is not modelled`
    : `${given} is a stable update of ${name}: modelled as ${name}; what its backported fixes changed is not modelled`;
  return { release: { code, name, given, note } };
}

/** Every modelled release, oldest first: v4.18 … v6.18. */
export function modelledReleases(): VersionCode[] {
  const out: VersionCode[] = [];
  for (const [major, last] of Object.entries(LAST_MINOR)) {
    for (let minor = 0; minor <= last; minor++) {
      const code = Number(major) * 100 + minor;
      if (code >= FIRST_RELEASE && code <= LAST_RELEASE) out.push(code);
    }
  }
  return out;
}
