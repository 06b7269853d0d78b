/** Kernel versions as comparable codes: v5.17 → 517. */
export type VersionCode = number;

export function versionCode(text: string): VersionCode | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(text);
  return m ? Number(m[1]) * 100 + Number(m[2]) : undefined;
}

/** The release a feature set's message formats and names follow, as a code (0 when unnamed). */
export function releaseOf(f: { version: string }): VersionCode {
  return versionCode(f.version) ?? 0;
}

export function versionName(code: VersionCode): string {
  return `v${Math.floor(code / 100)}.${code % 100}`;
}
