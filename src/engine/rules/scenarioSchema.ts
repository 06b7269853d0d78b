import type { Rule } from './rule';

/** Parser problems come with the parse; placement mistakes (no such node, no room) come from the run. */
export const scenarioSyntax: Rule = {
  code: 'scenario-syntax', severity: 'error', title: 'Not valid YAML/JSON',
  doc: 'The file does not parse as YAML (or JSON for *.memmap.json).', source: 'the scenario',
  check: () => [],
};

export const scenarioSchema: Rule = {
  code: 'scenario-schema', severity: 'error', title: 'Not a valid scenario',
  doc: 'An unknown key or preset, a missing field, a value of the wrong kind, or a device that does not fit the machine. See schemas/scenario.schema.json.',
  source: 'the scenario',
  check: ({ run }) => run.placementProblems,
};
