import type { DmesgLine, Trace } from './model';

/** dmesg's "[    5.123456] " timestamp. */
export function dmesgStamp(ns: number): string {
  const s = Math.floor(ns / 1e9);
  const us = Math.floor((ns % 1e9) / 1e3);
  return `[${String(s).padStart(5)}.${String(us).padStart(6, '0')}] `;
}

/** What a line printed before its message (an imported one), else its time as dmesg prints it. */
export function linePrefix(l: DmesgLine): string {
  return l.prefix ?? dmesgStamp(l.t);
}

/**
 * A kernel log as `dmesg` prints it, one `[    s.us] message` line each, ready to diff or import:
 * an imported log's lines keep the times (and caller ids, syslog prefixes) they printed.
 */
export function toDmesgText(trace: Pick<Trace, 'dmesg'>): string {
  return (
    trace.dmesg.map((l) => linePrefix(l) + l.text).join('\n') + (trace.dmesg.length ? '\n' : '')
  );
}
