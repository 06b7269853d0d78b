import type { LockEvent } from './model';

/** What a flow needs of a lock event (the trace's LockEvent, the timeline's TimelineLock). */
type Held = Pick<LockEvent, 'lock' | 'requested' | 'acquired' | 'released' | 'contended'>;

/** A contended lock wait and the release that ended it: indices into the lock events. */
export interface LockFlow {
  /** The hold whose release let the waiter in. */
  from: number;
  /** The wait it ended. */
  to: number;
}

/**
 * For each contended wait, the release of the same lock that ended it: the last release inside
 * the wait (a reader-writer lock's waiter gets in when its last holder leaves). Drawn as an
 * arrow from release to grant on the timeline, and as flow events in the Chrome JSON export, as
 * Perfetto draws flows. Linear in lock events plus a sort.
 */
export function lockFlows(locks: readonly Held[]): LockFlow[] {
  const releases = new Map<string, number[]>();
  locks.forEach((l, i) => {
    if (l.released !== undefined)
      (releases.get(l.lock) ?? releases.set(l.lock, []).get(l.lock)!).push(i);
  });
  for (const list of releases.values())
    list.sort((a, b) => locks[a].released! - locks[b].released!);
  const flows: LockFlow[] = [];
  locks.forEach((w, to) => {
    if (!w.contended || w.acquired === undefined) return;
    const list = releases.get(w.lock) ?? [];
    // The last release at or before the grant (binary search on the sorted release times).
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (locks[list[mid]].released! <= w.acquired) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo - 1; k >= 0; k--) {
      const from = list[k];
      if (locks[from].released! < w.requested) break;
      if (from !== to) {
        flows.push({ from, to });
        break;
      }
    }
  });
  return flows;
}
