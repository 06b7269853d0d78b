import type { Rule } from './rule';

/** Parser problems come with the parse; placement mistakes (no such node, no room) come from the run. */
export const scenarioSyntax: Rule = {
  code: 'scenario-syntax',
  severity: 'error',
  title: 'Not valid YAML/JSON',
  doc: 'The file does not parse as YAML (or JSON for *.memmap.json).',
  source: 'the scenario',
  check: () => [],
};

/** lib/cmdline.c: memparse() reads K, M, G, T, P and E as powers of 1024. */
export const binarySizeUnit: Rule = {
  code: 'binary-size-unit',
  severity: 'info',
  title: 'A size unit read as binary',
  doc: "A size written 3T or 3TB is read as 3 TiB (3 × 2^40 bytes), as the kernel's memparse() reads `mem=3T`, not as 3 × 10^12 bytes. Writing 3TiB says so.",
  source: 'lib/cmdline.c: memparse()',
  check: () => [],
};

export const scenarioSchema: Rule = {
  code: 'scenario-schema',
  severity: 'error',
  title: 'Not a valid scenario',
  doc: 'An unknown key or preset, a missing field, a value of the wrong kind, or a device that does not fit the machine. See schemas/scenario.schema.json.',
  source: 'the scenario',
  check: ({ run }) => run.placementProblems,
};
