/** Minimal argv parsing: positionals, `--flag`, `--key value`, `-o value`. */
export interface Args {
  positional: string[];
  flags: Set<string>;
  options: Map<string, string>;
}

const VALUE_OPTIONS = new Set(['--variant', '--trace', '--pfn', '--after-step', '-o', '--output', '--format', '--until-step', '--feature', '--at', '--arch']);

export function parseArgs(argv: string[]): Args {
  const args: Args = { positional: [], flags: new Set(), options: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (VALUE_OPTIONS.has(a)) {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      const prev = args.options.get(a);
      args.options.set(a, prev === undefined ? argv[++i] : `${prev},${argv[++i]}`);
    } else if (a.startsWith('-')) args.flags.add(a);
    else args.positional.push(a);
  }
  return args;
}

export class UsageError extends Error {}
