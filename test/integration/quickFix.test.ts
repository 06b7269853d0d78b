/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, cleanUp, open, ours, scratch, settled, waitFor } from './helpers';

/** The quick fixes offered for our first diagnostic with `code`. */
async function fixesFor(doc: vscode.TextDocument, code: string): Promise<vscode.CodeAction[]> {
  const d = ours(doc.uri).find((x) => x.code === code);
  assert.ok(d, `no ${code} on ${doc.uri.path}`);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    doc.uri,
    d.range,
    vscode.CodeActionKind.QuickFix.value,
  );
  // VS Code may hand actions back without their diagnostics; the range is the diagnostic's own.
  return actions.filter((a) => !a.diagnostics || a.diagnostics.some((x) => x.code === code));
}

/** Applies a fix, checks the text, then undoes it in one step. */
async function applyAndUndo(
  doc: vscode.TextDocument,
  fix: vscode.CodeAction,
  expect: RegExp,
): Promise<void> {
  const before = doc.getText();
  assert.ok(await vscode.workspace.applyEdit(fix.edit!));
  assert.match(doc.getText(), expect);
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('undo');
  assert.equal(doc.getText(), before, 'one undo step restores the file');
}

suite('Quick fixes', () => {
  suiteSetup(() => api());
  teardown(cleanUp);

  test('replace an unknown preset or key with the suggestion', async () => {
    const doc = await open(await scratch('typo.memmap.yaml'));
    await waitFor('parse errors', () => ours(doc.uri).length === 2);
    const [fix] = await fixesFor(doc, 'scenario-schema');
    assert.equal(fix.title, "Replace 'v5.1O' with 'v5.10'");
    assert.ok(fix.isPreferred);
    await applyAndUndo(doc, fix, /^kernel: v5\.10$/m);
  });

  test('align a misaligned range to 2 MiB; the run is then clean', async () => {
    const doc = await open(await scratch('misaligned-gpu.memmap.yaml'));
    await settled(doc);
    const [fix] = await fixesFor(doc, 'misaligned-subsection');
    assert.equal(fix.title, 'Align the range to 2 MiB (sub-section)');
    await vscode.workspace.applyEdit(fix.edit!);
    assert.match(doc.getText(), /start: 0x1000200000\n\s+size: 1022MiB/);
    assert.deepEqual(await settled(doc), []);
  });

  test('add the missing put_dev_pagemap before the remove', async () => {
    const doc = await open(await scratch('leaked-ref.memmap.yaml'));
    await settled(doc);
    const [fix] = await fixesFor(doc, 'leaked-pgmap-ref');
    assert.equal(fix.title, 'Add the missing put_dev_pagemap(pmem0, 4) before this remove');
    await applyAndUndo(
      doc,
      fix,
      /count: 4 \}\n  - put_dev_pagemap: \{ device: pmem0, count: 4 \}\n  - remove: \[pmem0\]/,
    );
  });

  test('an unsupported vmemmap optimisation: drop vmemmap_shift, or switch the kernel preset (JSON stays JSON)', async () => {
    const doc = await open(await scratch('gpu-compound.memmap.json'));
    await settled(doc);
    const fixes = await fixesFor(doc, 'vmemmap-opt-unsupported');
    assert.deepEqual(
      fixes.map((f) => f.title),
      [
        'Drop vmemmap_shift from gpu0 (no compound pages)',
        'Switch the kernel to v6.4 (vmemmap optimisation is arch opt-in)',
      ],
    );
    await applyAndUndo(doc, fixes[1], /"preset": "v6\.4"/);
    await vscode.workspace.applyEdit(fixes[0].edit!);
    assert.equal(JSON.parse(doc.getText()).devices[0].vmemmap_shift, undefined);
    assert.ok(!(await settled(doc)).some((d) => d.code === 'vmemmap-opt-unsupported'));
  });
});
