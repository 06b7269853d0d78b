import type { Trace } from './model';
import { lockStats, type LockStat } from './lockStats';

const col = (v: string | number, w = 14) => String(v).padStart(w);
/**
 * µs with two decimals, rounded as kernel/locking/lockdep_proc.c's snprint_time() rounds its ns:
 * "%lld.%02d" of (ns + 5) / 1000 and the remainder / 10.
 */
function usec(ns: number): string {
  const n = Math.round(ns) + 5;
  return `${Math.floor(n / 1000)}.${String(Math.floor((n % 1000) / 10)).padStart(2, '0')}`;
}
const WIDTH = 40 + 1 + 12 * (14 + 1);
const HEADERS = [
  'con-bounces',
  'contentions',
  'waittime-min',
  'waittime-max',
  'waittime-total',
  'waittime-avg',
  'acq-bounces',
  'acquisitions',
  'holdtime-min',
  'holdtime-max',
  'holdtime-total',
  'holdtime-avg',
];

/**
 * An emulated run as /proc/lock_stat text, laid out as kernel/locking/lockdep_proc.c prints
 * version 0.4 (40-column class name, 14-column numbers, µs), so it diffs against a real one; each
 * row named as seq_stats() names it (lockStats.ts: `name:`, `name-W:`, `name-R:`).
 */
export function toLockStatText(trace: Pick<Trace, 'locks'>): string {
  const lines = [
    'lock_stat version 0.4',
    '-'.repeat(WIDTH),
    `${col('class name', 40)} ${HEADERS.map((h) => col(h)).join(' ')}`,
    '-'.repeat(WIDTH),
    '',
    ...lockStats(trace)
      .sort((a, b) => a.name.localeCompare(b.name) || (a.mode === 'write' ? -1 : 1))
      .map(row),
  ];
  return lines.join('\n') + '\n';
}

function row(r: LockStat): string {
  // seq_stats(): "%38s-W:" / "%38s-R:" with a suffix, "%40s:" without.
  const name = `${col(r.name, 40 - (r.label.length - r.name.length))}${r.label.slice(r.name.length)}:`;
  // seq_lock_time(): the average is div64_u64(total, nr), whole ns.
  const waitAvg = r.contentions ? Math.floor(r.waitTotalNs / r.contentions) : 0;
  const holdAvg = r.acquisitions ? Math.floor(r.holdTotalNs / r.acquisitions) : 0;
  const wait = `${col(r.contentions)} ${col(usec(r.waitMinNs))} ${col(usec(r.waitMaxNs))} ${col(usec(r.waitTotalNs))} ${col(usec(waitAvg))}`;
  const hold = `${col(r.acquisitions)} ${col(usec(r.holdMinNs))} ${col(usec(r.holdMaxNs))} ${col(usec(r.holdTotalNs))} ${col(usec(holdAvg))}`;
  return `${name}${col(r.contentions)} ${wait} ${col(r.acquisitions)} ${hold}`;
}
