import { printable } from '../printable';
import type { Scenario } from '../scenario/model';
import { parseScenario } from '../parse/parseScenario';
import { compareTwin, formatTwinComparison } from './selfCompare';
import type { TwinInput } from './source';
import { twinScenario, type TwinAnswers, type TwinResult } from './twin';

/** A machine's twin as the CLI and the editor command hand it over: the text and what to tell. */
export interface MachineTwin extends TwinResult {
  parsed: Scenario;
  /** One line: what the scenario holds and which input was read as what. */
  summary: string;
  /** Each warning, then its lines as `file:line: text`. */
  warningLines: string[];
  /** With a boot log: the twin's run against it (formatTwinComparison). */
  comparison: string[];
}

/**
 * Builds the twin of the inputs (`answers`: what the user gave for what no input says), checks it
 * parses, and, when a boot log is among them, runs it and compares the run with the log. Throws
 * TwinInputError for an input that is not one, or an answer that cannot be used.
 */
export function machineTwin(
  inputs: TwinInput[],
  target: string,
  answers: TwinAnswers = {},
): MachineTwin {
  const twin = twinScenario(inputs, answers);
  const { scenario, problems } = parseScenario(twin.scenario);
  const errors = problems.filter((p) => p.severity === 'error');
  // The twin writes only what the scenario language accepts: a problem here is a bug of the twin.
  if (!scenario || errors.length) {
    const what = errors.map((p) => `line ${p.span.line}: ${p.message}`).join('; ');
    throw new Error(`the generated scenario does not parse: ${what}`);
  }
  const warningLines = twin.warnings.flatMap((w) => [
    `warning: ${printable(w.message)}`,
    ...w.lines.map((l) => `  ${printable(l.file)}:${l.line}: ${printable(l.text.trim())}`),
  ]);
  const m = scenario.machine;
  const kinds = twin.kinds.map((k) => `${k.file} as ${k.kind}`).join(', ');
  const warned = twin.warnings.length ? `; ${twin.warnings.length} warning(s)` : '';
  const summary = `${printable(target)}: ${m.nodes.length} node(s), ${m.ram?.length ?? 0} RAM range(s), ${m.pmem?.length ?? 0} pmem region(s), ${scenario.devices.length} namespace(s), kernel ${printable(scenario.kernel.name)} (read ${printable(kinds)}${warned})`;
  const log = inputs.find((_, n) => twin.kinds[n].kind === 'dmesg');
  const comparison = log ? formatTwinComparison(compareTwin(scenario, log), log.file) : [];
  return { ...twin, parsed: scenario, summary, warningLines, comparison };
}
