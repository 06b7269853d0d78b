/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunSnapshot } from '../../src/extension/runService';
import { api, cleanUp, fixture, open, ours, scratch, settled, waitFor } from './helpers';

/**
 * A scenario that runs for about a minute in the worker: 8 pmem devices probed and removed 1000
 * times, each hold of the hotplug lock over the default 1 s threshold a long-hotplug-lock-hold
 * finding (thousands of them are what make it slow; a 100 s threshold makes it take a second or
 * two). It ends with a leaked pgmap reference, so a run that completes also shows leaked-pgmap-ref
 * and reserved-dax-pages. With cancellation working it never completes, so its length costs nothing.
 */
function slowLeakyScenario(cycles = 1000): string {
  const names = Array.from({ length: 8 }, (_, n) => `pmem${n}`);
  const all = names.join(', ');
  return [
    '# Long enough to be cancelled while the worker is executing it.',
    'name: Slow leak',
    'arch: x86_64',
    'kernel: v5.10',
    'machine:',
    '  nodes:',
    ...names.map(() => '    - { ram: 16GiB, cpus: 28, pmem: 3TiB }'),
    'devices:',
    ...names.map((d, n) => `  - { name: ${d}, node: ${n}, mode: fsdax, map: dev }`),
    'steps:',
    '  - boot',
    ...Array.from({ length: cycles }, () => [`  - probe: [${all}]`, `  - remove: [${all}]`]).flat(),
    '  - probe: [pmem0]',
    '  - get_dev_pagemap: { device: pmem0, pfn: +0x1000, count: 4 }',
    '  - remove: [pmem0]',
    '',
  ].join('\n');
}

/**
 * Far less than the slow scenario takes (a minute on an idle machine, several on a busy one): a
 * cancelled run must resolve, and the next run must complete, within this, which a worker still
 * busy with the cancelled run cannot do. The next run itself takes a second or two idle, and over
 * 10 s on a busy 2-core machine (measured with QEMU and two type-checks beside it), so the bound
 * leaves it room without letting the cancelled run through.
 */
const PROMPTLY_MS = 30_000;

/**
 * The id of the request the run worker has started and not finished, if any. Nothing public says
 * that a run has reached the worker, so this reads the WorkerClient's own bookkeeping (set when
 * the worker posts 'started', cleared when it replies or is terminated) instead of adding a
 * test-only hook to the extension; it only establishes the premise of the tests below.
 */
function executing(runs: object): number | undefined {
  const worker = (runs as unknown as { worker?: { executing?: number } }).worker;
  assert.ok(
    worker && 'executing' in worker,
    'ScenarioRuns no longer keeps its WorkerClient as `worker` with an `executing` id: update this probe',
  );
  return worker.executing;
}

/**
 * Waits until one run newer than request `after` has been executing in the worker for a while and
 * returns its request id. Opening a file starts its live run twice (the document opens, then its
 * tab), the second superseding the first; a run that is still executing after that is settled in.
 */
async function started(runs: object, what: string, after = 0): Promise<number> {
  let id: number | undefined;
  let since = 0;
  return waitFor(what, () => {
    const now = executing(runs);
    if (now !== id) [id, since] = [now, Date.now()];
    return id !== undefined && id > after && Date.now() - since >= 500 && id;
  });
}

/** A promise, and whether it is still pending. */
function pending<T>(promise: Promise<T>): { promise: Promise<T>; pending: boolean } {
  const p = { promise, pending: true };
  promise.then(
    () => (p.pending = false),
    () => (p.pending = false),
  );
  return p;
}

async function within<T>(p: Promise<T>, what: string, ms = PROMPTLY_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(() => reject(new Error(`${what} took more than ${ms / 1000} s`)), ms)),
  );
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the Problems panel and the run store showed for `uri` while the test ran. */
function watch(runs: { onDidRun: vscode.Event<RunSnapshot> }, uri: vscode.Uri) {
  const shown = new Set<string>();
  const stored: RunSnapshot[] = [];
  const subscriptions = [
    vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()))
        for (const d of ours(uri)) shown.add(String(d.code));
    }),
    runs.onDidRun((s) => s.uri === uri.toString() && stored.push(s)),
  ];
  return { shown, stored, dispose: () => subscriptions.forEach((s) => s.dispose()) };
}

suite('Cancelled runs', function () {
  this.timeout(150_000);
  suiteSetup(() => api());
  teardown(cleanUp);

  test("Cancel (the progress notification's token) stops a run executing in the worker: no result, no diagnostics, and the next run goes at once", async () => {
    const { runs } = await api();
    const uri = await scratch('slow-leak.memmap.yaml', slowLeakyScenario());
    const seen = watch(runs, uri);
    try {
      const doc = await open(uri);
      // Opening the file starts the live-diagnostics run of this version; Run Scenario then
      // supersedes it with a run that carries the notification's token, as runWithProgress does.
      const live = await started(
        runs,
        'the live run of the opened scenario to start in the worker',
      );
      const cts = new vscode.CancellationTokenSource();
      const cancelled = pending(runs.run(uri.toString(), {}, cts.token));
      const mine = await started(runs, 'the cancellable run to start in the worker', live);
      assert.ok(
        cancelled.pending && executing(runs) === mine,
        'the run to cancel is the one executing',
      );
      cts.cancel();
      assert.equal(await within(cancelled.promise, 'the cancelled run to resolve'), undefined);
      assert.equal(runs.latest(uri.toString()), undefined, 'a cancelled run must not be stored');
      assert.equal(seen.stored.length, 0, 'a cancelled run must not be stored');
      assert.deepEqual([...seen.shown], [], 'the cancelled run published diagnostics');

      // The worker is free at once: replace the file with a small one without the leak (the
      // fixture's, with its put and without its expectations) and the live run of that version is
      // published long before the cancelled run could have finished.
      const leaky = new TextDecoder().decode(
        await vscode.workspace.fs.readFile(fixture('leaked-ref.memmap.yaml')),
      );
      const fixed = leaky
        .slice(0, leaky.indexOf('expect:'))
        .replace(
          '  - remove: [pmem0]\n',
          '  - put_dev_pagemap: { device: pmem0, count: 4 }\n  - remove: [pmem0]\n',
        );
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), fixed);
      assert.ok(await vscode.workspace.applyEdit(edit));
      const final = await within(settled(doc, PROMPTLY_MS), 'the run after the cancelled one');
      assert.deepEqual(
        seen.stored.map((s) => s.version),
        [doc.version],
      );
      assert.equal(seen.stored[0]?.summary?.scenario, 'Leaked pgmap reference');
      assert.deepEqual(
        final.map((d) => d.code),
        ['reserved-dax-pages'],
      );
      assert.deepEqual(
        [...seen.shown],
        ['reserved-dax-pages'],
        "only the fixed version's run reaches the Problems panel",
      );
    } finally {
      seen.dispose();
    }
  });

  test('a second run of the same file cancels the first while it executes in the worker; only the second is stored and shown', async () => {
    const { runs } = await api();
    const uri = await scratch('slow-leak.memmap.yaml', slowLeakyScenario());
    const settings = vscode.workspace.getConfiguration('memmapLab');
    const seen = watch(runs, uri);
    try {
      const doc = await open(uri);
      const live = await started(
        runs,
        'the live run of the opened scenario to start in the worker',
      );
      const first = pending(runs.run(uri.toString()));
      const mine = await started(runs, 'the first run to start in the worker', live);
      assert.ok(
        first.pending && executing(runs) === mine,
        'the run to supersede is the one executing',
      );
      // The second run of the same version: raising the long-lock threshold re-runs open files
      // (live diagnostics), and with it the scenario's thousands of long-hotplug-lock-hold findings,
      // which make it slow, are gone, so the second run is quick and cannot be mistaken for the first.
      await settings.update('longLockThreshold', '100s', vscode.ConfigurationTarget.Workspace);
      assert.equal(await within(first.promise, 'the superseded run to resolve'), undefined);
      const shown = await within(settled(doc, PROMPTLY_MS), 'the second run');
      assert.equal(seen.stored.length, 1, `${seen.stored.length} runs stored`);
      const [second] = seen.stored;
      assert.equal(second.version, doc.version);
      assert.equal(runs.latest(uri.toString()), second);
      assert.deepEqual([...new Set(second.diagnostics.map((d) => d.code))].sort(), [
        'leaked-pgmap-ref',
        'reserved-dax-pages',
      ]);
      assert.deepEqual([...new Set(shown.map((d) => d.code))].sort(), [
        'leaked-pgmap-ref',
        'reserved-dax-pages',
      ]);
      assert.ok(
        !seen.shown.has('long-hotplug-lock-hold'),
        `the superseded run published: ${[...seen.shown].join(', ')}`,
      );
    } finally {
      seen.dispose();
      // Resetting the setting re-runs open files: shrink this one first, or the tests after this
      // one would queue behind a minute-long run of it.
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc) {
        const shrink = new vscode.WorkspaceEdit();
        shrink.replace(
          uri,
          new vscode.Range(0, 0, doc.lineCount, 0),
          'name: Slow leak, shrunk\nsteps: [boot]\n',
        );
        await vscode.workspace.applyEdit(shrink);
      }
      await settings.update('longLockThreshold', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
