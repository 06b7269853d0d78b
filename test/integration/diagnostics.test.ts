/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, cleanUp, fixture, open, ours, scratch, settled, waitFor } from './helpers';

/** [code, 0-based line, 0-based column] of each diagnostic, sorted. */
const where = (ds: vscode.Diagnostic[]) =>
  ds.map((d) => [String(d.code), d.range.start.line, d.range.start.character] as const).sort();

suite('Live diagnostics', () => {
  suiteSetup(() => api());
  teardown(cleanUp);

  test('run findings sit on the device and step lines that caused them, with the CLI codes', async () => {
    const doc = await open(fixture('misaligned-gpu.memmap.yaml'));
    const ds = await settled(doc);
    // The remove that could not run is a consequence of the failed probe: related, not a problem of its own.
    assert.deepEqual(where(ds), [['misaligned-subsection', 9, 4]]);
    const misaligned = ds.find((d) => d.code === 'misaligned-subsection')!;
    assert.equal(misaligned.severity, vscode.DiagnosticSeverity.Error);
    assert.match(
      misaligned.message,
      /^Misaligned __add_pages start: 0x1000100 end: #10400ff \(gpu0: probe failed\)$/,
    );
    assert.deepEqual(
      misaligned.relatedInformation?.map((r) => [r.location.range.start.line, r.message]),
      [
        [17, 'gpu0: probe failed: devm_memremap_pages returned -22'],
        [18, "remove did not run: device 'gpu0' is not probed (its state is failed)"],
      ],
    );
  });

  test('a leaked reference points at the remove, and at the get_dev_pagemap that took it', async () => {
    const doc = await open(fixture('leaked-ref.memmap.yaml'));
    const ds = await settled(doc);
    assert.deepEqual(where(ds), [
      ['expect-failed', 18, 4],
      ['leaked-pgmap-ref', 13, 4],
      ['reserved-dax-pages', 8, 34],
    ]);
    const leak = ds.find((d) => d.code === 'leaked-pgmap-ref')!;
    assert.equal(leak.relatedInformation?.[0].location.range.start.line, 12);
    assert.match(
      leak.relatedInformation![0].message,
      /4 reference\(s\) taken by get_dev_pagemap here and never put/,
    );
    assert.equal(
      ds.find((d) => d.code === 'reserved-dax-pages')!.severity,
      vscode.DiagnosticSeverity.Information,
    );
  });

  test("a cost profile outside the scenario's folder is refused at the cost: line, even when it exists", async () => {
    const outside = vscode.Uri.joinPath(
      fixture('leaked-ref.memmap.yaml'),
      '..',
      '..',
      'outside.cost.json',
    );
    await vscode.workspace.fs.writeFile(
      outside,
      new TextEncoder().encode('{ "name": "outside", "costs": {} }'),
    );
    const text = new TextDecoder().decode(
      await vscode.workspace.fs.readFile(fixture('leaked-ref.memmap.yaml')),
    );
    const doc = await open(
      await scratch(
        'outside-cost.memmap.yaml',
        text.replace('kernel: v5.10\n', 'kernel: v5.10\ncost: ../outside.cost.json\n'),
      ),
    );
    const refused = await waitFor('the refusal', () =>
      ours(doc.uri).find((d) => /outside the scenario's folder/.test(d.message)),
    );
    assert.deepEqual(
      [refused.code, refused.range.start.line, refused.severity],
      ['scenario-schema', 4, vscode.DiagnosticSeverity.Error],
    );
  });

  test('JSON scenarios get the same diagnostics', async () => {
    const doc = await open(fixture('gpu-compound.memmap.json'));
    assert.equal(doc.languageId, 'json');
    const ds = await settled(doc);
    assert.ok(
      where(ds).some(([c, l, col]) => c === 'vmemmap-opt-unsupported' && l === 6 && col === 4),
      JSON.stringify(where(ds)),
    );
  });

  test('parse errors show at once; they go when fixed; closing the file clears everything', async () => {
    const uri = await scratch('typo.memmap.yaml');
    const doc = await open(uri);
    assert.equal(doc.languageId, 'memmap-scenario');
    const parseErrors = await waitFor('parse errors', () => ours(uri).length === 2 && ours(uri));
    assert.deepEqual(where(parseErrors), [
      ['scenario-schema', 2, 8],
      ['scenario-schema', 7, 41],
    ]);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(2, 8, 2, 13), 'v5.10');
    edit.replace(uri, new vscode.Range(7, 41, 7, 45), 'map');
    await vscode.workspace.applyEdit(edit);
    const after = await settled(doc);
    assert.ok(!after.some((d) => d.code === 'scenario-schema'), JSON.stringify(where(after)));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor('diagnostics cleared on close', () => ours(uri).length === 0);
  });

  test('typing re-runs: fixing the leak in the editor removes its diagnostic', async () => {
    const uri = await scratch('leaked-ref.memmap.yaml');
    const doc = await open(uri);
    assert.ok((await settled(doc)).some((d) => d.code === 'leaked-pgmap-ref'));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(
      uri,
      new vscode.Position(13, 0),
      '  - put_dev_pagemap: { device: pmem0, count: 4 }\n',
    );
    await vscode.workspace.applyEdit(edit);
    const fixed = await settled(doc);
    assert.ok(!fixed.some((d) => d.code === 'leaked-pgmap-ref'), JSON.stringify(where(fixed)));
  });
});
