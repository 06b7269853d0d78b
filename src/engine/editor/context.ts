import { findArch, resolveGeometry, type Geometry } from '../arch/presets';
import type { KernelFeatures } from '../kernel/features';
import { releaseOf } from '../kernel/version';
import type { DeviceSpec, Scenario, Span, Step } from '../scenario/model';
import { resolveFeatures } from '../run/runScenario';

/** The sizes and kernel features a scenario's own kernel and arch give (hovers and fixes need them). */
export interface ScenarioKernel {
  variant: string;
  features: KernelFeatures;
  g: Geometry;
}

/** `variant`: the kernel a run used instead of the scenario's own (`--variant`, the default-variant setting). */
export function scenarioKernel(s: Scenario, variant?: string): ScenarioKernel | undefined {
  const arch = findArch(s.arch.name);
  if (!arch) return undefined;
  const { features } = resolveFeatures(s, { variant });
  return {
    variant: variant ?? s.kernel.name,
    features,
    g: resolveGeometry(arch, releaseOf(features), s.machine.structPageSize),
  };
}

/** The hotplug granularity `check_pfn_span()` enforces: a sub-section from v5.3, a section before. */
export function hotplugUnit(k: ScenarioKernel): number {
  return k.features.hotplugUnit === 'subsection'
    ? k.g.pagesPerSubsection * k.g.pageSize
    : k.g.sectionSize;
}

/** The device a problem points at: its definition or one of its fields. */
export function deviceAt(s: Scenario, span: Span): DeviceSpec | undefined {
  return s.devices.find(
    (d) =>
      d.span.offset === span.offset ||
      Object.values(d.fields).some((f) => f?.offset === span.offset),
  );
}

/** The step a problem points at: the step or one of its fields. */
export function stepAt(s: Scenario, span: Span): Step | undefined {
  return s.steps.find(
    (st) =>
      st.span.offset === span.offset ||
      Object.values(st.fields).some((f) => f?.offset === span.offset),
  );
}
