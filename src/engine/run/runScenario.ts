import { findArch, resolveGeometry, type Geometry } from '../arch/presets';
import { DEFAULT_PROFILE, type CostName, type CostProfile, type Costs } from '../cost/profile';
import { KernelLocks, type Kernel } from '../runtime/context';
import type { KernelFeatures } from '../kernel/features';
import { resolveKernel } from '../kernel/presets';
import { releaseOf } from '../kernel/version';
import type { Scenario } from '../scenario/model';
import { Scheduler } from '../sim/scheduler';
import type { DeviceRuntime } from '../runtime/device';
import { MachineState } from '../state/machine';
import { Recorder } from '../trace/recorder';
import type { Trace } from '../trace/model';
import { runSteps } from './execute';
import type { StepProblem, StepStatus } from '../steps/stepRun';
import { layoutNodes, placeDevices } from './layout';

export interface RunOptions {
  /** Kernel preset instead of the scenario's. */
  variant?: string;
  /** Feature overrides on top of the preset (and of the scenario's own). */
  features?: Partial<KernelFeatures>;
  /** The cost profile, when the scenario names a file: the caller reads it (the engine reads no files). */
  costProfile?: CostProfile;
  /** Run steps 0..untilStep only ("Run to here"). */
  untilStep?: number;
  /** Cost overrides on top of the profile and under the scenario's own `cost.overrides` (the editor's setting). */
  costOverrides?: Partial<Record<CostName, number>>;
  /** The long-hold threshold for a scenario whose `options` set none (the editor's setting). */
  longLockThresholdNs?: number;
  /** pr_debug lines reach the run's dmesg, as with `dyndbg="file mm/mm_init.c +p; …"` on the kernel command line. */
  dyndbg?: boolean;
}

export interface BlockedTask {
  thread: string;
  on: string;
  since: number;
  step?: number;
  device?: string;
}

/** Everything one emulated run produced: the rules, the summary and the views read this. */
export interface RunResult {
  scenario: Scenario;
  variant: string;
  features: KernelFeatures;
  geometry: Geometry;
  costs: Costs;
  trace: Trace;
  state: MachineState;
  /** The scenario's options with the caller's defaults filled in (resolveOptions). */
  options: Scenario['options'];
  devices: DeviceRuntime[];
  steps: StepStatus[];
  stepProblems: StepProblem[];
  placementProblems: ReturnType<typeof placeDevices>['problems'];
  blocked: BlockedTask[];
  killed: { thread: string; reason: string }[];
  /** The highest value each counter reached (vmemmap in use at its peak). */
  peaks: Record<string, number>;
}

/** The kernel's hung-task detector (hung_task_timeout_secs). */
export const HUNG_TASK_TIMEOUT_NS = 120e9;

export function resolveFeatures(
  s: Scenario,
  options: RunOptions = {},
): { variant: string; features: KernelFeatures } {
  const variant = options.variant ?? s.kernel.name;
  const k = resolveKernel(variant, s.arch.name);
  if ('error' in k) throw new Error(`unknown kernel '${variant}': ${k.error}`);
  const own = options.variant && options.variant !== s.kernel.name ? {} : s.kernel.overrides;
  return { variant, features: { ...k.features, ...own, ...options.features } };
}

/** The scenario's options, with the run's long-hold threshold where the scenario sets none. */
export function resolveOptions(s: Scenario, options: RunOptions = {}): Scenario['options'] {
  if (options.longLockThresholdNs === undefined || s.options.longLockThresholdFrom === 'scenario')
    return s.options;
  return { longLockThresholdNs: options.longLockThresholdNs, longLockThresholdFrom: 'setting' };
}

/**
 * Emulates a parsed scenario. Deterministic: the same scenario and options give the same trace,
 * byte for byte. Never reads files or the clock; throws only on engine bugs.
 */
export function runScenario(s: Scenario, options: RunOptions = {}): RunResult {
  const { variant, features } = resolveFeatures(s, options);
  const arch = findArch(s.arch.name);
  if (!arch) throw new Error(`unknown arch '${s.arch.name}'`);
  const geometry = resolveGeometry(arch, releaseOf(features), s.machine.structPageSize);
  const profile = options.costProfile ?? DEFAULT_PROFILE;
  const costs = {
    ...DEFAULT_PROFILE.costs,
    ...profile.costs,
    ...options.costOverrides,
    ...s.cost.overrides,
  };
  const clock = { now: 0 };
  const rec = new Recorder(clock, options.dyndbg);
  const sched = new Scheduler(rec, clock);
  const nodes = layoutNodes(s);
  const state = new MachineState(nodes);
  state.autoOnline = s.machine.autoOnline;
  state.onlinePolicy = s.machine.onlinePolicy;
  const placed = placeDevices(s, nodes);
  const devices = new Map(placed.devices.map((d) => [d.spec.name, d]));
  const k: Kernel = {
    f: features,
    g: geometry,
    costs,
    state,
    devices,
    sched,
    rec,
    locks: new KernelLocks(features.hotplugLock),
  };
  const steps = s.steps.filter(
    (st) => options.untilStep === undefined || st.index <= options.untilStep,
  );
  const status: StepStatus[] = s.steps.map((st) => ({
    index: st.index,
    op: st.op,
    outcome: 'not-run',
  }));
  const stepProblems: StepProblem[] = [];
  const main = sched.spawn('scenario', undefined, (t) =>
    runSteps(k, t, steps, status, stepProblems),
  );
  sched.run();

  const blocked: BlockedTask[] = [];
  const killed: RunResult['killed'] = [];
  for (const t of sched.blocked()) {
    const step = t === main ? status.find((st) => st.outcome === 'blocked')?.index : undefined;
    blocked.push({
      thread: t.name,
      on: t.blockedOn ?? 'unknown',
      since: t.blockedSince ?? sched.now,
      step,
    });
    rec.printk(
      {
        level: 'warn',
        code: 'hung-task',
        step,
        thread: t.id,
        text: `INFO: task ${t.name}:${1000 + t.id} blocked for more than 120 seconds.`,
        lines: [
          `INFO: task ${t.name}:${1000 + t.id} blocked for more than 120 seconds.`,
          '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
        ],
      },
      (t.blockedSince ?? sched.now) + HUNG_TASK_TIMEOUT_NS,
    );
  }
  for (const t of sched.dead()) killed.push({ thread: t.name, reason: t.dead ?? 'oops' });
  for (const st of status) {
    if (st.outcome === 'blocked' && !blocked.some((b) => b.step === st.index)) {
      st.outcome = 'killed';
      st.end = st.start;
      st.error = 'the task died in a kernel BUG';
    }
  }
  return {
    scenario: s,
    variant,
    features,
    geometry,
    costs,
    trace: rec.trace(),
    state,
    options: resolveOptions(s, options),
    devices: placed.devices,
    steps: status,
    stepProblems,
    placementProblems: placed.problems,
    blocked,
    killed,
    peaks: Object.fromEntries(rec.peaks()),
  };
}
