import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { importLogText } from '../../../../src/engine/trace/import/importLog';
import { parseScenario } from '../../../../src/engine/parse/parseScenario';
import { analyseRequest } from '../../../../src/extension/worker/analyseRequest';
import { importLogFileSync } from '../../../../src/files/importLogFile';
import { WorkerClient } from '../../../../src/extension/runs/workerClient';
import type { RunRequest, RunSettings } from '../../../../src/protocol/worker';
import { exampleText, ROOT } from '../../helpers';

const example = exampleText('three-tib-per-node');
const settings: RunSettings = { costOverrides: {}, traceDetail: 'full' };
const request = (text: string, more: Partial<RunRequest> = {}): RunRequest => ({
  type: 'run',
  id: 1,
  key: 'k',
  text,
  settings,
  ...more,
});
const pmem0InitNs = (r: ReturnType<typeof analyseRequest>) =>
  r.payload.summary!.nodes[0].devices[0].initNs;

test('the worker run: the same analysis as the CLI, plain data for the host', () => {
  const { payload, run } = analyseRequest(request(example));
  assert.equal(payload.variant, 'v4.20');
  assert.equal(payload.scenario?.name, 'Three TiB of pmem per node');
  assert.deepEqual(
    payload.expectations.map((e) => e.pass),
    [true, true, true, true, true],
  );
  assert.ok(run);
  structuredClone(payload); // what postMessage does: throws on closures
  const broken = analyseRequest(request('steps: ['));
  assert.equal(broken.run, undefined);
  assert.equal(broken.payload.diagnostics[0].code, 'scenario-syntax');
});

test("settings: cost overrides under the scenario's own, long-lock threshold only where the scenario has none", () => {
  const base = pmem0InitNs(analyseRequest(request(example)));
  const slower = analyseRequest(
    request(example, { settings: { ...settings, costOverrides: { structPageStorePmem: 30 } } }),
  );
  assert.ok(pmem0InitNs(slower) > base * 1.3, `${pmem0InitNs(slower)} vs ${base}`);
  const own = example.replace(
    'cost: default',
    'cost: { overrides: { structPageStorePmem: 15.72 } }',
  );
  assert.equal(
    pmem0InitNs(
      analyseRequest(
        request(own, { settings: { ...settings, costOverrides: { structPageStorePmem: 30 } } }),
      ),
    ),
    base,
  );
  const strict = { ...settings, longLockThresholdNs: 1e6 };
  assert.equal(
    analyseRequest(request(example, { settings: strict })).payload.scenario?.options
      .longLockThresholdNs,
    5e9,
    'the scenario says 5s',
  );
  const noOptions = example.replace(/options:\n {2}long-lock-threshold: 5s\n/, '');
  const judged = analyseRequest(request(noOptions, { settings: strict })).payload;
  const codes = judged.diagnostics.map((d) => d.code);
  assert.ok(codes.includes('long-hotplug-lock-hold'), codes.join());
  assert.deepEqual(
    judged.scenario?.options,
    { longLockThresholdNs: 1e6, longLockThresholdFrom: 'setting' },
    'the lock view names the setting',
  );
});

test('settings: trace detail "spans" drops cost terms and counter samples', () => {
  const full = analyseRequest(request(example)).payload.trace!;
  const spans = analyseRequest(
    request(example, { settings: { ...settings, traceDetail: 'spans' } }),
  ).payload.trace!;
  assert.ok(full.counters.length > 0 && full.spans.some((s) => s.args.cost));
  assert.equal(spans.counters.length, 0);
  assert.equal(spans.spans.length, full.spans.length);
  assert.ok(spans.spans.every((s) => s.args.cost === undefined));
});

test('the worker reads the cost profile next to the scenario; one that cannot be read is a problem on cost:', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memmap-worker-'));
  const scenarioFile = join(dir, 's.memmap.yaml');
  const text = example.replace('cost: default', 'cost: mine.cost.json');
  writeFileSync(
    join(dir, 'mine.cost.json'),
    '{ "name": "mine", "costs": { "structPageStorePmem": 30 } }',
  );
  const fitted = analyseRequest(request(text, { scenarioFile }));
  assert.ok(pmem0InitNs(fitted) > pmem0InitNs(analyseRequest(request(example))) * 1.3);
  const missing = analyseRequest(
    request(text.replace('mine.cost.json', 'gone.cost.json'), { scenarioFile }),
  );
  assert.equal(missing.run, undefined);
  assert.ok(
    missing.payload.diagnostics.some(
      (d) => d.message === 'cannot read cost profile gone.cost.json: ENOENT' && d.span.line === 7,
    ),
  );
  // The extension reads the profile as soon as a scenario opens, in untrusted workspaces too: a
  // symlink out of the folder, a directory and a huge file are refused, and no byte of them reaches the message.
  symlinkSync('/etc/passwd', join(dir, 'passwd.cost.json'));
  mkdirSync(join(dir, 'dir.cost.json'));
  writeFileSync(join(dir, 'big.cost.json'), `{ "costs": {} ${' '.repeat(2 << 20)}}`);
  const message = (name: string) =>
    analyseRequest(
      request(text.replace('mine.cost.json', name), { scenarioFile }),
    ).payload.diagnostics.find((d) => d.span.line === 7)?.message;
  assert.equal(
    message('passwd.cost.json'),
    "cost profile passwd.cost.json is outside the scenario's folder",
  );
  assert.equal(
    message('dir.cost.json'),
    'cannot read cost profile dir.cost.json: it is a directory, not a regular file',
  );
  assert.equal(
    message('big.cost.json'),
    'cannot read cost profile big.cost.json: over the 1 MiB limit for a cost profile',
  );
});

/** The worker as esbuild bundles it for the extension. */
async function workerScript(): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'memmap-worker-')), 'runWorker.js');
  await build({
    entryPoints: [join(ROOT, 'src/extension/runWorker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'error',
  });
  return outfile;
}

/**
 * A scenario whose run takes seconds: the example's two 3 TiB namespaces removed and probed again
 * and again (each hold of the hotplug lock over its threshold is a finding too).
 */
function slowScenario(cycles: number): string {
  const base = example.split('expect:')[0].replace('  - remove: [pmem0, pmem1]\n', '');
  return base + '  - remove: [pmem0, pmem1]\n  - probe: [pmem0, pmem1]\n'.repeat(cycles);
}

/** Waits until the worker says it began request `id` (the client keeps that to itself). */
async function executing(client: WorkerClient, id: number): Promise<void> {
  const state = client as unknown as { executing?: number };
  for (let waited = 0; state.executing !== id; waited += 10) {
    if (waited > 20_000) throw new Error(`request ${id} never started in the worker`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test(
  'the worker client: a worker that dies mid-run fails that run with a reason, and the next run gets a new worker',
  { timeout: 60_000 },
  async () => {
    const log: string[] = [];
    const client = new WorkerClient(await workerScript(), (l) => log.push(l));
    try {
      const slow = client.run({ type: 'run', key: 'b', text: slowScenario(1_000), settings });
      await executing(client, slow.id);
      // What an out-of-memory kill looks like from the host: the thread is gone.
      await (client as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      await assert.rejects(slow.done, /run worker exited with code 1/);
      assert.deepEqual(log, ['run worker stopped: run worker exited with code 1']);
      assert.equal(
        (await client.run({ type: 'run', key: 'a', text: example, settings }).done)?.variant,
        'v4.20',
      );
    } finally {
      client.dispose();
    }
  },
);

test(
  'the worker client: runs and queries by key; cancelling a running run restarts the worker and keeps the queue',
  { timeout: 60_000 },
  async () => {
    const log: string[] = [];
    const client = new WorkerClient(await workerScript(), (l) => log.push(l));
    try {
      const quick = await client.run({ type: 'run', key: 'a', text: example, settings }).done;
      assert.equal(quick?.variant, 'v4.20');
      const page = await client.query({
        type: 'query',
        key: 'a',
        name: 'resolvePfn',
        args: { text: 'pmem0+0x1000' },
      });
      assert.deepEqual(page.result, { pfn: 0x6c01200 });

      const slow = client.run({ type: 'run', key: 'b', text: slowScenario(1_000), settings });
      const queued = client.run({ type: 'run', key: 'c', text: example, settings });
      await executing(client, slow.id);
      const t0 = Date.now();
      client.cancel(slow.id);
      assert.equal(await slow.done, undefined);
      assert.ok(Date.now() - t0 < 500, 'cancel does not wait for the run');
      assert.equal((await queued.done)?.variant, 'v4.20', 'the queued run went to the new worker');
      const gone = await client.query({
        type: 'query',
        key: 'a',
        name: 'resolvePfn',
        args: { text: '1' },
      });
      assert.equal(gone.missing, true, "the old worker's results went with it");
      assert.deepEqual(log, []);
    } finally {
      client.dispose();
    }
  },
);

test(
  'the worker client: a scenario is parsed in the worker as the CLI parses it, before the runs queued ahead of it',
  { timeout: 60_000 },
  async () => {
    const client = new WorkerClient(await workerScript(), () => undefined);
    try {
      const order: string[] = [];
      const slow = client.run({ type: 'run', key: 'b', text: slowScenario(300), settings });
      await executing(client, slow.id);
      const queued = client.run({ type: 'run', key: 'c', text: example, settings });
      const parsed = client.parse(example);
      await Promise.all([
        slow.done.then(() => order.push('slow run')),
        queued.done.then(() => order.push('queued run')),
        parsed.then(() => order.push('parse')),
      ]);
      // The editor's diagnostics and lenses wait for the parse, not for a run queued before it.
      assert.deepEqual(order, ['slow run', 'parse', 'queued run']);
      assert.deepEqual(await parsed, parseScenario(example));
      const broken = await client.parse('steps: [');
      assert.equal(broken.scenario, undefined);
      assert.equal(broken.problems[0].code, 'scenario-syntax');
    } finally {
      client.dispose();
    }
  },
);

test(
  'the worker client: a kernel log imported in the worker is the log the CLI imports, with progress up to its size',
  { timeout: 60_000 },
  async () => {
    const file = join(ROOT, 'test/fixtures/logs/nvdimm-devdax-5.10-rc3.log');
    const client = new WorkerClient(await workerScript(), () => undefined);
    try {
      const reads: [number, number][] = [];
      const { done } = client.import(
        { type: 'import', name: 'nvdimm-devdax-5.10-rc3.log', file },
        (read, size) => reads.push([read, size]),
      );
      const answer = await done;
      assert.deepEqual(answer.log, importLogFileSync(file));
      assert.deepEqual(
        answer.log,
        importLogText(readFileSync(file, 'utf8'), { name: 'nvdimm-devdax-5.10-rc3.log' }),
      );
      assert.deepEqual(reads, [[statSync(file).size, statSync(file).size]]);
      const missing = await client.import({
        type: 'import',
        name: 'gone.log',
        file: join(ROOT, 'gone.log'),
      }).done;
      assert.match(missing.error ?? '', /^cannot read .*gone\.log: ENOENT$/);
      const bytes = await client.import({
        type: 'import',
        name: 'x.log',
        bytes: new TextEncoder().encode(readFileSync(file, 'utf8')),
      }).done;
      assert.deepEqual(
        bytes.log,
        answer.log,
        'a log that came as bytes (another file system) imports the same',
      );
    } finally {
      client.dispose();
    }
  },
);

test(
  'the worker client: Cancel stops a large import in the worker between chunks; the worker stays and serves the host meanwhile',
  { timeout: 120_000 },
  async () => {
    // 64 MiB of a real log: far more chunks than the worker parses before the host answers its first progress.
    const block = Buffer.from(
      readFileSync(join(ROOT, 'test/fixtures/logs/s390-percpu-ref-obj-cgroup.log'), 'utf8').repeat(
        300,
      ),
    );
    const file = join(mkdtempSync(join(tmpdir(), 'memmap-import-')), 'big.log');
    const fd = openSync(file, 'w');
    for (let n = 0; n < (64 << 20) / block.length; n++) writeSync(fd, block);
    closeSync(fd);
    const size = statSync(file).size;
    const log: string[] = [];
    const client = new WorkerClient(await workerScript(), (l) => log.push(l));
    try {
      const reads: number[] = [];
      let first!: () => void;
      const started = new Promise<void>((resolve) => (first = resolve));
      const { id, done } = client.import({ type: 'import', name: 'big.log', file }, (read) => {
        reads.push(read);
        first();
      });
      let ended = false;
      void done.then(() => (ended = true));
      await started;
      const worker = (client as unknown as { worker: object }).worker;
      // While it imports, the worker answers the host between chunks.
      const answer = await client.query({
        type: 'query',
        key: 'none',
        name: 'resolvePfn',
        args: { text: '1' },
      });
      assert.equal(answer.missing, true);
      assert.equal(ended, false, 'the import was still under way when the query was answered');
      client.cancel(id);
      const result = await done;
      assert.deepEqual(
        [result.cancelled, result.log],
        [true, undefined],
        'the worker says it stopped, with no log',
      );
      assert.ok(reads.at(-1)! < size, `stopped after ${reads.at(-1)} of ${size} bytes`);
      assert.equal(
        (client as unknown as { worker: object }).worker,
        worker,
        'stopped by a message, not by terminating the worker',
      );
      const next = await client.import({
        type: 'import',
        name: 'nd.log',
        file: join(ROOT, 'test/fixtures/logs/nd-pmem-namespace-errors.txt'),
      }).done;
      assert.equal(
        next.log?.summary.byKind['nvdimm-namespace-error'],
        2,
        'the same worker imports the next log',
      );
      assert.deepEqual(log, []);
    } finally {
      client.dispose();
    }
  },
);
