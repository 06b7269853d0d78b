import type { LockMode } from '../trace/model';

export type LockKind = 'percpu-rwsem' | 'mutex' | 'spinlock' | 'seqlock' | 'range';

/** One request on a lock: who, how, over which pfns (range locks; whole lock otherwise). */
export interface LockRequest {
  thread: number;
  mode: LockMode;
  range?: [number, number];
  /** Recorder's index of this request's LockEvent. */
  event: number;
}

/**
 * A lock with FIFO fairness: a request is granted when it conflicts with no holder and with no
 * earlier waiter. Two requests conflict when their ranges overlap (or either covers the whole lock)
 * and either writes. That single rule gives a mutex/spinlock (always write), a percpu rw-semaphore
 * (readers share; a waiting writer blocks later readers, as percpu_down_write() does), and a range
 * lock (disjoint ranges proceed in parallel) — the three hotplug-lock designs of the "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap" (2018) thread.
 */
export class Lock {
  readonly holders: LockRequest[] = [];
  readonly waiters: LockRequest[] = [];

  constructor(
    readonly name: string,
    readonly kind: LockKind,
  ) {}

  /** Queues a request; true when it is granted at once. */
  request(req: LockRequest): boolean {
    if (this.kind !== 'percpu-rwsem' && this.kind !== 'range') req.mode = 'write';
    if (this.compatible(req, this.waiters.length)) {
      this.holders.push(req);
      return true;
    }
    this.waiters.push(req);
    return false;
  }

  /** Releases the thread's hold; returns the requests granted by it, in queue order. */
  release(thread: number): LockRequest[] {
    const i = this.holders.findIndex((h) => h.thread === thread);
    if (i < 0)
      throw new Error(`${this.name}: released by thread ${thread}, which does not hold it`);
    this.holders.splice(i, 1);
    const granted: LockRequest[] = [];
    for (let w = 0; w < this.waiters.length;) {
      if (this.compatible(this.waiters[w], w)) {
        const [req] = this.waiters.splice(w, 1);
        this.holders.push(req);
        granted.push(req);
      } else w++;
    }
    return granted;
  }

  /** Compatible with every holder and with the first `before` waiters. */
  private compatible(req: LockRequest, before: number): boolean {
    if (this.holders.some((h) => conflicts(h, req))) return false;
    for (let w = 0; w < before; w++) if (conflicts(this.waiters[w], req)) return false;
    return true;
  }
}

function conflicts(a: LockRequest, b: LockRequest): boolean {
  if (a.mode === 'read' && b.mode === 'read') return false;
  if (!a.range || !b.range) return true;
  return a.range[0] < b.range[1] && b.range[0] < a.range[1];
}
