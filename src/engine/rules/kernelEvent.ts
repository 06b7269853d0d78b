import type { Problem, Severity } from '../scenario/model';
import { deviceSpan, fallbackSpan, stepSpan, type Rule } from './rule';
import type { DiagnosticCode } from '../trace/diagnosticCodes';

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
 * is the kernel's own, the place is the device or step that made the kernel print it.
 */
export function kernelEventRule(spec: EventRuleSpec): Rule {
  return {
    ...spec,
    check({ scenario, run }) {
      const out: Problem[] = [];
      for (const e of run.trace.instants) {
        if (e.code !== spec.code) continue;
        const span = (spec.device && deviceSpan(scenario, e.device, spec.device.field)) ??
          stepSpan(scenario, e.step) ?? deviceSpan(scenario, e.device) ?? fallbackSpan(scenario);
        const where = e.device ? ` (${e.device})` : '';
        out.push({ code: spec.code, severity: spec.severity, message: `${e.text}${where}`, span });
      }
      return out;
    },
  };
}
