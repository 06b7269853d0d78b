import type { Trace } from './model';

/** dmesg's "[    5.123456] " timestamp. */
export function dmesgStamp(ns: number): string {
  const s = Math.floor(ns / 1e9);
  const us = Math.floor((ns % 1e9) / 1e3);
  return `[${String(s).padStart(5)}.${String(us).padStart(6, '0')}] `;
}

/** A run's kernel log as `dmesg` prints it, one `[    s.us] message` line each, ready to diff or import. */
export function toDmesgText(trace: Pick<Trace, 'dmesg'>): string {
  return trace.dmesg.map((l) => dmesgStamp(l.t) + l.text).join('\n') + (trace.dmesg.length ? '\n' : '');
}
