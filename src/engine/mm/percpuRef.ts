import type { Ctx, Path } from '../runtime/context';
import { info, warn } from '../runtime/printk';
import type { Pgmap, PercpuRef } from '../state/machine';

/** percpu_ref_init(): one initial reference, per-cpu mode. */
export function percpuRefInit(release: string): PercpuRef {
  return { count: 1, mode: 'percpu', killed: false, release, released: false };
}

/** The summed count at time t, counting a put loop's progress so far. */
export function refCountAt(ref: PercpuRef, t: number): number {
  if (!ref.draining) return ref.count;
  const { t0, perNs, total } = ref.draining;
  const done = perNs <= 0 ? total : Math.min(total, Math.max(0, Math.floor((t - t0) / perNs)));
  return ref.count - done;
}

export function* percpuRefGet(x: Ctx, pgmap: Pgmap, n: number): Path {
  pgmap.ref.count += n;
  x.k.rec.count(`pgmapRefs:${pgmap.device}`, n);
  yield* [];
}

/** percpu_ref_put_many(): in atomic mode, reaching exactly zero runs the release. */
export function* percpuRefPut(x: Ctx, pgmap: Pgmap, n: number): Path {
  const before = pgmap.ref.count;
  pgmap.ref.count -= n;
  x.k.rec.count(`pgmapRefs:${pgmap.device}`, -n);
  if (pgmap.ref.mode === 'atomic' && before > 0 && pgmap.ref.count === 0) yield* releaseRef(pgmap);
}

/**
 * A loop of `total` single puts spread over the time the caller then spends on them, so the RCU
 * callback of a concurrent kill sees a partly drained count (the "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap" (2018) thread's -1530626).
 */
export function startDrain(x: Ctx, pgmap: Pgmap, total: number, perNs: number): void {
  pgmap.ref.draining = { t0: x.k.sched.now, perNs, total };
}

export function* finishDrain(x: Ctx, pgmap: Pgmap): Path {
  const d = pgmap.ref.draining;
  if (!d) return;
  pgmap.ref.draining = undefined;
  yield* percpuRefPut(x, pgmap, d.total);
}

/**
 * percpu_ref_kill(): drop the initial ref and switch to atomic mode after an RCU grace period;
 * percpu_ref_switch_to_atomic_rcu() WARNs if the summed count is not positive then.
 */
export function* percpuRefKill(x: Ctx, pgmap: Pgmap): Path {
  const ref = pgmap.ref;
  ref.killed = true;
  ref.count -= 1;
  x.k.rec.count(`pgmapRefs:${pgmap.device}`, -1);
  const grace = x.k.costs.rcuGracePeriod;
  yield {
    kind: 'spawn',
    name: `rcu_preempt`,
    node: x.t.node,
    body: function* (t) {
      yield { kind: 'work', ns: grace };
      const count = refCountAt(ref, x.k.sched.now);
      ref.mode = 'atomic';
      const rcu: Ctx = { ...x, t };
      // __percpu_ref_switch_to_atomic() holds one more reference until the switch is confirmed:
      // the WARN sees (and prints) the count plus that one.
      const seen = count + 1;
      if (seen <= 0) {
        // A WARN_ONCE(), but teardown then waits forever on pgmap->done, so a run sees one at most.
        warn(
          rcu,
          'pgmap-ref-underflow',
          `percpu ref (${ref.release}) <= 0 (${seen}) after switching to atomic`,
          'lib/percpu-refcount.c',
          { count: seen, release: ref.release },
          'percpu_ref_switch_to_atomic_rcu',
        );
        // From v5.12 (3375efeddf69) a pr_err() follows, then mem_dump_obj() of the ref's data,
        // whose slab address and cache the emulator does not have: those lines are not printed.
        if (x.k.f.refUnderflowErr)
          info(rcu, 'percpu_ref_switch_to_atomic_rcu(): percpu_ref underflow');
      } else if (count === 0 && !ref.draining) {
        yield* releaseRef(pgmap);
      }
    },
  };
}

/** The release function: dev_pagemap_percpu_release() completes pgmap->done. */
function* releaseRef(pgmap: Pgmap): Path {
  if (pgmap.ref.released) return;
  pgmap.ref.released = true;
  yield { kind: 'complete', completion: pgmap.done };
}
