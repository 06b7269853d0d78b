/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunSnapshot } from '../../src/extension/runService';
import { api, cleanUp, fixture, open, ours, settled, waitFor } from './helpers';

async function lenses(
  uri: vscode.Uri,
): Promise<{ line: number; title: string; tooltip?: string; command: string; args: unknown[] }[]> {
  const found = await vscode.commands.executeCommand<vscode.CodeLens[]>(
    'vscode.executeCodeLensProvider',
    uri,
    100,
  );
  return found
    .filter((l) => l.command)
    .map((l) => ({
      line: l.range.start.line,
      title: l.command!.title,
      tooltip: l.command!.tooltip,
      command: l.command!.command,
      args: l.command!.arguments ?? [],
    }));
}

suite('CodeLens', () => {
  suiteSetup(() => api());
  teardown(cleanUp);

  test('run, compare and export above the file; inspect and timeline above devices; run-to-here above steps', async () => {
    const doc = await open(fixture('leaked-ref.memmap.yaml'));
    await settled(doc);
    const all = await lenses(doc.uri);
    const at = (line: number) => all.filter((l) => l.line === line).map((l) => l.title);
    assert.deepEqual(at(0), ['▶ Run', '⇄ Compare variants…', 'Export trace']);
    assert.deepEqual(at(8), ['Inspect pages', 'Show in timeline']);
    assert.deepEqual(
      all.filter((l) => l.title === 'Run to here').map((l) => l.line),
      [10, 11, 12, 13],
    );
    const inspect = all.find((l) => l.title === 'Inspect pages')!;
    assert.equal(inspect.command, 'memmapLab.openInspector');
    assert.equal(inspect.args[1], 'pmem0+0');
    const toHere = all.find((l) => l.title === 'Run to here' && l.line === 12)!;
    assert.deepEqual([toHere.command, toHere.args[1]], ['memmapLab.runToStep', 2]);
  });

  test("Run to here opens the timeline on the run up to that step; the file's results stay those of the whole run", async () => {
    const { panels, runs } = await api();
    const doc = await open(fixture('leaked-ref.memmap.yaml'));
    await settled(doc);
    const toHere = (await lenses(doc.uri)).find((l) => l.title === 'Run to here' && l.line === 11)!;
    const r = await vscode.commands.executeCommand<RunSnapshot>(toHere.command, ...toHere.args);
    const focus = await waitFor('the timeline on step 1', () => {
      const m = panels.shown('timeline', doc.uri);
      return m?.type === 'timeline' && m.focus;
    });
    const probe = r.trace!.spans.filter((s) => s.args.step === 1);
    assert.deepEqual(focus.markers, [
      Math.min(...probe.map((s) => s.start)),
      Math.max(...probe.map((s) => s.end)),
    ]);
    assert.equal(focus.window![0], 0);
    assert.ok(
      focus.window![1] > focus.markers![1],
      'room after the step, so marker B is not on the edge',
    );
    // The leak happens at step 3: a run cut at step 1 would have failed this expectation.
    assert.equal(
      runs.latest(doc.uri.toString())?.expectations.find((e) => e.title === 'leaked-pgmap-ref')
        ?.pass,
      true,
    );
    assert.ok(
      !ours(doc.uri).some((d) => d.code === 'expect-failed' && d.range.start.line === 15),
      'no false expect-failed on the file',
    );
  });

  test("above each expectation, the last run's verdict with the measured value; a failure short, its message the hover", async () => {
    const doc = await open(fixture('leaked-ref.memmap.yaml'));
    await settled(doc);
    const all = await lenses(doc.uri);
    const at = (line: number) => all.find((l) => l.line === line)?.title;
    assert.equal(at(15), '✓ leaked-pgmap-ref');
    assert.equal(at(16), '✓ no pgmap-ref-underflow');
    assert.match(at(17) ?? '', /^✓ page pmem0\+0 refcount 1, zone Device$/);
    assert.match(at(18) ?? '', /^✗ time pmem0 init [\d.]+ ms ≥ 1 ms$/);
    const failed = all.find((l) => l.line === 18)!;
    assert.match(failed.tooltip ?? '', /^pmem0 init took [\d.]+ ms, expected below 1\.00 ms$/);
  });
});
