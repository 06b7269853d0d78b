import { parseArgs, UsageError, type Args } from './args';
import { CliError, formatProblem } from './io';
import { runCommand, analyseFile } from './runCommand';
import { inspectCommand } from './inspectCommand';
import { archesCommand, variantsCommand } from './presets';
import { importCommand } from './importCommand';
import { exportCommand } from './exportCommand';
import { compareCommand } from './compareCommand';
import { calibrateCommand } from './calibrateCommand';

const USAGE = `memmap-lab — emulate memory hotplug and ZONE_DEVICE memmap initialisation

  memmap-lab run <scenario> [--variant P] [--feature name=value] [--until-step N] [--json] [--trace out.json]
  memmap-lab check <scenario> [--variant P] [--json]
  memmap-lab inspect <scenario> --pfn <dec|0xhex> [--after-step N] [--json]
  memmap-lab variants [--at <release|preset> [--arch <arch>]] [--json]
  memmap-lab arches [--json]
  memmap-lab import <dmesg|journal|ftrace|lock_stat|trace.json> [--json] [--all]
  memmap-lab export <scenario> --format chrome|lock_stat|dmesg [-o file]
  memmap-lab compare <scenario> <log> [--variant P] [--json]
  memmap-lab calibrate <scenario> <log> -o profile.cost.json [--variant P] [--json]`;

type Command = (args: Args, out: (s: string) => void) => number;

/** memmap-lab check: diagnostics only, as file:line:col: severity code: message. */
const checkCommand: Command = (args, out) => {
  const file = args.positional[0];
  if (!file) throw new CliError('usage: memmap-lab check <scenario> [--json]');
  const analysis = analyseFile(file, args);
  if (args.flags.has('--json')) out(JSON.stringify(analysis.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, line: d.span.line, column: d.span.column })), null, 2));
  else for (const d of analysis.diagnostics) out(formatProblem(file, d));
  return analysis.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
};

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  check: checkCommand,
  inspect: inspectCommand,
  variants: variantsCommand,
  arches: archesCommand,
  import: importCommand,
  export: exportCommand,
  compare: compareCommand,
  calibrate: calibrateCommand,
};

export function main(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): number {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    (name && name !== '--help' && name !== 'help' ? err : out)(USAGE);
    return name && name !== '--help' && name !== 'help' ? 2 : 0;
  }
  try {
    return command(parseArgs(rest), out);
  } catch (e) {
    if (e instanceof CliError || e instanceof UsageError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
