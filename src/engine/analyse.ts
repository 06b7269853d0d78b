import type { Problem, Scenario } from './scenario/model';
import { parseScenario } from './parse/parseScenario';
import { runScenario, type RunOptions, type RunResult } from './run/runScenario';
import { checkExpectations, type ExpectationResult } from './run/expect';
import { diagnose, findRule } from './rules';
import { expectFailed } from './rules/expectFailed';
import { costProfilePath } from './run/costProfile';

export interface Analysis {
  scenario?: Scenario;
  run?: RunResult;
  /** Parse problems, rule findings and failed expectations, by position. */
  diagnostics: Problem[];
  expectations: ExpectationResult[];
}

/** Parse, emulate, diagnose and check expectations: what `run`, `check` and the editor need. */
export function analyse(text: string, options: RunOptions = {}): Analysis {
  const parsed = parseScenario(text);
  if (!parsed.scenario || parsed.problems.some((p) => p.severity === 'error')) {
    return { scenario: parsed.scenario, diagnostics: parsed.problems, expectations: [] };
  }
  return analyseScenario(parsed.scenario, options, parsed.problems);
}

export function analyseScenario(
  scenario: Scenario,
  options: RunOptions = {},
  parseProblems: Problem[] = [],
): Analysis {
  if (costProfilePath(scenario) && !options.costProfile) {
    return {
      scenario,
      expectations: [],
      diagnostics: [
        ...parseProblems,
        {
          code: 'scenario-schema',
          severity: 'error',
          span: scenario.cost.span,
          message: `cost profile '${scenario.cost.profile}' was not loaded (it must be a *.cost.json file in the workspace)`,
        },
      ],
    };
  }
  const run = runScenario(scenario, options);
  const found = [...parseProblems, ...diagnose({ scenario, run })];
  // Expectations still see a quieted finding: `expect: diagnostic:` asks what the kernel did.
  const expectations = checkExpectations(run, found);
  const { quiet, problems } = quietCodes(scenario);
  const diagnostics = [
    ...found.filter((d) => !quiet.has(d.code)),
    ...problems,
    ...expectFailed.fromResults(expectations),
  ].sort((a, b) => a.span.offset - b.span.offset || a.code.localeCompare(b.code));
  return { scenario, run, diagnostics, expectations };
}

/**
 * `options.quiet`: the info and warning codes the author does not want repeated on every run (the
 * reserved-dax-pages note on every namespace, say). An error is the kernel failing: it cannot be
 * quieted, and an unknown code is a mistake to point at.
 */
function quietCodes(s: Scenario): { quiet: Set<string>; problems: Problem[] } {
  const quiet = new Set<string>();
  const problems: Problem[] = [];
  for (const { code, span } of s.options.quiet ?? []) {
    const rule = findRule(code);
    if (!rule)
      problems.push({
        code: 'scenario-schema',
        severity: 'error',
        span,
        message: `options.quiet: no diagnostic code '${code}'`,
      });
    else if (rule.severity === 'error')
      problems.push({
        code: 'scenario-schema',
        severity: 'error',
        span,
        message: `options.quiet: ${code} is an error (the kernel failing): it cannot be quieted`,
      });
    else quiet.add(code);
  }
  return { quiet, problems };
}
