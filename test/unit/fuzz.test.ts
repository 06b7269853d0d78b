import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseScenario, LIMITS } from '../../src/engine/scenario/parse';
import type { Problem } from '../../src/engine/scenario/model';
import { analyse } from '../../src/engine/analyse';
import { main } from '../../src/cli/main';
import { importLogText, LogImporter } from '../../src/engine/trace/import/importLog';
import type { ImportedLog } from '../../src/engine/trace/import/types';
import { anyText, hostileScenario, logChunks, logText, mutatedScenario, perturbedScenario, yamlishText } from '../oracle/fuzzInputs';

/**
 * Fuzzing: any input gives a result or positioned problems — never a throw, never a stall.
 * FUZZ_RUNS (default 10 000 per target) and FUZZ_SEED vary it; `npm run fuzz` runs many more.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 0x66757a7a);
/** Generous per-input ceilings: a stall, not a slow machine, should trip them. */
const PARSE_MS = 2_000;
const ANALYSE_MS = 5_000;

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

/** Every problem points inside the text: 1-based line and column, offsets within it. */
function checkSpans(text: string, problems: Problem[]): void {
  const lines = text.split(/\r\n|\n|\r/).length;
  for (const p of problems) {
    const s = p.span;
    assert.ok(Number.isInteger(s.line) && s.line >= 1 && s.line <= lines + 1, `line ${s.line} of ${lines}: ${p.message}`);
    assert.ok(Number.isInteger(s.column) && s.column >= 1, `column ${s.column}: ${p.message}`);
    assert.ok(s.offset >= 0 && s.offset <= s.endOffset && s.endOffset <= text.length + 1, `offsets ${s.offset}-${s.endOffset} of ${text.length}: ${p.message}`);
    assert.ok(typeof p.code === 'string' && p.code.length > 0 && typeof p.message === 'string');
  }
}

function runFuzz<T>(t: { diagnostic(m: string): void }, name: string, arb: fc.Arbitrary<T>, check: (input: T) => void, runs = RUNS): void {
  let n = 0;
  fc.assert(fc.property(arb, (input) => {
    n++;
    check(input);
  }), { numRuns: runs, seed: SEED, endOnFailure: false });
  t.diagnostic(`${name}: ${n} inputs`);
}

const parserInput = fc.oneof(
  { arbitrary: anyText, weight: 3 },
  { arbitrary: yamlishText, weight: 3 },
  { arbitrary: mutatedScenario, weight: 5 },
  { arbitrary: hostileScenario, weight: 1 },
);

test(`fuzz: the scenario parser never throws and positions every problem (${RUNS} inputs)`, (t) => {
  runFuzz(t, 'parseScenario', parserInput, (text) => {
    const [r, ms] = timed(() => parseScenario(text));
    assert.ok(ms < PARSE_MS, `parse took ${ms} ms`);
    checkSpans(text, r.problems);
    if (!r.scenario) assert.ok(r.problems.some((p) => p.severity === 'error'), 'no scenario without an error saying why');
  });
});

test(`fuzz: analyse() of perturbed scenarios returns diagnostics, never throws (${RUNS} inputs)`, (t) => {
  let ran = 0;
  runFuzz(t, 'analyse', perturbedScenario, (text) => {
    const [a, ms] = timed(() => analyse(text));
    assert.ok(ms < ANALYSE_MS, `analyse took ${ms} ms`);
    checkSpans(text, a.diagnostics);
    if (a.run) ran++;
  });
  t.diagnostic(`${ran} of them ran`);
  assert.ok(ran > RUNS / 5, 'most perturbed scenarios should still run');
});

test(`fuzz: the CLI on bad files exits 2 with file:line:col messages, never a stack trace (${RUNS} inputs)`, (t) => {
  // tmpfs where there is one: 10 000 writes to an overlay /tmp take seconds.
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'memmap-fuzz-'));
  const file = join(dir, 'fuzz.memmap.yaml');
  const located = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: (error|warning|info) [a-z-]+: `);
  try {
    runFuzz(t, 'cli', fc.tuple(fc.oneof(mutatedScenario, yamlishText), fc.constantFrom('check', 'run', 'inspect')), ([text, command]) => {
      const parsed = parseScenario(text);
      // Bad files only: valid ones run, and analyse() is fuzzed on its own above.
      fc.pre(!parsed.scenario || parsed.problems.some((p) => p.severity === 'error'));
      writeFileSync(file, text);
      const out: string[] = [];
      const err: string[] = [];
      const argv = command === 'inspect' ? [command, file, '--pfn', '0x1000'] : [command, file];
      const code = main(argv, (s) => out.push(s), (s) => err.push(s));
      const all = [...out, ...err].join('\n');
      assert.ok(!/\n\s+at .+\(.*:\d+:\d+\)/.test(all), `a stack trace:\n${all}`);
      assert.equal(code, 2, `exit ${code} for a file that does not parse`);
      const lines = err.join('\n').split('\n');
      assert.ok(lines.length > 0 && lines.every((l) => located.test(l)), `not file:line:col:\n${err.join('\n')}`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function checkImport(log: ImportedLog): void {
  assert.ok(log.summary && Array.isArray(log.events));
  for (const e of log.events) assert.ok(e.line >= 1 && e.endLine >= e.line, `event lines ${e.line}-${e.endLine}`);
  assert.ok(log.unknownLines.length <= Math.max(1, log.summary.lines), 'unknown lines bounded by the lines read');
}

test(`fuzz: the log importers never throw, on text or on byte chunks (${RUNS} inputs each)`, (t) => {
  runFuzz(t, 'importLogText', logText, (text) => {
    const [log, ms] = timed(() => importLogText(text));
    assert.ok(ms < PARSE_MS, `import took ${ms} ms`);
    checkImport(log);
  });
  runFuzz(t, 'LogImporter chunks', logChunks, (chunks) => {
    const imp = new LogImporter({ name: 'fuzz' });
    for (const c of chunks) imp.push(c);
    checkImport(imp.end());
  });
});

test('limits: absurd scenarios get a clear positioned error quickly', () => {
  const head = (extra = '') => `name: t\narch: x86_64\nkernel: v6.4\nmachine:\n  nodes:\n    - { ram: 16GiB, cpus: 4, pmem: 16GiB }\n${extra}`;
  const cases: { name: string; text: string; line: number; message: RegExp }[] = [
    { name: 'too big', text: 'x'.repeat(LIMITS.textBytes + 1), line: 1, message: /the limit is 8388608/ },
    { name: 'a million unclosed {', text: 'a: ' + '{'.repeat(1_000_000), line: 1, message: /nests deeper than 64 levels/ },
    { name: 'a million - - -', text: 'a:\n  ' + '- '.repeat(1_000_000) + 'x', line: 2, message: /more than 64 nested '- ' indicators/ },
    { name: 'indentation', text: 'a:\n' + Array.from({ length: 600 }, (_, i) => ' '.repeat(i + 1) + '- ').join('\n'), line: 514, message: /indented 513 columns; the limit is 512/ },
    { name: 'ram past 4 PiB', text: head().replace('ram: 16GiB', 'ram: 4097TiB'), line: 6, message: /beyond the 52-bit physical address space/ },
    { name: 'huge hex', text: head().replace('ram: 16GiB', `ram: 0x${'f'.repeat(100_000)}`), line: 6, message: /beyond the 52-bit physical address space/ },
    { name: 'nodes laid out past 4 PiB', text: `name: t\narch: x86_64\nkernel: v6.4\nmachine:\n  nodes:\n${'    - { ram: 4TiB, cpus: 8, pmem: 4TiB }\n'.repeat(1024)}steps: [boot]\n`, line: 518, message: /ends beyond the 52-bit physical address space/ },
    { name: 'too many CPUs', text: `name: t\narch: x86_64\nkernel: v6.4\nmachine:\n  nodes:\n${'    - { ram: 4TiB, cpus: 4096 }\n'.repeat(1024)}steps: [boot]\n`, line: 8, message: /more than 8192 CPUs/ },
    { name: 'too many steps', text: head() + 'steps:\n' + '  - boot\n'.repeat(LIMITS.steps + 1), line: 8, message: /100001 steps; the limit is 100000/ },
    { name: 'too many devices', text: head('devices:\n' + '  - {name: d, mode: fsdax}\n'.repeat(LIMITS.devices + 1)), line: 8, message: /4097 devices; the limit is 4096/ },
    { name: 'too many ranges', text: head('  ram:\n' + '    - {node: 0, start: 0, size: 2MiB}\n'.repeat(LIMITS.ranges + 1)), line: 8, message: /4097 machine.ram ranges; the limit is 4096/ },
    { name: 'range past 4 PiB', text: head('devices:\n  - {name: g, type: generic, ranges: [{start: 0xfffffffe00000, size: 4MiB}]}\n'), line: 8, message: /beyond the 52-bit physical address space/ },
    { name: 'alias where a step goes', text: head('devices:\n  - &d {name: a, mode: fsdax}\n') + 'steps:\n  - boot\n  - *d\n', line: 11, message: /a step is one operation/ },
    { name: 'merge key', text: head('devices:\n  - &d {name: a, mode: fsdax}\n  - {<<: *d, name: b}\n'), line: 9, message: /unknown key '<<'/ },
    { name: 'duplicate key', text: head() + 'name: again\n', line: 7, message: /duplicate key 'name'/ },
  ];
  for (const c of cases) {
    const [r, ms] = timed(() => analyse(c.text));
    assert.ok(ms < 3_000, `${c.name}: ${ms} ms`);
    const p = r.diagnostics.find((d) => c.message.test(d.message));
    assert.ok(p, `${c.name}: got ${r.diagnostics.slice(0, 3).map((d) => d.message).join('; ')}`);
    assert.equal(p.severity, 'error', c.name);
    assert.equal(p.span.line, c.line, `${c.name}: ${p.span.line}:${p.span.column} ${p.message}`);
    assert.equal(r.run, undefined, `${c.name}: not run`);
  }
});

test('limits: long runs stay linear — 5 000 probe/remove cycles, 20 000 failing steps', () => {
  const head = `name: t\narch: x86_64\nkernel: v6.4\nmachine:\n  nodes:\n    - { ram: 16GiB, cpus: 4, pmem: 16GiB }\ndevices:\n  - {name: a, mode: fsdax, map: mem, size: 1GiB}\nsteps:\n  - boot\n`;
  // Before, each probe scanned every pgmap ever made: 100 000 steps took 13 minutes.
  const [cycles, ms] = timed(() => analyse(head + '  - probe: [a]\n  - remove: [a]\n'.repeat(5_000)));
  assert.equal(cycles.run!.devices[0].state, 'removed');
  assert.ok(ms < 10_000, `${ms} ms for 10 000 steps`);
  const [failing, ms2] = timed(() => analyse(head + '  - map: {device: nope, pfn: 1}\n'.repeat(20_000)));
  assert.equal(failing.diagnostics.filter((d) => d.code === 'invalid-step').length, 20_000);
  assert.ok(ms2 < 10_000, `${ms2} ms for 20 000 failing steps`);
});
