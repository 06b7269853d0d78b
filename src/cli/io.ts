import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { costProfilePath } from '../engine/analyse';
import { parseCostProfile } from '../engine/cost/file';
import type { CostProfile } from '../engine/cost/profile';
import type { Problem, Scenario } from '../engine/scenario/model';

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** A scenario's cost profile file, resolved next to the scenario and confined to its folder tree. */
export function loadCostProfile(scenarioFile: string, s: Scenario): CostProfile | undefined {
  const path = costProfilePath(s);
  if (!path) return undefined;
  // Mistakes point at the scenario's `cost:` line, like every other scenario problem.
  const at = `${scenarioFile}:${s.cost.span.line}:${s.cost.span.column}: error scenario-schema`;
  const root = dirname(resolve(scenarioFile));
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new CliError(`${at}: cost profile ${path} is outside the scenario's folder`);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (e) {
    throw new CliError(`${at}: cannot read cost profile ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const { profile, error } = parseCostProfile(text, path);
  if (error) throw new CliError(`${at}: ${error}`);
  return profile;
}

/** `file:line:col: severity code: message`, as compilers print it. */
export function formatProblem(file: string, p: Problem): string {
  const hint = p.suggestion ? ` (suggestion: ${p.suggestion})` : '';
  return `${file}:${p.span.line}:${p.span.column}: ${p.severity} ${p.code}: ${p.message}${hint}`;
}

export class CliError extends Error {}
