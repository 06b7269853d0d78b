import type { Instant } from '../trace/model';
import type { StepProblem } from '../steps/stepRun';
import type { RunResult } from './runScenario';

/** A device that did not probe: the kernel's words for why, and what that stopped later. */
export interface ProbeFailure {
  device: string;
  /** The probe step. */
  step: number;
  /** The WARN, BUG or driver error that failed the probe. */
  cause: Instant;
  /** What the driver printed after it ("probe of pfn0.0 failed with error -22"), in order. */
  printed: Instant[];
  /** Later steps that could not run because the device was not probed. */
  stopped: StepProblem[];
}

const cache = new WeakMap<RunResult, ProbeFailure[]>();

/**
 * Every failed probe of the run. The cause is the last WARN/BUG/error of the device's probe
 * before the driver's "probe failed" line (an earlier WARN_ONCE that the probe survived stays a
 * finding of its own); drivers/base/dd.c prints that line for the error the cause returned.
 */
export function probeFailures(run: RunResult): ProbeFailure[] {
  const known = cache.get(run);
  if (known) return known;
  const out: ProbeFailure[] = [];
  for (const st of run.steps) {
    for (const device of st.devicesFailed ?? []) {
      const lines = run.trace.instants.filter(
        (e) =>
          e.step === st.index && e.device === device && (e.level === 'warn' || e.level === 'bug'),
      );
      const first = lines.findIndex((e) => e.code === 'probe-failed');
      const before = first < 0 ? lines : lines.slice(0, first);
      const printed = first < 0 ? [] : lines.slice(first).filter((e) => e.code === 'probe-failed');
      const cause = before.at(-1) ?? printed.shift();
      if (!cause) continue;
      const stopped = run.stepProblems.filter((p) => p.notProbed === device && p.step > st.index);
      out.push({ device, step: st.index, cause, printed, stopped });
    }
  }
  cache.set(run, out);
  return out;
}

/** Why `device` did not probe (a failed device stays failed: probe refuses it again). */
export function deviceFailure(run: RunResult, device: string): ProbeFailure | undefined {
  return probeFailures(run).find((f) => f.device === device);
}
