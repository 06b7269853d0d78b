import type { PrintedTime } from './model';

/**
 * A printed time for a reader: `303.441089 s`, `+0.004886 s` (a delta), `Mon Jun 29 18:28:41
 * 2021`, with the syslog date, `dmesg -d`'s delta and the log segment when there are any.
 */
export function formatPrinted(p: PrintedTime): string {
  const time = p.clock === 'wall' ? p.text : `${p.text} s`;
  const parts = [p.segment ? `segment ${p.segment}` : '', p.wall ?? '', time].filter((x) => x);
  return parts.join(' · ') + (p.delta ? ` (+${p.delta} s)` : '');
}
