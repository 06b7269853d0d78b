/**
 * The fuzz targets' loops, in a worker thread of fuzz.test.ts: an input that never returns would
 * block the thread it runs on, so it must not be the test's. The test posts one job at a time;
 * before each input the worker posts its case number and a shortened copy, and the test's
 * watchdog terminates the worker when the next one is late, failing with the seed, the case and
 * that input.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import fc from 'fast-check';
import { parseScenario } from '../../src/engine/parse/parseScenario';
import type { Problem } from '../../src/engine/scenario/model';
import { analyse } from '../../src/engine/analyse';
import { main } from '../../src/cli/main';
import { importLogText, LogImporter } from '../../src/engine/trace/import/importLog';
import type { ImportedLog } from '../../src/engine/trace/import/types';
import {
  anyText,
  hostileScenario,
  logChunks,
  logText,
  mutatedScenario,
  perturbedScenario,
  yamlishText,
} from '../oracle/fuzzInputs';
import { EXIT } from '../../src/cli/exitCodes';

export type TargetName =
  'parseScenario' | 'analyse' | 'cli' | 'importLogText' | 'LogImporter chunks';

/** `dir`: the cli target's scratch directory, which the test owns (a terminated worker cannot clean up). */
export interface FuzzJob {
  target: TargetName;
  runs: number;
  seed: number;
  dir?: string;
}

/** Posted before each input. `n` counts every input fast-check generates, those `fc.pre` skips too: case n replays as path n - 1. */
export interface FuzzCase {
  kind: 'case';
  n: number;
  input: string;
}
/** Posted when the job passed; `counted`: the inputs whose check returned true. */
export interface FuzzDone {
  kind: 'done';
  inputs: number;
  counted: number;
}
export type FuzzMessage = FuzzCase | FuzzDone;

/** `check` throws on a bug; it returns true for the inputs the test counts (analyse: those that ran). */
interface Target<T> {
  arb: fc.Arbitrary<T>;
  check(input: T): boolean | void;
}

/** Every problem points inside the text: 1-based line and column, offsets within it. */
function checkSpans(text: string, problems: Problem[]): void {
  const lines = text.split(/\r\n|\n|\r/).length;
  for (const p of problems) {
    const s = p.span;
    assert.ok(
      Number.isInteger(s.line) && s.line >= 1 && s.line <= lines + 1,
      `line ${s.line} of ${lines}: ${p.message}`,
    );
    assert.ok(Number.isInteger(s.column) && s.column >= 1, `column ${s.column}: ${p.message}`);
    assert.ok(
      s.offset >= 0 && s.offset <= s.endOffset && s.endOffset <= text.length + 1,
      `offsets ${s.offset}-${s.endOffset} of ${text.length}: ${p.message}`,
    );
    assert.ok(typeof p.code === 'string' && p.code.length > 0 && typeof p.message === 'string');
  }
}

function checkImport(log: ImportedLog): void {
  assert.ok(log.summary && Array.isArray(log.events));
  for (const e of log.events)
    assert.ok(e.line >= 1 && e.endLine >= e.line, `event lines ${e.line}-${e.endLine}`);
  assert.ok(
    log.unknownLines.length <= Math.max(1, log.summary.lines),
    'unknown lines bounded by the lines read',
  );
}

const parserInput = fc.oneof(
  { arbitrary: anyText, weight: 3 },
  { arbitrary: yamlishText, weight: 3 },
  { arbitrary: mutatedScenario, weight: 5 },
  { arbitrary: hostileScenario, weight: 1 },
);

const parser: Target<string> = {
  arb: parserInput,
  check: (text) => {
    const r = parseScenario(text);
    checkSpans(text, r.problems);
    if (!r.scenario)
      assert.ok(
        r.problems.some((p) => p.severity === 'error'),
        'no scenario without an error saying why',
      );
  },
};

const analyser: Target<string> = {
  arb: perturbedScenario,
  check: (text) => {
    const a = analyse(text);
    checkSpans(text, a.diagnostics);
    return !!a.run;
  },
};

function cli(dir: string | undefined): Target<[string, string]> {
  assert.ok(dir, 'the cli target writes its scenario files to a directory the test gives it');
  const file = join(dir, 'fuzz.memmap.yaml');
  const located = new RegExp(
    `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: (error|warning|info) [a-z-]+: `,
  );
  return {
    arb: fc.tuple(
      fc.oneof(mutatedScenario, yamlishText),
      fc.constantFrom('check', 'run', 'inspect'),
    ),
    check: ([text, command]) => {
      const parsed = parseScenario(text);
      // Bad files only: valid ones run, and analyse() is fuzzed on its own.
      fc.pre(!parsed.scenario || parsed.problems.some((p) => p.severity === 'error'));
      writeFileSync(file, text);
      const out: string[] = [];
      const err: string[] = [];
      const argv = command === 'inspect' ? [command, file, '--pfn', '0x1000'] : [command, file];
      const code = main(
        argv,
        (s) => out.push(s),
        (s) => err.push(s),
      );
      const all = [...out, ...err].join('\n');
      assert.ok(!/\n\s+at .+\(.*:\d+:\d+\)/.test(all), `a stack trace:\n${all}`);
      assert.equal(code, EXIT.diagnostics.code, `exit ${code} for a file that does not parse`);
      const lines = err.join('\n').split('\n');
      assert.ok(
        lines.length > 0 && lines.every((l) => located.test(l)),
        `not file:line:col:\n${err.join('\n')}`,
      );
    },
  };
}

const textImporter: Target<string> = {
  arb: logText,
  check: (text) => checkImport(importLogText(text)),
};

const chunkImporter: Target<Uint8Array[]> = {
  arb: logChunks,
  check: (chunks) => {
    const imp = new LogImporter({ name: 'fuzz' });
    for (const c of chunks) imp.push(c);
    checkImport(imp.end());
  },
};

function target({ target: name, dir }: FuzzJob): Target<unknown> {
  switch (name) {
    case 'parseScenario':
      return parser;
    case 'analyse':
      return analyser;
    case 'cli':
      return cli(dir);
    case 'importLogText':
      return textImporter;
    case 'LogImporter chunks':
      return chunkImporter;
  }
}

const HEAD = 200;

/** Enough of an input to recognise it in a failure; the seed and case number replay it whole. */
function shorten(input: unknown): string {
  if (typeof input === 'string')
    return input.length <= HEAD
      ? JSON.stringify(input)
      : `${JSON.stringify(input.slice(0, HEAD))}… (${input.length} chars)`;
  if (input instanceof Uint8Array)
    return `${input.length} bytes ${JSON.stringify(Buffer.from(input.subarray(0, HEAD)).toString('latin1'))}${input.length > HEAD ? '…' : ''}`;
  if (Array.isArray(input)) return `[${input.map(shorten).join(', ')}]`;
  return String(input);
}

function post(m: FuzzMessage): void {
  parentPort!.postMessage(m);
}

function run(job: FuzzJob): FuzzDone {
  const { arb, check } = target(job);
  let n = 0;
  let counted = 0;
  const property = fc.property(arb, (input) => {
    post({ kind: 'case', n: ++n, input: shorten(input) });
    if (check(input) === true) counted++;
  });
  // The failing check's error goes in the message itself: an error's `cause` does not survive the trip to the test's thread.
  fc.assert(property, {
    numRuns: job.runs,
    seed: job.seed,
    endOnFailure: false,
    includeErrorInReport: true,
  });
  return { kind: 'done', inputs: n, counted };
}

// A failed check throws out of here: the test gets fast-check's report (seed, path, shrunk input) as the worker's error.
parentPort!.on('message', (job: FuzzJob) => post(run(job)));
