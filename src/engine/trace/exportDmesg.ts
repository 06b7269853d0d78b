import { dmesgStamp } from '../run/summary';
import type { Trace } from './model';

/** A run's kernel log as `dmesg` prints it, one `[    s.us] message` line each, ready to diff or import. */
export function toDmesgText(trace: Pick<Trace, 'dmesg'>): string {
  return trace.dmesg.map((l) => dmesgStamp(l.t) + l.text).join('\n') + (trace.dmesg.length ? '\n' : '');
}
