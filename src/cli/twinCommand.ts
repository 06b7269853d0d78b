import { statSync } from 'node:fs';
import { parseScenario } from '../engine/scenario/parse';
import { printable } from '../engine/printable';
import { TwinInputError } from '../engine/twin/source';
import { compareTwin, formatTwinComparison } from '../engine/twin/selfCompare';
import { twinScenario } from '../engine/twin/twin';
import { isReportArchive, readMachineReport, REPORT_FILE_CAP } from '../files/machineReport';
import { readRegularFile } from '../files/readRegularFile';
import { writeFileAtomic } from '../files/writeFileAtomic';
import { CliError, type Args } from './args';
import { EXIT } from './exitCodes';

/**
 * memmap-lab twin <input>... -o machine.memmap.yaml: the scenario of the machine a boot log,
 * `ndctl list` JSON and /proc/iomem describe (any of them, each once). Disagreements between the
 * inputs are warnings on stderr naming both lines; an input that is none of these is exit 1.
 */
export function twinCommand(args: Args, out: (s: string) => void, err: (s: string) => void): number {
  const target = args.options.get('-o')!;
  const inputs = args.positional.flatMap((file) => (isReportArchive(file) || isFolder(file)
    ? readMachineReport(file)
    : [{ file, text: readRegularFile(file, REPORT_FILE_CAP, 'a twin input') }]));
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
  // With the machine's log, the twin runs and says where it and the machine disagree.
  const log = inputs.find((_, n) => twin.kinds[n].kind === 'dmesg');
  if (log) for (const line of formatTwinComparison(compareTwin(scenario, log), log.file)) out(line);
  return EXIT.ok.code;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
