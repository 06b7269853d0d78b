import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { calibrate, CalibrationError, type Calibration } from '../engine/calibrate/calibrate';
import { DEFAULT_COSTS } from '../engine/cost/profile';
import { formatNs } from '../engine/units';
import type { Args } from './args';
import { importFile } from './importCommand';
import { CliError, loadCostProfile } from './io';
import { featureOverrides } from './presets';
import { analyseFile } from './runCommand';

/** memmap-lab calibrate <scenario> <log> -o profile.cost.json: fit per-page/per-pageblock costs to a real log. */
export function calibrateCommand(args: Args, out: (s: string) => void): number {
  const [file, logFile] = args.positional;
  const target = args.options.get('-o') ?? args.options.get('--output');
  if (!file || !logFile || !target) throw new CliError('usage: memmap-lab calibrate <scenario> <log> -o profile.cost.json [--variant P] [--json]');
  const scenario = analyseFile(file, args).scenario!;
  const log = importFile(logFile);
  if (log.error) throw new CliError(`${logFile}: ${log.error}`);
  let result: Calibration;
  try {
    result = calibrate(scenario, log, {
      name: basename(target).replace(/\.cost\.json$|\.json$/, ''),
      run: { variant: args.options.get('--variant'), features: featureOverrides(args), costProfile: loadCostProfile(file, scenario) },
    });
  } catch (e) {
    if (e instanceof CalibrationError) throw new CliError(`${file} + ${logFile}: ${e.message}`);
    throw e;
  }
  // Only costs that differ from the defaults: the file then reads as "what this machine changes".
  const costs = Object.fromEntries(Object.entries(result.profile.costs).filter(([k, v]) => DEFAULT_COSTS[k as keyof typeof DEFAULT_COSTS] !== v));
  const document = {
    name: result.profile.name,
    costs,
    calibration: { scenario: file, log: logFile, rmsRelError: result.rmsRelError, maxRelError: result.maxRelError, resolved: result.resolved, observations: result.observations },
  };
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, JSON.stringify(document, null, 2) + '\n');
  if (args.flags.has('--json')) out(JSON.stringify(result, null, 2));
  else out(formatCalibration(result, target));
  return 0;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatCalibration(c: Calibration, target: string): string {
  const lines = [`fitted ${c.parameters.length} costs to ${c.observations.length} init lines; profile written to ${target}`];
  for (const p of c.parameters) lines.push(`  ${p.name.padEnd(24)} ${p.before.toFixed(3).padStart(10)} → ${p.after.toFixed(3).padStart(10)} ns`);
  for (const f of c.fixed) lines.push(`  ${f.name.padEnd(24)} unchanged: ${f.reason}`);
  lines.push(`  the lines determine ${c.resolved} independent combination(s) of the ${c.parameters.length} costs: within one, each cost moves by its share of the time (a small ridge toward the starting costs picks that split)`);
  lines.push(`  ${'line'.padEnd(6)} ${'key'.padEnd(18)} ${'measured'.padStart(10)} ${'before'.padStart(10)} ${'after'.padStart(10)} ${'residual'.padStart(9)}`);
  for (const o of c.observations) {
    lines.push(`  ${`L${o.line}`.padEnd(6)} ${o.key.padEnd(18)} ${formatNs(o.measuredNs).padStart(10)} ${formatNs(o.beforeNs).padStart(10)} ${formatNs(o.afterNs).padStart(10)} ${pct(o.relError).padStart(9)}`);
  }
  lines.push(`  residuals: rms ${pct(c.rmsRelError)}, max ${pct(c.maxRelError)} (the kernel prints whole ms)`);
  return lines.join('\n');
}
