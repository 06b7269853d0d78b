import type { Problem } from '../scenario/model';
import { fallbackSpan, stepSpan, type Rule } from './rule';
import type { DiagnosticCode } from '../trace/diagnosticCodes';
import { probeFailures } from '../run/failures';

function fromStepProblems(code: DiagnosticCode, title: string, doc: string): Rule {
  return {
    code, severity: 'error', title, doc, source: 'the scenario',
    check({ scenario, run }) {
      // A step stopped by a failed probe is told on the probe's cause, not on its own.
      const stopped = new Set(probeFailures(run).flatMap((f) => f.stopped));
      return run.stepProblems.filter((p) => p.code === code && !stopped.has(p)).map((p): Problem => ({
        code, severity: 'error', message: p.message, span: stepSpan(scenario, p.step, p.field) ?? fallbackSpan(scenario),
      }));
    },
  };
}

export const invalidStep = fromStepProblems('invalid-step', 'A step that cannot run',
  'The step uses a device that is not probed (or was removed), runs before boot, or names a node the machine does not have.');

export const pfnOutOfRange = fromStepProblems('pfn-out-of-range', 'A pfn outside the device',
  "The step's pfn (or pfn + pages) is not a data page of the device: `+offset` counts from the device's first data page.");
