import type { LockEvent, LockMode, Trace } from './model';

/** One /proc/lock_stat row: a lock class in one mode. */
export interface LockStat {
  name: string;
  mode: LockMode;
  /** The row's name as lock_stat prints it: see lockStatLabels(). */
  label: string;
  contentions: number;
  waitMinNs: number;
  waitMaxNs: number;
  waitTotalNs: number;
  acquisitions: number;
  holdMinNs: number;
  holdMaxNs: number;
  holdTotalNs: number;
}

/** lock_stat groups by class: pgdat_resize_lock/0 and /1 are one class. */
export function lockClass(name: string): string {
  return name.split('/')[0];
}

/**
 * /proc/lock_stat's numbers from lock events. A contention is an acquisition that had to wait;
 * wait times count only contended acquisitions, as lock_stat's waittime does.
 */
export function lockStats(trace: Pick<Trace, 'locks'>): LockStat[] {
  const rows = new Map<string, LockStat>();
  for (const e of trace.locks) {
    const key = `${lockClass(e.lock)}\0${e.mode}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        name: lockClass(e.lock),
        mode: e.mode,
        label: '',
        contentions: 0,
        waitMinNs: 0,
        waitMaxNs: 0,
        waitTotalNs: 0,
        acquisitions: 0,
        holdMinNs: 0,
        holdMaxNs: 0,
        holdTotalNs: 0,
      };
      rows.set(key, row);
    }
    add(row, e);
  }
  return lockStatLabels(
    [...rows.values()].sort((a, b) => a.name.localeCompare(b.name) || a.mode.localeCompare(b.mode)),
  );
}

/**
 * Names each row as kernel/locking/lockdep_proc.c: seq_stats() prints it: the read row
 * `name-R`; the write row `name-W` only when the class was also held for reading
 * (`read_holdtime.nr`), else plain `name`. So a mutex, a spinlock or a seqlock, which are only
 * ever taken for writing, is never `-W`.
 */
function lockStatLabels(rows: LockStat[]): LockStat[] {
  const readHeld = new Set(
    rows.filter((r) => r.mode === 'read' && r.acquisitions > 0).map((r) => r.name),
  );
  for (const r of rows)
    r.label = r.mode === 'read' ? `${r.name}-R` : readHeld.has(r.name) ? `${r.name}-W` : r.name;
  return rows;
}

function add(row: LockStat, e: LockEvent): void {
  if (e.acquired === undefined) return;
  const wait = e.acquired - e.requested;
  if (e.contended) {
    row.waitMinNs = row.contentions === 0 ? wait : Math.min(row.waitMinNs, wait);
    row.waitMaxNs = Math.max(row.waitMaxNs, wait);
    row.waitTotalNs += wait;
    row.contentions++;
  }
  if (e.released === undefined) return;
  const hold = e.released - e.acquired;
  row.holdMinNs = row.acquisitions === 0 ? hold : Math.min(row.holdMinNs, hold);
  row.holdMaxNs = Math.max(row.holdMaxNs, hold);
  row.holdTotalNs += hold;
  row.acquisitions++;
}
