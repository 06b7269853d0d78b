/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, cleanUp, fixture, open, ours, scratch, settled } from './helpers';

const PUT = '  - put_dev_pagemap: { device: pmem0, count: 4 }\n';

suite('Cancelled runs', () => {
  suiteSetup(() => api());
  teardown(cleanUp);

  test('a second run of the same document supersedes the first, which resolves to nothing', async () => {
    const { runs } = await api();
    const doc = await open(await scratch('leaked-ref.memmap.yaml'));
    await settled(doc);
    const first = runs.run(doc.uri.toString());
    const second = runs.run(doc.uri.toString());
    assert.equal(await first, undefined);
    assert.equal((await second)?.version, doc.version);
  });

  test('a cancelled run leaves no diagnostics from the cancelled run', async () => {
    const { runs } = await api();
    const leaky = new TextDecoder().decode(await vscode.workspace.fs.readFile(fixture('leaked-ref.memmap.yaml')));
    const uri = await scratch('no-leak.memmap.yaml', leaky.replace('  - remove: [pmem0]\n', PUT + '  - remove: [pmem0]\n'));
    const doc = await open(uri);
    assert.ok(!(await settled(doc)).some((d) => d.code === 'leaked-pgmap-ref'));
    const seen: string[] = [];
    const watch = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) seen.push(...ours(uri).map((d) => String(d.code)));
    });
    try {
      // Drop the put (a leak), ask for a run of that version and cancel it, then put the put back
      // before the live-run debounce fires: the leaking version must never reach the Problems panel.
      const line = doc.getText().split('\n').indexOf(PUT.trimEnd());
      const drop = new vscode.WorkspaceEdit();
      drop.delete(uri, new vscode.Range(line, 0, line + 1, 0));
      await vscode.workspace.applyEdit(drop);
      const cts = new vscode.CancellationTokenSource();
      const cancelled = runs.run(uri.toString(), {}, cts.token);
      cts.cancel();
      const restore = new vscode.WorkspaceEdit();
      restore.insert(uri, new vscode.Position(line, 0), PUT);
      await vscode.workspace.applyEdit(restore);
      assert.equal(await cancelled, undefined);
      const final = await settled(doc);
      assert.ok(!final.some((d) => d.code === 'leaked-pgmap-ref'));
      assert.ok(!seen.includes('leaked-pgmap-ref'), `published: ${seen.join(', ')}`);
    } finally {
      watch.dispose();
    }
  });
});
