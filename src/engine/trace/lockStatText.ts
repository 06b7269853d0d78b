import type { Trace } from './model';
import { lockStats } from './lockStats';

const col = (v: string | number, w: number) => String(v).padStart(w);
const usec = (ns: number) => (ns / 1000).toFixed(2);

/**
 * An emulated run as /proc/lock_stat text (version 0.4 layout, times in µs), so it diffs
 * against a real one: one row per class and mode, "-R"/"-W" for read and write.
 */
export function toLockStatText(trace: Pick<Trace, 'locks'>): string {
  const header = [
    'lock_stat version 0.4',
    '-'.repeat(183),
    `${col('class name', 40)} ${col('con-bounces', 12)} ${col('contentions', 12)} ${col('waittime-min', 14)} ${col('waittime-max', 14)} ${col('waittime-total', 16)} ${col('waittime-avg', 14)} ${col('acq-bounces', 12)} ${col('acquisitions', 13)} ${col('holdtime-min', 14)} ${col('holdtime-max', 14)} ${col('holdtime-total', 16)} ${col('holdtime-avg', 14)}`,
    '-'.repeat(183),
    '',
  ];
  const rows = lockStats(trace).map((r) => {
    const name = `${r.name}-${r.mode === 'read' ? 'R' : 'W'}:`;
    const waitAvg = r.contentions ? r.waitTotalNs / r.contentions : 0;
    const holdAvg = r.acquisitions ? r.holdTotalNs / r.acquisitions : 0;
    return `${col(name, 40)} ${col(r.contentions, 12)} ${col(r.contentions, 12)} ${col(usec(r.waitMinNs), 14)} ${col(usec(r.waitMaxNs), 14)} ${col(usec(r.waitTotalNs), 16)} ${col(usec(waitAvg), 14)} ${col(r.acquisitions, 12)} ${col(r.acquisitions, 13)} ${col(usec(r.holdMinNs), 14)} ${col(usec(r.holdMaxNs), 14)} ${col(usec(r.holdTotalNs), 16)} ${col(usec(holdAvg), 14)}`;
  });
  return [...header, ...rows.flatMap((r) => [r, '']), ''].join('\n');
}
