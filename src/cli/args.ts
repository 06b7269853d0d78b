import { EXIT, type ExitCode } from './exitCodes';

/** Parsed argv: positionals, `--flag`s, `--key value` options (a repeatable one's values joined by commas). */
export interface Args {
  positional: string[];
  flags: Set<string>;
  options: Map<string, string>;
}

/** What a command accepts; its usage line is written from this, and anything else is a usage error. */
export interface CommandSpec {
  /** Positional arguments, all required: `<scenario>`, `<log>`. */
  positionals: string[];
  /** The last positional may be given more than once (`<inputs…>`). */
  variadic?: boolean;
  /** Options with a value and the value's placeholder; `required` ones are not in brackets. */
  options?: Record<string, string>;
  required?: string[];
  flags?: string[];
}

/** Options that may be given more than once (each adds a value). */
const REPEATABLE = new Set(['--feature']);
/** Long spellings of short options. */
const ALIASES: Record<string, string> = { '--output': '-o' };
/** Accepted by every command: the usage, and stack traces of internal errors. */
export const GLOBAL_FLAGS = ['--help', '--debug'];

export function usageLine(name: string, spec: CommandSpec): string {
  const options = Object.entries(spec.options ?? {}).map(([o, v]) =>
    spec.required?.includes(o) ? `${o} ${v}` : `[${o} ${v}]`,
  );
  return [
    'memmap-lab',
    name,
    ...spec.positionals,
    ...options,
    ...(spec.flags ?? []).map((f) => `[${f}]`),
  ].join(' ');
}

export function parseArgs(argv: string[], spec: CommandSpec, usage: string): Args {
  const args: Args = { positional: [], flags: new Set(), options: new Map() };
  const fail = (message: string) => new UsageError(`${message}\nusage: ${usage}`);
  for (let i = 0; i < argv.length; i++) {
    const a = ALIASES[argv[i]] ?? argv[i];
    if (spec.options && Object.hasOwn(spec.options, a)) {
      if (i + 1 >= argv.length) throw fail(`${argv[i]} needs a value`);
      const prev = args.options.get(a);
      if (prev !== undefined && !REPEATABLE.has(a)) throw fail(`${argv[i]} is given twice`);
      args.options.set(a, prev === undefined ? argv[++i] : `${prev},${argv[++i]}`);
    } else if (spec.flags?.includes(a) || GLOBAL_FLAGS.includes(a)) args.flags.add(a);
    else if (a.startsWith('-') && a !== '-') throw fail(`unknown option ${argv[i]}`);
    else args.positional.push(a);
  }
  if (args.flags.has('--help')) return args;
  if (args.positional.length > spec.positionals.length && !spec.variadic)
    throw fail(`unexpected argument ${args.positional[spec.positionals.length]}`);
  if (args.positional.length < spec.positionals.length)
    throw fail(`missing ${spec.positionals[args.positional.length]}`);
  const missing = spec.required?.find((o) => !args.options.has(o));
  if (missing) throw fail(`missing ${missing} ${spec.options![missing]}`);
  return args;
}

/** An error the user can act on: one message, and the exit code that says what kind it is. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exit: ExitCode = EXIT.usage.code,
  ) {
    super(message);
  }
}

/** The command line is wrong: exit 2, with the command's usage. */
export class UsageError extends CliError {}
