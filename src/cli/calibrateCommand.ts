import { basename } from 'node:path';
import { calibrate, CalibrationError, type Calibration } from '../engine/calibrate/calibrate';
import { calibratedProfileFile, formatCalibration } from '../engine/calibrate/report';
import { writeFileAtomic } from '../files/writeFileAtomic';
import { CliError, type Args } from './args';
import { EXIT } from './exitCodes';
import { importLogOrFail } from './importCommand';
import { loadScenario } from './runCommand';

/** memmap-lab calibrate <scenario> <log> -o profile.cost.json: fit per-page/per-pageblock costs to a real log. */
export function calibrateCommand(args: Args, out: (s: string) => void): number {
  const [file, logFile] = args.positional;
  const target = args.options.get('-o')!;
  const { scenario, options } = loadScenario(file, args);
  const log = importLogOrFail(logFile);
  let result: Calibration;
  try {
    result = calibrate(scenario, log, {
      name: basename(target).replace(/\.cost\.json$|\.json$/, ''),
      run: options,
    });
  } catch (e) {
    if (e instanceof CalibrationError)
      throw new CliError(`${file} + ${logFile}: ${e.message}`, EXIT.diagnostics.code);
    throw e;
  }
  const document = calibratedProfileFile(result, file, logFile);
  writeFileAtomic(target, JSON.stringify(document, null, 2) + '\n', [file, logFile]);
  if (args.flags.has('--json')) out(JSON.stringify(result, null, 2));
  else out(formatCalibration(result, `profile written to ${target}`));
  return EXIT.ok.code;
}
