import type { Geometry } from '../arch/presets';
import type { Costs, CostName } from '../cost/profile';
import type { KernelFeatures } from '../kernel/features';
import type { Action, KThread, Scheduler } from '../sim/scheduler';
import { Lock } from '../sim/lock';
import type { Recorder } from '../trace/recorder';
import type { MachineState } from '../state/machine';
import type { DeviceRuntime } from './device';
import type { CostTerm, LockMode, SpanArgs, SpanCategory } from '../trace/model';

/** The kernel's global locks the hotplug paths take, by the names lockdep gives them. */
export class KernelLocks {
  readonly memHotplug: Lock;
  readonly cpuHotplug = new Lock('cpu_hotplug_lock', 'percpu-rwsem');
  readonly deviceHotplug = new Lock('device_hotplug_lock', 'mutex');
  private readonly pgdatResize = new Map<number, Lock>();
  private readonly zoneSpan = new Map<string, Lock>();

  constructor(design: KernelFeatures['hotplugLock']) {
    this.memHotplug = new Lock('mem_hotplug_lock', design === 'range' ? 'range' : 'percpu-rwsem');
  }

  pgdatResizeLock(nid: number): Lock {
    let l = this.pgdatResize.get(nid);
    if (!l) this.pgdatResize.set(nid, (l = new Lock(`pgdat_resize_lock/${nid}`, 'spinlock')));
    return l;
  }

  zoneSpanSeqlock(nid: number, zone: string): Lock {
    const key = `${nid}:${zone}`;
    let l = this.zoneSpan.get(key);
    if (!l) this.zoneSpan.set(key, (l = new Lock(`zone_span_seqlock/${nid}:${zone}`, 'seqlock')));
    return l;
  }
}

/** One emulated kernel: features, sizes, costs, state, clock and trace. */
export interface Kernel {
  f: KernelFeatures;
  g: Geometry;
  costs: Costs;
  state: MachineState;
  /** The scenario's devices by name, as placed on the nodes. */
  devices: Map<string, DeviceRuntime>;
  sched: Scheduler;
  rec: Recorder;
  locks: KernelLocks;
}

/** A kernel path's view of where it runs: the kernel, the thread, the scenario step behind it. */
export interface Ctx {
  k: Kernel;
  t: KThread;
  step: number;
  /** The scenario device this work is for, and its kernel dev_name() (pfn0.0, dax1.0). */
  device?: string;
  devName?: string;
}

export type Path<T = void> = Generator<Action, T, unknown>;

/**
 * Runs `body` inside a trace span named after the kernel function it emulates; `category` (its
 * colour on the timeline) is what the function does: most are hotplug plumbing.
 */
export function* span<T>(
  x: Ctx,
  name: string,
  args: SpanArgs,
  body: (id: number) => Path<T>,
  category: SpanCategory = 'hotplug',
): Path<T> {
  const at = { step: x.step, device: x.device, node: x.t.node };
  const id = x.k.rec.begin(x.t.id, name, category, { ...at, ...args });
  try {
    return yield* body(id);
  } finally {
    x.k.rec.end(id);
  }
}

/**
 * Spends virtual time on `count` units of a cost, and records the term on the span so the timeline
 * can say what made a span as long as it is.
 */
export function* work(x: Ctx, spanId: number, terms: [CostName, number, number?][]): Path {
  let ns = 0;
  const cost: CostTerm[] = [];
  for (const [name, count, scale = 1] of terms) {
    if (count <= 0) continue;
    const termNs = x.k.costs[name] * count * scale;
    ns += termNs;
    cost.push({ name, count, ns: termNs });
  }
  x.k.rec.annotate(spanId, { cost });
  if (ns > 0) yield { kind: 'work', ns: Math.round(ns) };
}

export function* acquire(x: Ctx, lock: Lock, mode: LockMode, range?: [number, number]): Path {
  const overhead =
    lock.kind === 'percpu-rwsem' && mode === 'write'
      ? x.k.costs.percpuRwsemWrite
      : x.k.costs.lockAcquire;
  yield { kind: 'acquire', lock, mode, range, overheadNs: overhead };
}

export function* release(_x: Ctx, lock: Lock): Path {
  yield { kind: 'release', lock };
}
