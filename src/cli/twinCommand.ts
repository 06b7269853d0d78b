import { parseScenario } from '../engine/parse/parseScenario';
import { printable } from '../engine/printable';
import { TwinInputError } from '../engine/twin/source';
import { twinScenario } from '../engine/twin/twin';
import { readRegularFile } from '../files/readRegularFile';
import { writeFileAtomic } from '../files/writeFileAtomic';
import { MiB } from '../engine/units';
import { CliError, type Args } from './args';
import { EXIT } from './exitCodes';

/** A boot log of a big machine with dyndbg on runs to tens of megabytes; past this it is not one of the inputs. */
const INPUT_CAP = 64 * MiB;

/**
 * memmap-lab twin <input>... -o machine.memmap.yaml: the scenario of the machine a boot log,
 * `ndctl list` JSON and /proc/iomem describe (any of them, each once). Disagreements between the
 * inputs are warnings on stderr naming both lines; an input that is none of these is exit 1.
 */
export function twinCommand(args: Args, out: (s: string) => void, err: (s: string) => void): number {
  const target = args.options.get('-o')!;
  const inputs = args.positional.map((file) => ({ file, text: readRegularFile(file, INPUT_CAP, 'a twin input') }));
  let twin: ReturnType<typeof twinScenario>;
  try {
    twin = twinScenario(inputs);
  } catch (e) {
    if (e instanceof TwinInputError) throw new CliError(printable(e.message), EXIT.diagnostics.code);
    throw e;
  }
  const { scenario, problems } = parseScenario(twin.scenario);
  const errors = problems.filter((p) => p.severity === 'error');
  // The twin writes only what the scenario language accepts: a problem here is a bug of the twin.
  if (!scenario || errors.length) throw new Error(`the generated scenario does not parse: ${errors.map((p) => `line ${p.span.line}: ${p.message}`).join('; ')}`);
  for (const w of twin.warnings) {
    err(`warning: ${printable(w.message)}`);
    for (const l of w.lines) err(`  ${printable(l.file)}:${l.line}: ${printable(l.text.trim())}`);
  }
  writeFileAtomic(target, twin.scenario, args.positional);
  const kinds = twin.kinds.map((k) => `${k.file} as ${k.kind}`).join(', ');
  out(`${printable(target)}: ${scenario.machine.nodes.length} node(s), ${scenario.machine.ram?.length ?? 0} RAM range(s), ${scenario.machine.pmem?.length ?? 0} pmem region(s), ${scenario.devices.length} namespace(s), kernel ${printable(scenario.kernel.name)} (read ${printable(kinds)}${twin.warnings.length ? `; ${twin.warnings.length} warning(s)` : ''})`);
  return EXIT.ok.code;
}
