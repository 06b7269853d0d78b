import type { ExpectationResult } from '../run/expect';
import type { Scenario, Span } from '../scenario/model';

/** What a lens does when clicked; the extension maps each to a command. */
export type LensAction =
  | { kind: 'run' }
  | { kind: 'compare' }
  | { kind: 'exportTrace' }
  | { kind: 'inspect'; device: string }
  | { kind: 'timeline'; device: string }
  | { kind: 'runToStep'; step: number }
  | { kind: 'expectation'; index: number };

export interface Lens {
  /** The line the lens sits above (its first line counts). */
  span: Span;
  title: string;
  /** The lens' hover: a failed expectation's full message. */
  tooltip?: string;
  action: LensAction;
}

const TOP: Span = { line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 };

/**
 * Which lenses go where: run/compare/export above the file, inspect/timeline above each device,
 * run-to-here above each step, the last run's verdict above each expectation. `results` are
 * the latest run's expectation results (by index), if it ran.
 */
export function scenarioLenses(
  s: Scenario | undefined,
  results: ExpectationResult[] | undefined,
): Lens[] {
  const lenses: Lens[] = [
    { span: TOP, title: '▶ Run', action: { kind: 'run' } },
    { span: TOP, title: '⇄ Compare variants…', action: { kind: 'compare' } },
    { span: TOP, title: 'Export trace', action: { kind: 'exportTrace' } },
  ];
  if (!s) return lenses;
  for (const d of s.devices) {
    lenses.push({
      span: d.span,
      title: 'Inspect pages',
      action: { kind: 'inspect', device: d.name },
    });
    lenses.push({
      span: d.span,
      title: 'Show in timeline',
      action: { kind: 'timeline', device: d.name },
    });
  }
  for (const st of s.steps)
    lenses.push({
      span: st.span,
      title: 'Run to here',
      action: { kind: 'runToStep', step: st.index },
    });
  for (const e of s.expect) {
    const r = results?.find((x) => x.index === e.index);
    // Short, with the measured value; the full "expected … got …" is the hover and in Problems.
    const title = !r ? '○ not run yet' : `${r.pass ? '✓' : '✗'} ${r.verdict}`;
    lenses.push({
      span: e.span,
      title,
      tooltip: r?.message,
      action: { kind: 'expectation', index: e.index },
    });
  }
  return lenses;
}

/** A one-line label for an expectation: its own text ("no-diagnostic: leaked-pgmap-ref"). */
export function expectationLabel(text: string, span: Span): string {
  const t = text.slice(span.offset, span.endOffset).replace(/\s+/g, ' ').trim();
  return (t.startsWith('{') && t.endsWith('}') ? t.slice(1, -1).trim() : t).replace(/"/g, '');
}
