import { CliError, GLOBAL_FLAGS, parseArgs, usageLine, type Args, type CommandSpec } from './args';
import { EXIT, exitCodeHelp } from './exitCodes';
import { FileError } from '../files/fileError';
import { formatProblem, jsonDiagnostic, ProblemsError } from './io';
import { runCommand, analyseFile } from './runCommand';
import { inspectCommand } from './inspectCommand';
import { archesCommand, variantsCommand } from './presets';
import { importCommand } from './importCommand';
import { exportCommand } from './exportCommand';
import { compareCommand } from './compareCommand';
import { calibrateCommand } from './calibrateCommand';
import { twinCommand } from './twinCommand';
import { EXPORT_FORMATS } from '../engine/trace/exportFormats';

type Command = (args: Args, out: (s: string) => void, err: (s: string) => void) => number;

/** memmap-lab check: diagnostics only, as file:line:col: severity code: message. */
const checkCommand: Command = (args, out) => {
  const file = args.positional[0];
  const analysis = analyseFile(file, args);
  if (args.flags.has('--json'))
    out(JSON.stringify(analysis.diagnostics.map(jsonDiagnostic), null, 2));
  else for (const d of analysis.diagnostics) out(formatProblem(file, d));
  return analysis.diagnostics.some((d) => d.severity === 'error')
    ? EXIT.diagnostics.code
    : EXIT.ok.code;
};

const RUN_OPTIONS = { '--variant': 'P', '--feature': 'name=value' };
/** --dyndbg: pr_debug lines in the run's dmesg, as a kernel booted with dyndbg="… +p" prints them (compare counts them anyway). */
const RUN_FLAGS = ['--dyndbg'];

/** Every command with what it accepts: the usage text, argument checks and dispatch all read this. */
const COMMANDS: Record<string, CommandSpec & { run: Command }> = {
  run: {
    run: runCommand,
    positionals: ['<scenario>'],
    options: { ...RUN_OPTIONS, '--until-step': 'N', '--trace': 'out.json' },
    flags: ['--json', ...RUN_FLAGS],
  },
  check: {
    run: checkCommand,
    positionals: ['<scenario>'],
    options: RUN_OPTIONS,
    flags: ['--json'],
  },
  inspect: {
    run: inspectCommand,
    positionals: ['<scenario>'],
    options: { '--pfn': '<dec|0xhex>', '--after-step': 'N', '--count': 'N', ...RUN_OPTIONS },
    required: ['--pfn'],
    flags: ['--json', '--raw'],
  },
  variants: {
    run: variantsCommand,
    positionals: [],
    options: { '--at': '<release|preset>', '--arch': '<arch>' },
    flags: ['--json'],
  },
  arches: { run: archesCommand, positionals: [], flags: ['--json'] },
  import: {
    run: importCommand,
    positionals: ['<dmesg|journal|ftrace|lock_stat|trace.json>'],
    flags: ['--json', '--all'],
  },
  export: {
    run: exportCommand,
    positionals: ['<scenario>'],
    options: { '--format': Object.keys(EXPORT_FORMATS).join('|'), '-o': 'file', ...RUN_OPTIONS },
    flags: RUN_FLAGS,
  },
  compare: {
    run: compareCommand,
    positionals: ['<scenario>', '<log>'],
    options: RUN_OPTIONS,
    flags: ['--json'],
  },
  twin: {
    run: twinCommand,
    positionals: [
      '<dmesg|ndctl.json|daxctl.json|iomem|lsmem|numactl-H|sosreport|supportconfig>...',
    ],
    variadic: true,
    // What no input gives: the scenario otherwise writes a commented default.
    options: {
      '-o': 'machine.memmap.yaml',
      '--arch': '<arch>',
      '--kernel': '<release>',
      '--node': '<node of unplaced ranges>',
    },
    required: ['-o'],
  },
  calibrate: {
    run: calibrateCommand,
    positionals: ['<scenario>', '<log>'],
    options: { '-o': 'profile.cost.json', ...RUN_OPTIONS },
    required: ['-o'],
    flags: ['--json'],
  },
};

const USAGE = `memmap-lab — emulate memory hotplug and ZONE_DEVICE memmap initialisation

${Object.entries(COMMANDS)
  .map(([name, spec]) => `  ${usageLine(name, spec)}`)
  .join('\n')}
  every command also takes ${GLOBAL_FLAGS.join(' and ')}; -o is also spelt --output

${exitCodeHelp()}`;

/**
 * Runs one command. Whatever happens, the user gets one clear message and an exit code from the
 * table (with --json, a JSON object on stdout); a stack trace only with --debug.
 */
export function main(
  argv: string[],
  out: (s: string) => void = console.log,
  err: (s: string) => void = console.error,
): number {
  const [name, ...rest] = argv;
  const spec = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!spec) {
    const help = name === undefined || name === '--help' || name === 'help';
    (help ? out : err)(help ? USAGE : `unknown command ${name}\n\n${USAGE}`);
    return help ? EXIT.ok.code : EXIT.usage.code;
  }
  const json = rest.includes('--json') && spec.flags?.includes('--json');
  try {
    const args = parseArgs(rest, spec, usageLine(name, spec));
    if (args.flags.has('--help')) {
      out(`usage: ${usageLine(name, spec)}\n\n${exitCodeHelp()}`);
      return EXIT.ok.code;
    }
    return spec.run(args, out, err);
  } catch (e) {
    const known = e instanceof CliError || e instanceof FileError;
    const message = known
      ? e.message
      : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    if (json)
      out(
        JSON.stringify(
          {
            error: message,
            diagnostics: e instanceof ProblemsError ? e.problems.map(jsonDiagnostic) : [],
          },
          null,
          2,
        ),
      );
    else err(message);
    if (!known && rest.includes('--debug'))
      err(e instanceof Error ? (e.stack ?? message) : message);
    else if (!known) err('(run again with --debug for the stack trace)');
    return e instanceof CliError ? e.exit : EXIT.io.code;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
