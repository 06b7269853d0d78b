import { analyse } from '../analyse';
import { DEFAULT_PROFILE } from '../cost/profile';
import { deviceAt, stepAt } from '../editor/context';
import { costProfilePath } from '../run/costProfile';
import { deviceFailure } from '../run/failures';
import type { RunOptions } from '../run/runScenario';
import type { Problem, Scenario } from '../scenario/model';
import type { QuickFix, TextEdit } from './edits';

/**
 * Whether a fix gets past an error: the text with the fix applied is analysed again (one run),
 * and the error must be gone from its line, the device it names must probe, and the step it
 * names must run. A fix that only trades the error for the next one on the same device (a start
 * aligned for nd_pfn_init() but not for a pre-v5.3 section) is not offered.
 */
export function getsPast(
  text: string,
  scenario: Scenario | undefined,
  problem: Problem,
  fix: QuickFix,
  options: RunOptions,
): boolean {
  const fixed = applyEdits(text, fix.edits);
  // Costs change how long things take, never whether they fail: an unread profile file need not stop the check.
  const profile =
    scenario && costProfilePath(scenario) && !options.costProfile
      ? { costProfile: DEFAULT_PROFILE }
      : {};
  const after = analyse(fixed, { ...options, ...profile, untilStep: undefined });
  const at = mapOffset(fix.edits, problem.span.offset);
  const line = lineOf(fixed, at);
  if (
    after.diagnostics.some(
      (d) => d.severity === 'error' && d.code === problem.code && d.span.line === line,
    )
  )
    return false;
  if (!scenario || !after.run || !after.scenario) return true;
  const device = deviceAt(scenario, problem.span);
  if (device && deviceFailure(after.run, device.name)) return false;
  const step =
    stepAt(scenario, problem.span) &&
    after.scenario.steps.find((st) => st.span.offset <= at && at < st.span.endOffset);
  const outcome = step && after.run.steps.find((st) => st.index === step.index)?.outcome;
  return outcome === undefined || outcome === 'ok';
}

/** The text with every edit applied (edits do not overlap). */
function applyEdits(text: string, edits: TextEdit[]): string {
  for (const e of [...edits].sort((a, b) => b.offset - a.offset))
    text = text.slice(0, e.offset) + e.newText + text.slice(e.endOffset);
  return text;
}

/** Where an offset of the old text is in the edited one (an offset inside an edit goes to its start). */
function mapOffset(edits: TextEdit[], offset: number): number {
  let shift = 0;
  for (const e of edits) {
    if (e.endOffset <= offset && e.offset < offset)
      shift += e.newText.length - (e.endOffset - e.offset);
    else if (e.offset === offset && e.endOffset === offset) shift += e.newText.length;
  }
  return offset + shift;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
