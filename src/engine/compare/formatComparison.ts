import { formatNs } from '../units';
import type { Comparison } from './compareWithLog';
import { printable } from '../printable';

const ms = (ns?: number) => (ns === undefined ? '—' : formatNs(ns));

/**
 * A comparison as `memmap-lab compare` prints it (and the extension's output channel): one line
 * per matched or unmatched event, predicted vs measured and their ratio, the log's line.
 */
export function formatComparison(what: string, logFile: string, cmp: Comparison): string {
  const lines = [
    `${printable(what)} vs ${printable(logFile)}: ${cmp.matched} matched, ${cmp.onlyEmulated} only emulated, ${cmp.onlyReal} only in the log`,
  ];
  lines.push(
    `  ${'event'.padEnd(28)} ${'key'.padEnd(22)} ${'predicted'.padStart(12)} ${'measured'.padStart(12)} ${'ratio'.padStart(7)}  line`,
  );
  for (const r of cmp.rows) {
    const measured = r.measuredNs !== undefined ? ms(r.measuredNs) : r.real ? 'present' : 'absent';
    const predicted =
      r.predictedNs !== undefined ? ms(r.predictedNs) : r.emulated ? 'present' : 'absent';
    const ratio = r.ratio === undefined ? '' : r.ratio.toFixed(2);
    lines.push(
      `  ${r.kind.padEnd(28)} ${printable(r.key).padEnd(22)} ${predicted.padStart(12)} ${measured.padStart(12)} ${ratio.padStart(7)}  ${r.real ? `L${r.real.line}` : ''}`,
    );
  }
  if (cmp.rows.some((r) => r.resolutionNs))
    lines.push('  the kernel prints whole milliseconds: a measured time is good to ±1 ms');
  for (const note of cmp.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}
