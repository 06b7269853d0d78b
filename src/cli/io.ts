import type { Problem } from '../engine/scenario/model';
import { LIMITS } from '../engine/scenario/limits';
import { readRegularFile } from '../files/readRegularFile';
import { CliError } from './args';
import { EXIT } from './exitCodes';
import { printable } from '../engine/printable';

/** A scenario file's text: a regular file within the scenario size limit. */
export function readScenarioText(file: string): string {
  return readRegularFile(file, LIMITS.textBytes, 'a scenario');
}

/** `file:line:col: severity code: message`, as compilers print it. */
export function formatProblem(file: string, p: Problem): string {
  const hint = p.suggestion ? ` (suggestion: ${printable(p.suggestion)})` : '';
  return `${printable(file)}:${p.span.line}:${p.span.column}: ${p.severity} ${p.code}: ${printable(p.message)}${hint}`;
}

/** A diagnostic as `check --json` and every JSON error print it. */
export function jsonDiagnostic(d: Problem): {
  code: string;
  severity: string;
  message: string;
  line: number;
  column: number;
} {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    line: d.span.line,
    column: d.span.column,
  };
}

/** The scenario has errors: exit 1, each printed as file:line:col (and listed under --json). */
export class ProblemsError extends CliError {
  constructor(
    file: string,
    readonly problems: Problem[],
  ) {
    super(
      problems.map((p) => formatProblem(file, p)).join('\n') || `${file}: not a scenario`,
      EXIT.diagnostics.code,
    );
  }
}
