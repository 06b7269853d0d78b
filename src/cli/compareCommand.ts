import { compareRuns, type Comparison } from '../engine/compare/compareRuns';
import { formatNs } from '../engine/units';
import type { Args } from './args';
import { importFile } from './importCommand';
import { CliError } from './io';
import { analyseFile } from './runCommand';

/** memmap-lab compare <scenario> <log> [--json]: predicted vs measured, matched by device/node and order. */
export function compareCommand(args: Args, out: (s: string) => void): number {
  const [file, logFile] = args.positional;
  if (!file || !logFile) throw new CliError('usage: memmap-lab compare <scenario> <log> [--variant P] [--json]');
  const analysis = analyseFile(file, args);
  const log = importFile(logFile);
  if (log.error) throw new CliError(`${logFile}: ${log.error}`);
  const cmp = compareRuns(analysis.run!.trace, log);
  if (args.flags.has('--json')) out(JSON.stringify(cmp, null, 2));
  else out(formatComparison(`${analysis.scenario!.name} (kernel ${analysis.run!.variant})`, logFile, cmp));
  return 0;
}

const ms = (ns?: number) => (ns === undefined ? '—' : formatNs(ns));

export function formatComparison(what: string, logFile: string, cmp: Comparison): string {
  const lines = [`${what} vs ${logFile}: ${cmp.matched} matched, ${cmp.onlyEmulated} only emulated, ${cmp.onlyReal} only in the log`];
  lines.push(`  ${'event'.padEnd(28)} ${'key'.padEnd(22)} ${'predicted'.padStart(12)} ${'measured'.padStart(12)} ${'ratio'.padStart(7)}  line`);
  for (const r of cmp.rows) {
    const measured = r.measuredNs !== undefined ? ms(r.measuredNs) : r.real ? 'present' : 'absent';
    const predicted = r.predictedNs !== undefined ? ms(r.predictedNs) : r.emulated ? 'present' : 'absent';
    const ratio = r.ratio === undefined ? '' : r.ratio.toFixed(2);
    lines.push(`  ${r.kind.padEnd(28)} ${r.key.padEnd(22)} ${predicted.padStart(12)} ${measured.padStart(12)} ${ratio.padStart(7)}  ${r.real ? `L${r.real.line}` : ''}`);
  }
  if (cmp.rows.some((r) => r.resolutionNs)) lines.push('  the kernel prints whole milliseconds: a measured time is good to ±1 ms');
  return lines.join('\n');
}
