/**
 * Benchmarks (not tests): wall time and memory of emulating machines from 1 GiB to 1 PiB, and
 * the issue-7 headline case. Prints a table and writes bench/results/engine.json.
 *   npm run bench
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyse } from '../src/engine/analyse';
import { inspectPfn, pfnHistory } from '../src/engine/run/inspect';
import { parseScenario } from '../src/engine/parse/parseScenario';
import { LIMITS } from '../src/engine/scenario/limits';
import { flowListScenario, pageOpsScenario, pmemMachine } from './scenarios';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time<T>(fn: () => T, runs = 7): { ms: number; value: T } {
  let value!: T;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = fn();
    samples.push(performance.now() - t0);
  }
  return { ms: median(samples), value };
}

const rows: Record<string, unknown>[] = [];
const gc = (globalThis as { gc?: () => void }).gc;

// The headline: 8 nodes × (3 TiB pmem + 384 GiB RAM), full probe + teardown.
{
  const text = pmemMachine(8, '3TiB');
  gc?.();
  const before = process.memoryUsage().rss;
  const { ms, value } = time(() => analyse(text));
  const rss = process.memoryUsage().rss;
  const emulatedNs = value.run!.trace.endNs;
  rows.push({
    case: '8 nodes × 3 TiB probe+teardown',
    wallMs: +ms.toFixed(2),
    rssMB: +(rss / 2 ** 20).toFixed(1),
    rssGrowthMB: +((rss - before) / 2 ** 20).toFixed(1),
    emulatedS: +(emulatedNs / 1e9).toFixed(2),
    speedup: Math.round(emulatedNs / 1e6 / ms),
  });
  const run = value.run!;
  const pfn = run.devices[7].layout!.dataPfn + 123456789;
  rows.push({
    case: 'inspect one pfn of that machine',
    wallMs: +time(() => inspectPfn(run, pfn), 101).ms.toFixed(4),
  });
  rows.push({
    case: 'history of one pfn across its steps',
    wallMs: +time(() => pfnHistory(run, pfn), 101).ms.toFixed(4),
  });
}

// The editor's cases: live diagnostics on a 500-line scenario; a pfn's history across 1000 steps.
{
  const text = pageOpsScenario(245); // 500 lines
  rows.push({
    case: `analyse a ${text.split('\n').length - 1}-line scenario (live diagnostics)`,
    wallMs: +time(() => analyse(text), 11).ms.toFixed(2),
  });
  const many = analyse(pageOpsScenario(500)).run!; // 1003 steps
  const pfn = many.devices[0].layout!.dataPfn;
  rows.push({
    case: `history of a pfn across ${many.steps.length} steps`,
    wallMs: +time(() => pfnHistory(many, pfn), 21).ms.toFixed(2),
  });
  const atLimit = pageOpsScenario(Math.floor((LIMITS.steps - 3) / 2));
  const spans = analyse(atLimit).run!.trace.spans.length;
  rows.push({
    case: `${LIMITS.steps}-step scenario (the limit)`,
    wallMs: +time(() => analyse(atLimit), 3).ms.toFixed(1),
    spans,
  });
}

// Parsing, as the editor does after every pause in typing: the worst shapes the text limit allows,
// beside a bare line scan of the same text (the floor any parser pays).
for (const [what, text] of [
  [`${LIMITS.steps} steps, one per line`, pageOpsScenario(Math.floor((LIMITS.steps - 3) / 2))],
  [`${LIMITS.textBytes / 1024} KiB of one flow list`, flowListScenario(LIMITS.textBytes)],
] as const) {
  const scan = time(() => text.split('\n').length, 11).ms;
  const { ms, value } = time(() => parseScenario(text), 5);
  rows.push({
    case: `parse ${what} (${(text.length / 1024).toFixed(0)} KiB)`,
    wallMs: +ms.toFixed(1),
    lineScanMs: +scan.toFixed(2),
    problems: value.problems.length,
  });
}

// Scaling: total device memory from 1 GiB to 1 PiB (8 nodes), time and memory per run.
for (const total of ['1GiB', '16GiB', '256GiB', '4TiB', '64TiB', '1PiB']) {
  const perNode = sizeDiv(total, 8);
  const text = pmemMachine(8, perNode, '16GiB');
  const { ms, value } = time(() => analyse(text), 5);
  const run = value.run!;
  rows.push({
    case: `scaling: ${total} of pmem`,
    wallMs: +ms.toFixed(2),
    retainedKiB: retainedKiB(() => analyse(text)),
    spans: run.trace.spans.length,
    pageRuns: run.state.pages.current.size,
    sectionRuns: run.state.sections.current.size,
    changes: run.state.pages.log.length + run.state.sections.log.length,
  });
}

/** Heap a run's result keeps alive (the model the views and hovers hold): ten runs kept across a GC, averaged. */
function retainedKiB(fn: () => unknown, copies = 10): number | undefined {
  if (!gc) return undefined;
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = Array.from({ length: copies }, fn);
  gc();
  const after = process.memoryUsage().heapUsed;
  if (kept.length !== copies) throw new Error('unreachable: keeps `kept` alive across the GC');
  return Math.round((after - before) / 1024 / copies);
}

function sizeDiv(total: string, n: number): string {
  const m = /^(\d+)(GiB|TiB|PiB)$/.exec(total)!;
  const units = ['GiB', 'TiB', 'PiB'];
  let value = Number(m[1]) * 1024;
  let unit = units.indexOf(m[2]) - 1;
  value /= n;
  while (unit < 0 || (value >= 1024 && value % 1024 === 0 && unit < 2)) {
    if (unit < 0) {
      unit = 0;
      continue;
    }
    value /= 1024;
    unit++;
  }
  return unit === -1 ? `${value}MiB` : `${value}${['MiB', 'GiB', 'TiB', 'PiB'][unit]}`;
}

console.table(rows);
mkdirSync(join(__dirname, 'results'), { recursive: true });
writeFileSync(
  join(__dirname, 'results', 'engine.json'),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2),
);
