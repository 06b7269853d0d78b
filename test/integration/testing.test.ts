/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, fixture, waitFor } from './helpers';

type Verdict = {
  state: 'passed' | 'failed' | 'errored' | 'skipped';
  messages?: vscode.TestMessage[];
};

/** Wraps the controller's createTestRun to record what a run reports, as the Testing view sees it. */
function record(controller: vscode.TestController): {
  verdicts: Map<string, Verdict>;
  output: Map<string, string>;
  ended: Promise<void>;
  restore(): void;
} {
  const original = controller.createTestRun.bind(controller);
  const verdicts = new Map<string, Verdict>();
  const output = new Map<string, string>();
  let ended!: () => void;
  const done = new Promise<void>((r) => (ended = r));
  controller.createTestRun = (request, name, persist) => {
    const run = original(request, name, persist);
    return Object.assign(Object.create(run) as vscode.TestRun, {
      passed: (t: vscode.TestItem, d?: number) => (
        verdicts.set(t.id, { state: 'passed' }),
        run.passed(t, d)
      ),
      failed: (
        t: vscode.TestItem,
        m: vscode.TestMessage | readonly vscode.TestMessage[],
        d?: number,
      ) => (verdicts.set(t.id, { state: 'failed', messages: [m].flat() }), run.failed(t, m, d)),
      errored: (
        t: vscode.TestItem,
        m: vscode.TestMessage | readonly vscode.TestMessage[],
        d?: number,
      ) => (verdicts.set(t.id, { state: 'errored', messages: [m].flat() }), run.errored(t, m, d)),
      skipped: (t: vscode.TestItem) => (verdicts.set(t.id, { state: 'skipped' }), run.skipped(t)),
      started: (t: vscode.TestItem) => run.started(t),
      appendOutput: (o: string, l?: vscode.Location, t?: vscode.TestItem) => (
        t && output.set(t.id, (output.get(t.id) ?? '') + o),
        run.appendOutput(o, l, t)
      ),
      end: () => (run.end(), ended()),
    });
  };
  return { verdicts, output, ended: done, restore: () => (controller.createTestRun = original) };
}

suite('Testing view', () => {
  test('each scenario with expect: is a test, each expectation a child at its line', async () => {
    const { tests } = await api();
    await tests.resolveHandler?.(undefined);
    const id = fixture('leaked-ref.memmap.yaml').toString();
    const item = await waitFor('the leaked-ref test item', () => tests.items.get(id));
    const children = [
      ...(function* () {
        for (const [, c] of item.children) yield c;
      })(),
    ];
    assert.deepEqual(
      children.map((c) => [c.label, c.range?.start.line]),
      [
        ['diagnostic: leaked-pgmap-ref', 15],
        ['no-diagnostic: pgmap-ref-underflow', 16],
        ['page: { device: pmem0, pfn: +0, after-step: 1, refcount: 1, zone: Device }', 17],
        ['time: { device: pmem0, below: 1ms }', 18],
      ],
    );
    assert.equal(
      tests.items.get(fixture('misaligned-gpu.memmap.yaml').toString()),
      undefined,
      'no expect: block, no test',
    );
  });

  test('running the tests reports each expectation with its measured value; a failure says expected vs got at its line', async () => {
    const { tests } = await api();
    await tests.resolveHandler?.(undefined);
    const id = fixture('leaked-ref.memmap.yaml').toString();
    const rec = record(tests);
    try {
      await vscode.commands.executeCommand('testing.runAll');
      await rec.ended;
    } finally {
      rec.restore();
    }
    assert.equal(rec.verdicts.get(`${id}#0`)?.state, 'passed');
    assert.equal(rec.verdicts.get(`${id}#1`)?.state, 'passed');
    assert.equal(rec.verdicts.get(`${id}#2`)?.state, 'passed');
    const failed = rec.verdicts.get(`${id}#3`)!;
    assert.equal(failed.state, 'failed');
    assert.match(
      String(failed.messages![0].message),
      /^pmem0 init took [\d.]+ ms, expected below 1\.00 ms$/,
    );
    assert.equal(failed.messages![0].location?.range.start.line, 18);
    assert.equal(rec.verdicts.get(id)?.state, 'failed');
    assert.match(rec.output.get(`${id}#3`) ?? '', /^✗ time pmem0 init [\d.]+ ms ≥ 1 ms\r\n$/);
    assert.equal(rec.output.get(`${id}#2`), '✓ page pmem0+0 refcount 1, zone Device\r\n');
    assert.match(
      tests.items.get(id)!.children.get(`${id}#3`)!.description ?? '',
      /^time pmem0 init [\d.]+ ms ≥ 1 ms$/,
    );
  });
});
