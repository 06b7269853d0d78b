import { DEFAULT_COSTS } from '../cost/profile';
import { formatNs } from '../units';
import type { Calibration } from './calibrate';
import { printable } from '../printable';

/** What a `*.cost.json` written from a calibration holds (parseCostProfile reads `name` and `costs`). */
export interface CalibratedProfileFile {
  name: string;
  /** Only the costs that differ from the defaults: the file reads as "what this machine changes". */
  costs: Record<string, number>;
  calibration: {
    scenario: string;
    log: string;
    rmsRelError: number;
    maxRelError: number;
    resolved: number;
    observations: Calibration['observations'];
  };
}

/** The cost profile file of a calibration; `scenario` and `log` are recorded as given (paths the user knows). */
export function calibratedProfileFile(
  c: Calibration,
  scenario: string,
  log: string,
): CalibratedProfileFile {
  const costs = Object.fromEntries(
    Object.entries(c.profile.costs).filter(
      ([k, v]) => DEFAULT_COSTS[k as keyof typeof DEFAULT_COSTS] !== v,
    ),
  );
  return {
    name: c.profile.name,
    costs,
    calibration: {
      scenario,
      log,
      rmsRelError: c.rmsRelError,
      maxRelError: c.maxRelError,
      resolved: c.resolved,
      observations: c.observations,
    },
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * A calibration as `memmap-lab calibrate` prints it: the fitted costs, those left alone and why,
 * and each init line's residual. `where` ends the first line ("profile written to x.cost.json").
 */
export function formatCalibration(c: Calibration, where: string): string {
  const lines = [
    `fitted ${c.parameters.length} costs to ${c.observations.length} init lines; ${printable(where)}`,
  ];
  for (const p of c.parameters)
    lines.push(
      `  ${p.name.padEnd(24)} ${p.before.toFixed(3).padStart(10)} → ${p.after.toFixed(3).padStart(10)} ns`,
    );
  for (const f of c.fixed) lines.push(`  ${f.name.padEnd(24)} unchanged: ${f.reason}`);
  lines.push(
    `  the lines determine ${c.resolved} independent combination(s) of the ${c.parameters.length} costs: within one, each cost moves by its share of the time (a small ridge toward the starting costs picks that split)`,
  );
  lines.push(
    `  ${'line'.padEnd(6)} ${'key'.padEnd(18)} ${'measured'.padStart(10)} ${'before'.padStart(10)} ${'after'.padStart(10)} ${'residual'.padStart(9)}`,
  );
  for (const o of c.observations) {
    lines.push(
      `  ${`L${o.line}`.padEnd(6)} ${printable(o.key).padEnd(18)} ${formatNs(o.measuredNs).padStart(10)} ${formatNs(o.beforeNs).padStart(10)} ${formatNs(o.afterNs).padStart(10)} ${pct(o.relError).padStart(9)}`,
    );
  }
  lines.push(
    `  residuals: rms ${pct(c.rmsRelError)}, max ${pct(c.maxRelError)} (the kernel prints whole ms)`,
  );
  return lines.join('\n');
}
