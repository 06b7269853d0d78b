import type { Problem, Scenario } from '../scenario/model';
import { parseTree } from '../editor/locate';
import { alignNamespaceStartFix, alignRangeFix } from './align';
import type { QuickFix } from './edits';
import { missingPutFix } from './missingPut';
import { vmemmapFixes } from './vmemmap';
import { getsPast } from './verify';
import type { RunOptions } from '../run/runScenario';

export type { QuickFix, TextEdit } from './edits';

/**
 * The fixes for one problem, where the fix is obvious. These are the only edits the extension
 * makes to a scenario; each is one undo step. `scenario` is the parse of `text` (undefined when
 * the file does not parse: only the parser's own suggestions apply then). A fix for an error is
 * offered only if a run with it applied gets past the error (one run per candidate, with
 * `options` as the run that found it had them).
 */
export function quickFixes(
  text: string,
  scenario: Scenario | undefined,
  problem: Problem,
  options: RunOptions = {},
): QuickFix[] {
  const candidates = candidateFixes(text, scenario, problem, options.variant);
  if (problem.severity !== 'error') return candidates;
  return candidates.filter((fix) => getsPast(text, scenario, problem, fix, options));
}

/** The obvious fixes, sized for the kernel the run used (`variant`, else the scenario's own). */
function candidateFixes(
  text: string,
  scenario: Scenario | undefined,
  problem: Problem,
  variant?: string,
): QuickFix[] {
  const doc = parseTree(text);
  const fixes = problem.suggestion ? suggestionFix(text, problem) : [];
  if (!scenario) return fixes;
  switch (problem.code) {
    case 'misaligned-subsection':
      return [...fixes, ...alignRangeFix(text, doc, scenario, problem, variant)];
    case 'namespace-misaligned':
    case 'invalid-altmap':
      return [...fixes, ...alignNamespaceStartFix(text, doc, scenario, problem, variant)];
    case 'leaked-pgmap-ref':
      return [...fixes, ...missingPutFix(text, scenario, problem)];
    case 'vmemmap-opt-unsupported':
      return [...fixes, ...vmemmapFixes(text, doc, scenario, problem)];
    default:
      return fixes;
  }
}

/** An unknown key or preset: the parser names the nearest known one at the word's own place. */
function suggestionFix(text: string, p: Problem): QuickFix[] {
  const { offset, endOffset } = p.span;
  const old = text.slice(offset, endOffset);
  const quote = /^(["']).*\1$/s.test(old) ? old[0] : '';
  const edit = { offset, endOffset, newText: `${quote}${p.suggestion}${quote}` };
  return [
    {
      title: `Replace '${old.replace(/^["']|["']$/g, '')}' with '${p.suggestion}'`,
      edits: [edit],
      preferred: true,
    },
  ];
}
