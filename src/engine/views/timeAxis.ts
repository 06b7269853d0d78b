/** A labelled tick of a time axis. */
export interface TimeTick {
  t: number;
  label: string;
}

const UNITS: [number, string][] = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
];

/** The 1-2-5 step that puts ticks at least `minSpacingPx` apart. */
export function tickStep(spanNs: number, widthPx: number, minSpacingPx = 90): number {
  const raw = (spanNs * minSpacingPx) / Math.max(1, widthPx);
  const decade = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  for (const m of [1, 2, 5, 10]) if (decade * m >= raw) return decade * m;
  return decade * 10;
}

/**
 * A time in the largest unit that needs at most three decimals for the step and that the axis
 * reaches (`end`, its last time): a 200 ms step reads "24.2 s", a 50 µs step "3.05 ms", and an axis
 * that ends before a second reads "40 ms", not "0.04 s".
 */
export function formatTick(t: number, step: number, end = t): string {
  const reach = Math.max(Math.abs(end), step);
  const [unit, name] =
    UNITS.find(([u]) => step >= u / 1000 && u <= reach) ?? UNITS[UNITS.length - 1];
  const decimals = Math.max(0, Math.ceil(-Math.log10(step / unit) - 1e-9));
  return `${(t / unit).toFixed(Math.min(decimals, 3))} ${name}`;
}

/** Ticks for the window [t0, t1] drawn `widthPx` wide. */
export function timeTicks(
  t0: number,
  t1: number,
  widthPx: number,
  minSpacingPx?: number,
): TimeTick[] {
  if (t1 <= t0) return [];
  const step = tickStep(t1 - t0, widthPx, minSpacingPx);
  const ticks: TimeTick[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step)
    ticks.push({ t, label: formatTick(t, step, t1) });
  return ticks;
}

/** A duration for a marker delta or a tooltip, at a precision that suits its size. */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0';
  const abs = Math.abs(ns);
  const [unit, name] = UNITS.find(([u]) => abs >= u) ?? UNITS[UNITS.length - 1];
  const v = ns / unit;
  return `${Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2)} ${name}`;
}
