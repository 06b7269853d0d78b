import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LIMITS } from '../../src/engine/scenario/limits';
import { analyse } from '../../src/engine/analyse';
import type { FuzzCase, FuzzDone, FuzzJob, FuzzMessage, TargetName } from './fuzzWorker';

/**
 * Fuzzing: any input gives a result or positioned problems — never a throw, never a stall.
 * FUZZ_RUNS (default 10 000 per target) and FUZZ_SEED vary it; `npm run fuzz` runs many more.
 * Each target runs in a worker (fuzzWorker.ts), so a stall fails the test instead of hanging it.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 0x66757a7a);
/** Generous per-input ceilings: a stall, not a slow machine, should trip them. */
const PARSE_MS = 2_000;
const ANALYSE_MS = 5_000;
/** Loading tsx, the engine and the fuzz inputs in a fresh worker, before its first input. */
const STARTUP_MS = 30_000;
/** Node 20 workers do not get tsx's `--import` hooks, so the worker registers tsx's require hook itself. */
const BOOT = `require('tsx/cjs/api').register(); require(${JSON.stringify(join(__dirname, 'fuzzWorker.ts'))});`;

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

function stalled(target: TargetName, last: FuzzCase | undefined, ms: number): Error {
  if (!last)
    return new Error(
      `${target}: the worker posted no input within ${STARTUP_MS} ms of getting the job`,
    );
  const replay = `FUZZ_SEED=${SEED} runs into it again; fast-check alone replays it with { seed: ${SEED}, path: "${last.n - 1}" }`;
  return new Error(
    `${target}: case ${last.n} did not return within ${ms} ms (${replay})\ninput: ${last.input}`,
  );
}

/** Settles with the worker's report on one job, or fails when an input takes longer than `ms`. */
function watch(worker: Worker, target: TargetName, ms: number): Promise<FuzzDone> {
  let stop = () => {};
  return new Promise<FuzzDone>((resolve, reject) => {
    let last: FuzzCase | undefined;
    const stall = () => reject(stalled(target, last, ms));
    let watchdog = setTimeout(stall, STARTUP_MS);
    const onMessage = (m: FuzzMessage) => {
      clearTimeout(watchdog);
      if (m.kind === 'done') return resolve(m);
      last = m;
      watchdog = setTimeout(stall, ms);
    };
    const onError = (e: Error) => reject(new Error(`${target}: ${e.message}`));
    const onExit = (code: number) =>
      reject(new Error(`${target}: the worker exited (${code}) before it finished`));
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    // Only these listeners: removing all of a Worker's also cuts it off from its later messages.
    stop = () => {
      clearTimeout(watchdog);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    };
  }).finally(() => stop());
}

/** The worker of the last job, when it returned: reusing it skips loading tsx, the engine and the inputs again (~1 s). */
let spare: Worker | undefined;

function takeWorker(): Worker {
  const worker = spare ?? new Worker(BOOT, { eval: true });
  spare = undefined;
  // An idle spare must not keep the test process alive; a running job's watchdog timer does.
  worker.unref();
  return worker;
}

/** Runs one target's loop in a worker; a worker that failed or stalled is terminated, never reused. */
async function fuzzInWorker(job: FuzzJob, ms: number): Promise<FuzzDone> {
  const worker = takeWorker();
  worker.postMessage(job);
  try {
    const done = await watch(worker, job.target, ms);
    spare = worker;
    return done;
  } catch (e) {
    await worker.terminate();
    throw e;
  }
}

async function runFuzz(
  t: { diagnostic(m: string): void },
  target: TargetName,
  ms: number,
  dir?: string,
): Promise<FuzzDone> {
  const done = await fuzzInWorker({ target, runs: RUNS, seed: SEED, dir }, ms);
  t.diagnostic(`${target}: ${done.inputs} inputs`);
  return done;
}

test(`fuzz: the scenario parser never throws and positions every problem (${RUNS} inputs)`, async (t) => {
  await runFuzz(t, 'parseScenario', PARSE_MS);
});

test(`fuzz: analyse() of perturbed scenarios returns diagnostics, never throws (${RUNS} inputs)`, async (t) => {
  const { counted: ran } = await runFuzz(t, 'analyse', ANALYSE_MS);
  t.diagnostic(`${ran} of them ran`);
  assert.ok(ran > RUNS / 5, 'most perturbed scenarios should still run');
});

test(`fuzz: the CLI on bad files exits 1 with file:line:col messages, never a stack trace (${RUNS} inputs)`, async (t) => {
  // tmpfs where there is one: 10 000 writes to an overlay /tmp take seconds.
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'memmap-fuzz-'));
  try {
    await runFuzz(t, 'cli', ANALYSE_MS, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(`fuzz: the log importers never throw, on text or on byte chunks (${RUNS} inputs each)`, async (t) => {
  await runFuzz(t, 'importLogText', PARSE_MS);
  await runFuzz(t, 'LogImporter chunks', PARSE_MS);
});

test('limits: absurd scenarios get a clear positioned error quickly', () => {
  const head = (extra = '') =>
    `name: t\narch: x86_64\nkernel: v6.4\nmachine:\n  nodes:\n    - { ram: 16GiB, cpus: 4, pmem: 16GiB }\n${extra}`;
  const cases: { name: string; text: string; line: number; message: RegExp }[] = [
    {
      name: 'too big',
      text: 'x'.repeat(LIMITS.textBytes + 1),
      line: 1,
      message: new RegExp(`the limit is ${LIMITS.textBytes}`),
    },
    {
      name: '200 000 unclosed {',
      text: 'a: ' + '{'.repeat(200_000),
      line: 1,
      message: /nests deeper than 64 levels/,
    },
    {
      name: '100 000 - - -',
      text: 'a:\n  ' + '- '.repeat(100_000) + 'x',
      line: 2,
      message: /more than 64 nested '- ' indicators/,
    },
    {
      name: 'indentation',
      text: 'a:\n' + Array.from({ length: 600 }, (_, i) => ' '.repeat(i + 1) + '- ').join('\n'),
      line: 514,
      message: /indented 513 columns; the limit is 512/,
    },
    {
      name: 'ram past 4 PiB',
      text: head().replace('ram: 16GiB', 'ram: 4097TiB'),
      line: 6,
      message: /beyond the 52-bit physical address space/,
    },
    {
      name: 'huge hex',
      text: head().replace('ram: 16GiB', `ram: 0x${'f'.repeat(100_000)}`),
      line: 6,
      message: /beyond the 52-bit physical address space/,
    },
    {
      name: 'nodes laid out past 4 PiB',
      text: `name: t\narch: x86_64\nkernel: v6.4\nmachine:\n  nodes:\n${'    - { ram: 4TiB, cpus: 8, pmem: 4TiB }\n'.repeat(1024)}steps: [boot]\n`,
      line: 518,
      message: /ends beyond the 52-bit physical address space/,
    },
    {
      name: 'too many CPUs',
      text: `name: t\narch: x86_64\nkernel: v6.4\nmachine:\n  nodes:\n${'    - { ram: 4TiB, cpus: 4096 }\n'.repeat(1024)}steps: [boot]\n`,
      line: 8,
      message: /more than 8192 CPUs/,
    },
    {
      name: 'too many steps',
      text: head() + 'steps:\n' + '  - boot\n'.repeat(LIMITS.steps + 1),
      line: 8,
      message: new RegExp(`${LIMITS.steps + 1} steps; the limit is ${LIMITS.steps}`),
    },
    {
      name: 'too many devices',
      text: head('devices:\n' + '  - {name: d, mode: fsdax}\n'.repeat(LIMITS.devices + 1)),
      line: 8,
      message: /4097 devices; the limit is 4096/,
    },
    {
      name: 'too many ranges',
      text: head('  ram:\n' + '    - {node: 0, start: 0, size: 2MiB}\n'.repeat(LIMITS.ranges + 1)),
      line: 8,
      message: /4097 machine.ram ranges; the limit is 4096/,
    },
    {
      name: 'range past 4 PiB',
      text: head(
        'devices:\n  - {name: g, type: generic, ranges: [{start: 0xfffffffe00000, size: 4MiB}]}\n',
      ),
      line: 8,
      message: /beyond the 52-bit physical address space/,
    },
    {
      name: 'alias where a step goes',
      text: head('devices:\n  - &d {name: a, mode: fsdax}\n') + 'steps:\n  - boot\n  - *d\n',
      line: 11,
      message: /a step is one operation/,
    },
    {
      name: 'merge key',
      text: head('devices:\n  - &d {name: a, mode: fsdax}\n  - {<<: *d, name: b}\n'),
      line: 9,
      message: /unknown key '<<'/,
    },
    {
      name: 'duplicate key',
      text: head() + 'name: again\n',
      line: 7,
      message: /duplicate key 'name'/,
    },
  ];
  for (const c of cases) {
    // Refused before any work in proportion to the absurdity: seconds on a busy machine, not a hang.
    const [r, ms] = timed(() => analyse(c.text));
    assert.ok(ms < 30_000, `${c.name}: ${ms} ms`);
    const p = r.diagnostics.find((d) => c.message.test(d.message));
    assert.ok(
      p,
      `${c.name}: got ${r.diagnostics
        .slice(0, 3)
        .map((d) => d.message)
        .join('; ')}`,
    );
    assert.equal(p.severity, 'error', c.name);
    assert.equal(p.span.line, c.line, `${c.name}: ${p.span.line}:${p.span.column} ${p.message}`);
    assert.equal(r.run, undefined, `${c.name}: not run`);
  }
});

test('limits: long runs stay linear — 2 499 probe/remove cycles, 4 500 failing steps', () => {
  const head = `name: t\narch: x86_64\nkernel: v6.4\nmachine:\n  nodes:\n    - { ram: 16GiB, cpus: 4, pmem: 16GiB }\ndevices:\n  - {name: a, mode: fsdax, map: mem, size: 1GiB}\nsteps:\n  - boot\n`;
  // Before, each probe scanned every pgmap ever made: 100 000 steps took 13 minutes. Ten times the
  // steps must take about ten times as long (a quadratic cost takes a hundred), measured side by
  // side so that a busy machine slows both alike.
  const cycles = (n: number) => head + '  - probe: [a]\n  - remove: [a]\n'.repeat(n);
  const [, ms0] = timed(() => analyse(cycles(250)));
  const [big, ms] = timed(() => analyse(cycles(2_499)));
  assert.equal(big.run!.devices[0].state, 'removed');
  assert.ok(ms < 30 * ms0 + 2_000, `${ms} ms for 4 998 steps, ${ms0} ms for 500`);
  // A device never probed (an unknown name is a parse error, not a failing step).
  const failing = (n: number) => head + '  - map: {device: a, pfn: 1}\n'.repeat(n);
  const [, ms1] = timed(() => analyse(failing(450)));
  const [many, ms2] = timed(() => analyse(failing(4_500)));
  assert.equal(many.diagnostics.filter((d) => d.code === 'invalid-step').length, 4_500);
  assert.ok(ms2 < 30 * ms1 + 2_000, `${ms2} ms for 4 500 failing steps, ${ms1} ms for 450`);
});
