import type { DiagnosticCode } from '../trace/diagnosticCodes';
import type { Problem, Scenario, Severity, Span } from '../scenario/model';
import type { RunResult } from '../run/runScenario';

export interface RuleContext {
  scenario: Scenario;
  run: RunResult;
}

/** A diagnostic rule: a stable code, a severity, what it means, where in the kernel it comes from. */
export interface Rule {
  code: DiagnosticCode;
  severity: Severity;
  title: string;
  /** What the user is looking at, in a kernel developer's words (hovers, docs). */
  doc: string;
  /** The kernel source or thread it comes from. */
  source: string;
  check(ctx: RuleContext): Problem[];
}

/** The line of a step, or of one of its fields. */
export function stepSpan(s: Scenario, index: number | undefined, field?: string): Span | undefined {
  // Steps of a scenario that ran sit at their own index; find() only for a partial parse.
  const step =
    index === undefined
      ? undefined
      : s.steps[index]?.index === index
        ? s.steps[index]
        : s.steps.find((st) => st.index === index);
  return step && ((field && step.fields[field]) || step.span);
}

/** The line of a device, or of one of its fields. */
export function deviceSpan(
  s: Scenario,
  name: string | undefined,
  field?: string,
): Span | undefined {
  const dev = name === undefined ? undefined : s.devices.find((d) => d.name === name);
  return dev && ((field && dev.fields[field]) || dev.span);
}

/** A place to report a run-wide finding when nothing more precise exists: the kernel line. */
export function fallbackSpan(s: Scenario): Span {
  return s.kernel.span;
}
