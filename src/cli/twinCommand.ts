import { printable } from '../engine/printable';
import { machineTwin } from '../engine/twin/machineTwin';
import { TwinInputError } from '../engine/twin/source';
import { readTwinInputs } from '../files/machineReport';
import { writeFileAtomic } from '../files/writeFileAtomic';
import { CliError, type Args } from './args';
import { EXIT } from './exitCodes';

/**
 * memmap-lab twin <input>... -o machine.memmap.yaml: the scenario of the machine its own output
 * describes (a boot log, `ndctl list` and `daxctl list` JSON, /proc/iomem, lsmem or sysfs memory
 * blocks, `numactl -H`, or a sosreport/supportconfig holding them; each kind once). Disagreements
 * between the inputs are warnings on stderr naming both lines; with a boot log the twin runs and
 * its disagreements with the log are listed on stdout; an input that is none of these is exit 1.
 * `--arch`, `--kernel` and `--node` give what no input says (an input that says it wins); a value no
 * input gave and no flag answered is written as a commented default and named on stderr.
 */
export function twinCommand(
  args: Args,
  out: (s: string) => void,
  err: (s: string) => void,
): number {
  const target = args.options.get('-o')!;
  const inputs = readTwinInputs(args.positional);
  let twin: ReturnType<typeof machineTwin>;
  try {
    twin = machineTwin(inputs, target, {
      arch: args.options.get('--arch'),
      kernel: args.options.get('--kernel'),
      node: args.options.get('--node'),
    });
  } catch (e) {
    if (e instanceof TwinInputError)
      throw new CliError(printable(e.message), EXIT.diagnostics.code);
    throw e;
  }
  for (const line of twin.warningLines) err(line);
  for (const u of twin.unknowns)
    err(`note: ${u.key}: ${printable(u.default)} by default (${u.why}); --${u.key} gives it`);
  writeFileAtomic(target, twin.scenario, args.positional);
  out(twin.summary);
  for (const line of twin.comparison) out(line);
  return EXIT.ok.code;
}
