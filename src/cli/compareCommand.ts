import { compareWithLog } from '../engine/compare/compareWithLog';
import { formatComparison } from '../engine/compare/formatComparison';
import type { Args } from './args';
import { EXIT } from './exitCodes';
import { importLogOrFail } from './importCommand';
import { analyseFile } from './runCommand';

/** memmap-lab compare <scenario> <log> [--json]: predicted vs measured, matched by device/node and order. */
export function compareCommand(args: Args, out: (s: string) => void): number {
  const [file, logFile] = args.positional;
  const analysis = analyseFile(file, args);
  const log = importLogOrFail(logFile);
  const cmp = compareWithLog(analysis.run!.trace, log);
  if (args.flags.has('--json')) out(JSON.stringify(cmp, null, 2));
  else
    out(
      formatComparison(
        `${analysis.scenario!.name} (kernel ${analysis.run!.variant})`,
        logFile,
        cmp,
      ),
    );
  return EXIT.ok.code;
}
