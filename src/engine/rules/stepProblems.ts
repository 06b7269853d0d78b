import type { Problem } from '../scenario/model';
import { fallbackSpan, stepSpan, type Rule } from './rule';
import type { DiagnosticCode } from '../trace/diagnosticCodes';

function fromStepProblems(code: DiagnosticCode, title: string, doc: string): Rule {
  return {
    code, severity: 'error', title, doc, source: 'the scenario',
    check({ scenario, run }) {
      return run.stepProblems.filter((p) => p.code === code).map((p): Problem => ({
        code, severity: 'error', message: p.message, span: stepSpan(scenario, p.step, p.field) ?? fallbackSpan(scenario),
      }));
    },
  };
}

export const invalidStep = fromStepProblems('invalid-step', 'A step that cannot run',
  'The step names a device that does not exist or is not probed, or a node the machine does not have.');

export const pfnOutOfRange = fromStepProblems('pfn-out-of-range', 'A pfn outside the device',
  "The step's pfn (or pfn + pages) is not a data page of the device: `+offset` counts from the device's first data page.");
