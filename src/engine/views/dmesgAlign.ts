import type { DmesgLine } from '../trace/model';

/** One row of two logs side by side: the same message in both, or a line only one has. */
export interface DmesgPair {
  a?: DmesgLine;
  b?: DmesgLine;
  /** A gap instead of a line: this many lines of a long log, none of them paired, left out here. */
  skipped?: number;
}

/** Beyond this many LCS cells the logs are paired by order instead (two 2000-line logs). */
const MAX_CELLS = 4_000_000;

/** A message with its numbers masked, so "in 24165ms" and "in 44011ms" are the same line. */
export function messageKey(text: string): string {
  return text.replace(/0x[0-9a-f]+|\d+(\.\d+)?/gi, '#');
}

/**
 * Aligns two kernel logs on their messages (longest common subsequence of the masked text):
 * what both kernels printed lines up, what only one printed sits alone.
 */
export function alignDmesg(a: DmesgLine[], b: DmesgLine[]): DmesgPair[] {
  if (a.length * b.length > MAX_CELLS) {
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => ({ a: a[i], b: b[i] }));
  }
  const ka = a.map((l) => messageKey(l.text));
  const kb = b.map((l) => messageKey(l.text));
  const w = b.length + 1;
  const len = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      len[i * w + j] =
        ka[i] === kb[j]
          ? len[(i + 1) * w + j + 1] + 1
          : Math.max(len[(i + 1) * w + j], len[i * w + j + 1]);
    }
  }
  const out: DmesgPair[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && ka[i] === kb[j]) out.push({ a: a[i++], b: b[j++] });
    else if (j >= b.length || (i < a.length && len[(i + 1) * w + j] >= len[i * w + j + 1]))
      out.push({ a: a[i++] });
    else out.push({ b: b[j++] });
  }
  return out;
}
