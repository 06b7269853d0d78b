import { compareWithLog, type Comparison, type ComparisonRow } from '../compare/compareWithLog';
import { printable } from '../printable';
import { runScenario } from '../run/runScenario';
import type { Scenario } from '../scenario/model';
import { importLogText } from '../trace/import/importLog';
import { formatNs } from '../units';
import type { TwinInput } from './source';

/** Where the twin and the machine's log differ: what, and the line on each side (absent: none). */
export interface Disagreement {
  what: string;
  /** The twin's emulated log: its line number and text. */
  emulated?: { line: number; text: string };
  /** The machine's log: the input file, the line in it, its text. */
  real?: { file: string; line: number; text: string };
}

export interface SelfComparison {
  comparison: Comparison;
  disagreements: Disagreement[];
}

/** Fields that are measurements or formatting, not arithmetic: compared as times, never as facts. */
const MEASURED = new Set(['ms', 'format', 'quoted']);

/**
 * Runs the twin and compares its kernel log with the machine's: page counts, nodes, block sizes,
 * addresses (every field but the time) must be equal, and an event on one side only is a
 * disagreement too. Times are compared as `memmap-lab compare` does (ratio, not a verdict).
 */
export function compareTwin(scenario: Scenario, log: TwinInput): SelfComparison {
  const run = runScenario(scenario);
  const imported = importLogText(log.text, { name: log.file });
  const comparison = compareWithLog(run.trace, imported);
  const offset = log.lineOffset ?? 0;
  const disagreements: Disagreement[] = [];
  for (const row of comparison.rows.filter((r) => r.kind !== 'lock-class')) {
    const what = differs(row);
    if (!what) continue;
    disagreements.push({
      what,
      ...(row.emulated ? { emulated: { line: row.emulated.line, text: row.emulated.text } } : {}),
      ...(row.real
        ? { real: { file: log.file, line: row.real.line + offset, text: row.real.text } }
        : {}),
    });
  }
  return { comparison, disagreements };
}

function differs(row: ComparisonRow): string | undefined {
  if (!row.real) return `${row.kind} ${row.key}: the twin prints it, the machine's log does not`;
  if (!row.emulated)
    return `${row.kind} ${row.key}: the machine's log prints it, the twin does not`;
  const a = row.emulated.fields;
  const b = row.real.fields;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !MEASURED.has(k));
  const off = keys.filter((k) => a[k] !== b[k]);
  if (off.length === 0) return undefined;
  return `${row.kind} ${row.key}: ${off.map((k) => `${k} ${a[k] ?? '(none)'} in the twin, ${b[k] ?? '(none)'} on the machine`).join('; ')}`;
}

/** The comparison as `memmap-lab twin` prints it: the verdict, each disagreement with both lines. */
export function formatTwinComparison(sc: SelfComparison, logFile: string): string[] {
  const { matched, onlyEmulated, onlyReal } = sc.comparison;
  const n = sc.disagreements.length;
  const out = [
    `${printable(logFile)}: the twin's run against the machine's log: ${matched} event(s) paired, ${onlyEmulated} only in the twin, ${onlyReal} only on the machine; ${n ? `${n} disagreement(s)` : 'counts, offsets and sizes agree'}`,
  ];
  for (const d of sc.disagreements) {
    out.push(`  disagreement: ${printable(d.what)}`);
    out.push(
      `    twin (emulated log line ${d.emulated ? `${d.emulated.line}): ${printable(d.emulated.text)}` : '—): none'}`,
    );
    out.push(
      `    machine ${d.real ? `${printable(d.real.file)}:${d.real.line}: ${printable(d.real.text)}` : '(its log): none'}`,
    );
  }
  const timed = sc.comparison.rows.filter(
    (r) => r.predictedNs !== undefined && r.measuredNs !== undefined,
  );
  for (const r of timed) {
    out.push(
      `  time ${r.kind} ${printable(r.key)}: predicted ${formatNs(r.predictedNs!)}, measured ${formatNs(r.measuredNs!)} (±1 ms)${r.ratio === undefined ? '' : `, ratio ${r.ratio.toFixed(2)}`}`,
    );
  }
  return out;
}
