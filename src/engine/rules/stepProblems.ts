import type { Problem, Severity } from '../scenario/model';
import { fallbackSpan, stepSpan, type Rule } from './rule';
import type { DiagnosticCode } from '../trace/diagnosticCodes';
import { probeFailures } from '../run/failures';

function fromStepProblems(
  code: DiagnosticCode,
  title: string,
  doc: string,
  severity: Severity = 'error',
  source = 'the scenario',
): Rule {
  return {
    code,
    severity,
    title,
    doc,
    source,
    check({ scenario, run }) {
      // A step stopped by a failed probe is told on the probe's cause, not on its own.
      const stopped = new Set(probeFailures(run).flatMap((f) => f.stopped));
      return run.stepProblems
        .filter((p) => p.code === code && !stopped.has(p))
        .map((p): Problem => ({
          code,
          severity,
          message: p.message,
          span: stepSpan(scenario, p.step, p.field) ?? fallbackSpan(scenario),
        }));
    },
  };
}

export const invalidStep = fromStepProblems(
  'invalid-step',
  'A step that cannot run',
  'The step uses a device that is not probed (or was removed), runs before boot, or names a node the machine does not have.',
);

export const pfnOutOfRange = fromStepProblems(
  'pfn-out-of-range',
  'A pfn outside the device',
  "The step's pfn (or pfn + pages) is not a data page of the device: `+offset` counts from the device's first data page.",
);

export const memmapOnMemoryUnused = fromStepProblems(
  'memmap-on-memory-unused',
  'memmap_on_memory asked for, memmap from node RAM',
  'The add asks for its memmap on the added memory, but mhp_supports_memmap_on_memory() says no: before v6.8 only an add of exactly one memory block qualifies (drivers then do not pass MHP_MEMMAP_ON_MEMORY), and the memmap must be whole pageblocks. The memory is added with its memmap in node RAM.',
  'info',
  'mm/memory_hotplug.c: mhp_supports_memmap_on_memory(), add_memory_resource()',
);
