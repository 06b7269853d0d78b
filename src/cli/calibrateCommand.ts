import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { calibrate, CalibrationError, type Calibration } from '../engine/calibrate/calibrate';
import { calibratedProfileFile, formatCalibration } from '../engine/calibrate/report';
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
  const document = calibratedProfileFile(result, file, logFile);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, JSON.stringify(document, null, 2) + '\n');
  if (args.flags.has('--json')) out(JSON.stringify(result, null, 2));
  else out(formatCalibration(result, `profile written to ${target}`));
  return 0;
}
