/**
 * The long fuzz run (not a test): many more inputs per target than CI's 10 000, and the
 * differential oracle on many more scenarios. Prints counts, time and the slowest input per
 * target; on a failure, the seed, the path and fast-check's shrunk input, and exits 1.
 *   npm run fuzz                       # 100 000 inputs per target, 20 000 oracle scenarios
 *   npm run fuzz -- --runs 1000000 --seed 42 --only parser,import
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseScenario } from '../src/engine/parse/parseScenario';
import { analyse } from '../src/engine/analyse';
import { main } from '../src/cli/main';
import { importLogText, LogImporter } from '../src/engine/trace/import/importLog';
import {
  anyText,
  hostileScenario,
  logChunks,
  logShapes,
  logText,
  mutatedScenario,
  perturbedScenario,
  yamlishText,
} from '../test/oracle/fuzzInputs';
import { render, scenarioArb } from '../test/oracle/generate';
import { compareText } from '../test/oracle/compare';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const RUNS = Number(option('runs', '100000'));
const ORACLE_RUNS = Number(option('oracle-runs', String(Math.max(1000, Math.floor(RUNS / 5)))));
const SEED = Number(option('seed', String(Date.now() % 2 ** 31)));
const ONLY = option('only', 'parser,analyse,cli,import,oracle').split(',');

interface Target<T> {
  name: string;
  arb: fc.Arbitrary<T>;
  runs: number;
  /** Throws (or returns false) on a bug. */
  check: (input: T) => boolean | void;
  show: (input: T) => string;
}

const cliDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'memmap-fuzz-'));
const cliFile = join(cliDir, 'fuzz.memmap.yaml');
const located = new RegExp(`^${cliFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `);

const targets: Target<unknown>[] = [
  {
    name: 'parser',
    runs: RUNS,
    arb: fc.oneof(anyText, yamlishText, mutatedScenario, hostileScenario),
    show: String,
    check: (text) => {
      const r = parseScenario(text as string);
      return !!r.scenario || r.problems.some((p) => p.severity === 'error');
    },
  },
  {
    name: 'analyse',
    runs: RUNS,
    arb: perturbedScenario,
    show: String,
    check: (text) => void analyse(text as string),
  },
  {
    name: 'cli',
    runs: RUNS,
    arb: fc.tuple(
      fc.oneof(mutatedScenario, yamlishText),
      fc.constantFrom('check', 'run', 'inspect'),
    ),
    show: (i) => JSON.stringify(i),
    check: (input) => {
      const [text, command] = input as [string, string];
      // Bad files only, as in CI (a valid one naming a missing cost profile file is a CLI matter).
      const parsed = parseScenario(text);
      fc.pre(!parsed.scenario || parsed.problems.some((p) => p.severity === 'error'));
      writeFileSync(cliFile, text);
      const err: string[] = [];
      const code = main(
        command === 'inspect' ? [command, cliFile, '--pfn', '0x1000'] : [command, cliFile],
        () => {},
        (s) => err.push(s),
      );
      return (
        code === 2 &&
        err
          .join('\n')
          .split('\n')
          .every((l) => located.test(l))
      );
    },
  },
  {
    name: 'import (text)',
    runs: RUNS,
    arb: logText,
    show: (t) => JSON.stringify(t),
    check: (text) => void importLogText(text as string),
  },
  {
    name: 'import (shapes, 200 000 lines)',
    runs: Math.max(100, Math.floor(RUNS / 1000)),
    arb: logShapes(200_000),
    show: (t) => `${(t as string).slice(0, 300)}… (${(t as string).length} chars)`,
    check: (text) => void importLogText(text as string),
  },
  {
    name: 'import (byte chunks)',
    runs: RUNS,
    arb: logChunks,
    show: (c) => `${(c as Uint8Array[]).length} chunks`,
    check: (chunks) => {
      const imp = new LogImporter();
      for (const c of chunks as Uint8Array[]) imp.push(c);
      imp.end();
    },
  },
  {
    name: 'oracle',
    runs: ORACLE_RUNS,
    arb: scenarioArb(),
    show: (s) => {
      const text = render(s as Parameters<typeof render>[0]);
      return `${text}differences:\n${compareText(text, 30).mismatches.join('\n')}`;
    },
    check: (s) => {
      const c = compareText(render(s as Parameters<typeof render>[0]));
      return !c.skipped && c.mismatches.length === 0;
    },
  },
];

let failed = false;
console.log(`fuzz: seed ${SEED}, ${RUNS} inputs per target, ${ORACLE_RUNS} oracle scenarios`);
for (const t of targets) {
  if (!ONLY.some((o) => t.name.toLowerCase().startsWith(o.toLowerCase()))) continue;
  let slowest = 0;
  let slowInput: unknown;
  const t0 = performance.now();
  const result = fc.check(
    fc.property(t.arb, (input) => {
      const s = performance.now();
      const ok = t.check(input);
      const ms = performance.now() - s;
      if (ms > slowest) [slowest, slowInput] = [ms, input];
      return ok !== false;
    }),
    { numRuns: t.runs, seed: SEED },
  );
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `${t.name.padEnd(20)} ${String(result.numRuns).padStart(8)} inputs  ${secs.padStart(7)} s  slowest ${slowest.toFixed(1)} ms (${(typeof slowInput === 'string' ? slowInput : (JSON.stringify(slowInput) ?? '')).length} chars)  ${result.failed ? 'FAILED' : 'ok'}`,
  );
  if (result.failed) {
    failed = true;
    console.log(`  seed ${SEED}, path "${result.counterexamplePath}"`);
    if (result.errorInstance)
      console.log(`  ${(result.errorInstance as Error).stack ?? result.errorInstance}`);
    console.log(`  shrunk input:\n${t.show(result.counterexample?.[0])}`);
  }
}
rmSync(cliDir, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
