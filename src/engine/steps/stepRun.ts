import type { Geometry } from '../arch/presets';
import type { Ctx, Kernel } from '../runtime/context';
import type { DeviceRuntime } from '../runtime/device';
import type { PfnRef, Step } from '../scenario/model';
import type { Pgmap } from '../state/machine';
import type { DiagnosticCode } from '../trace/diagnosticCodes';
import { formatSize, hex } from '../units';

export type StepOutcome = 'ok' | 'failed' | 'blocked' | 'killed' | 'not-run';

export interface StepStatus {
  index: number;
  op: string;
  start?: number;
  end?: number;
  outcome: StepOutcome;
  /** Why it failed, in the user's terms. */
  error?: string;
  /** A probe step's devices that did not probe. */
  devicesFailed?: string[];
}

/** A mistake in a step found while running it (no such device, pfn outside it). */
export interface StepProblem {
  step: number;
  code: DiagnosticCode;
  message: string;
  field?: string;
  /**
   * The step could not run because this device's probe had failed earlier: a consequence, not a
   * mistake of its own.
   */
  notProbed?: string;
}

/** One step as it runs: where it runs, the devices it names, and how it reports a mistake. */
export class StepRun {
  constructor(
    readonly x: Ctx,
    private readonly step: Step,
    private readonly problems: StepProblem[],
    readonly status: StepStatus,
  ) {}

  get k(): Kernel {
    return this.x.k;
  }

  /** A finding that does not stop the step. */
  report(code: DiagnosticCode, message: string, field?: string, notProbed?: string): void {
    this.problems.push({ step: this.step.index, code, message, field, notProbed });
  }

  /** A mistake that stops the step: reported, and returned as the step's error. */
  fail(
    message: string,
    field?: string,
    code: DiagnosticCode = 'invalid-step',
    notProbed?: string,
  ): string {
    this.report(code, message, field, notProbed);
    return message;
  }

  device(name: string): DeviceRuntime | undefined {
    return this.k.devices.get(name);
  }

  /** A device whose probe failed: later steps on it fail as a consequence. */
  failed(dev: DeviceRuntime): string | undefined {
    return dev.state === 'failed' ? dev.spec.name : undefined;
  }

  /** A probed device and its pgmap, or the step's error. */
  live(name: string): { dev: DeviceRuntime; pgmap: Pgmap } | string {
    const dev = this.device(name);
    if (!dev) return this.fail(`no device named '${name}'`, 'device');
    if (!dev.pgmap || dev.state !== 'live') {
      return this.fail(
        `device '${name}' is not probed (its state is ${dev.state})`,
        'device',
        'invalid-step',
        this.failed(dev),
      );
    }
    return { dev, pgmap: dev.pgmap };
  }

  /** Where the kernel path for one device runs: this step, on behalf of that device. */
  on(name: string | undefined, dev: DeviceRuntime | undefined): Ctx {
    return { ...this.x, device: name, devName: dev?.devName };
  }
}

/** `+offset` counts from the device's byte 0 (its first data pfn); otherwise an absolute pfn. */
export function resolvePfn(g: Geometry, ref: PfnRef, dev: DeviceRuntime | undefined): number {
  if (!ref.relative || !dev) return ref.value;
  const base = dev.layout ? dev.layout.dataPfn : Math.floor(dev.placed[0].start / g.pageSize);
  return base + ref.value;
}

/** A memory-block step's error (`online`, `offline`, `remove_memory`), or none. */
export function rangeFailed(
  step: { op: string; start: number; size: number },
  err: number,
): string | undefined {
  return err
    ? `${step.op} ${hex(step.start)} (${formatSize(step.size)}) failed: ${err}`
    : undefined;
}
