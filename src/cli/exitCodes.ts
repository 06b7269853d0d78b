/** memmap-lab's exit codes: one table, which `--help` and the README print. */
export const EXIT = {
  ok: { code: 0, meaning: 'success' },
  diagnostics: {
    code: 1,
    meaning:
      'an error diagnostic in the scenario (or its cost profile), a failed expect: entry, a file that is not a log',
  },
  usage: {
    code: 2,
    meaning: 'usage: an unknown command, flag or value, a missing or extra argument',
  },
  io: {
    code: 3,
    meaning: 'a file cannot be read or written, or an internal error (--debug shows its stack)',
  },
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]['code'];

/** The table as `--help` prints it. */
export function exitCodeHelp(): string {
  return ['exit codes:', ...Object.values(EXIT).map((e) => `  ${e.code}  ${e.meaning}`)].join('\n');
}
