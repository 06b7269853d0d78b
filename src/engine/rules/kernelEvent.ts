import type { Problem, Scenario, Severity, Span } from '../scenario/model';
import { deviceSpan, fallbackSpan, stepSpan, type Rule } from './rule';
import type { DiagnosticCode } from '../trace/diagnosticCodes';
import { probeFailures, type ProbeFailure } from '../run/failures';
import type { RunResult } from '../run/runScenario';
import type { Instant } from '../trace/model';

interface EventRuleSpec {
  code: DiagnosticCode;
  severity: Severity;
  title: string;
  doc: string;
  source: string;
  /** Blame the device definition (optionally a field of it) rather than the step that ran it. */
  device?: { field?: string };
}

/**
 * A rule that fires when the emulated kernel printed the message it is named for: the message
 * is the kernel's own, the place is the device or step that made the kernel print it. The message
 * that failed a probe is an error, and carries what followed from it (the driver's "probe failed"
 * line, the later steps that could not run) as related places instead of problems of their own.
 */
export function kernelEventRule(spec: EventRuleSpec): Rule {
  return {
    ...spec,
    check({ scenario, run }) {
      const out: Problem[] = [];
      for (const e of run.trace.instants) {
        if (e.code !== spec.code) continue;
        const failure = failureOf(run, e);
        if (failure && failure.cause !== e) continue;
        const span =
          (spec.device && deviceSpan(scenario, e.device, spec.device.field)) ??
          stepSpan(scenario, e.step) ??
          deviceSpan(scenario, e.device) ??
          fallbackSpan(scenario);
        const where = e.device ? ` (${e.device})` : '';
        if (!failure) {
          out.push({
            code: spec.code,
            severity: spec.severity,
            message: `${e.text}${where}`,
            span,
          });
          continue;
        }
        const related = consequences(scenario, failure, span);
        out.push({
          code: spec.code,
          severity: 'error',
          message: `${e.text} (${e.device}: probe failed)`,
          span,
          ...(related.length ? { related } : {}),
        });
      }
      return out;
    },
  };
}

/** The failed probe this message belongs to, as its cause or as the driver's line after it. */
function failureOf(run: RunResult, e: Instant): ProbeFailure | undefined {
  return probeFailures(run).find((f) => f.cause === e || f.printed.includes(e));
}

/** What a failed probe printed after its cause, and every later step it stopped. */
function consequences(s: Scenario, f: ProbeFailure, at: Span): { message: string; span: Span }[] {
  const probe = stepSpan(s, f.step) ?? at;
  // A BUG kills the probe before the driver prints anything: the probe step is still where it failed.
  const silent =
    f.printed.length === 0 && probe.offset !== at.offset
      ? [{ message: `${f.device} did not probe`, span: probe }]
      : [];
  const ops = new Map(s.steps.map((st) => [st.index, st.op]));
  return [
    ...silent,
    ...f.printed.map((e) => ({ message: e.text, span: probe })),
    ...f.stopped.map((p) => ({
      message: `${ops.get(p.step) ?? 'step'} did not run: ${p.message}`,
      span: stepSpan(s, p.step, p.field) ?? probe,
    })),
  ];
}
