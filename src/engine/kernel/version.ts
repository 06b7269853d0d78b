/** Kernel versions as comparable codes: v5.17 → 517. */
export type VersionCode = number;

export function versionCode(text: string): VersionCode | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(text);
  return m ? Number(m[1]) * 100 + Number(m[2]) : undefined;
}

export function versionName(code: VersionCode): string {
  return `v${Math.floor(code / 100)}.${code % 100}`;
}
