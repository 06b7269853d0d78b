/**
 * Minimises |B x − r|² + λ|x|² (Tikhonov): the normal equations (BᵀB + λI) x = Bᵀr, solved by
 * Gaussian elimination with partial pivoting. Small and dense on purpose: a calibration has a
 * handful of costs and a few dozen init lines.
 */
export function ridgeSolve(B: number[][], r: number[], lambda: number): number[] {
  const k = B[0]?.length ?? 0;
  const A = Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) =>
      B.reduce((s, row) => s + row[i] * row[j], i === j ? lambda : 0),
    ),
  );
  const y = Array.from({ length: k }, (_, i) => B.reduce((s, row, n) => s + row[i] * r[n], 0));
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let i = c + 1; i < k; i++) if (Math.abs(A[i][c]) > Math.abs(A[p][c])) p = i;
    [A[c], A[p]] = [A[p], A[c]];
    [y[c], y[p]] = [y[p], y[c]];
    if (A[c][c] === 0) continue;
    for (let i = c + 1; i < k; i++) {
      const f = A[i][c] / A[c][c];
      for (let j = c; j < k; j++) A[i][j] -= f * A[c][j];
      y[i] -= f * y[c];
    }
  }
  const x = new Array<number>(k).fill(0);
  for (let i = k - 1; i >= 0; i--) {
    if (A[i][i] === 0) continue;
    let s = y[i];
    for (let j = i + 1; j < k; j++) s -= A[i][j] * x[j];
    x[i] = s / A[i][i];
  }
  return x;
}

/**
 * How many independent directions the columns of B span (Gram–Schmidt, relative tolerance):
 * how many combinations of costs the observations can tell apart.
 */
export function columnRank(B: number[][], tolerance = 1e-6): number {
  const k = B[0]?.length ?? 0;
  const basis: number[][] = [];
  const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const scale = Math.max(
    1e-300,
    ...Array.from({ length: k }, (_, j) => norm(B.map((row) => row[j]))),
  );
  for (let j = 0; j < k; j++) {
    const v = B.map((row) => row[j]);
    for (const b of basis) {
      const d = v.reduce((s, x, i) => s + x * b[i], 0);
      for (let i = 0; i < v.length; i++) v[i] -= d * b[i];
    }
    const n = norm(v);
    if (n > tolerance * scale) basis.push(v.map((x) => x / n));
  }
  return basis.length;
}
