/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, cleanUp, fixture, open, positionOf, waitFor } from './helpers';

async function labels(uri: vscode.Uri, pos: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    uri,
    pos,
  );
  return list.items.map((i) =>
    (typeof i.label === 'string' ? i.label : i.label.label).replace(/^"|"$/g, ''),
  );
}

suite('Completion and schema', () => {
  suiteSetup(() => api());
  teardown(cleanUp);

  test('YAML scenarios complete kernel presets and step ops without a YAML extension', async () => {
    const doc = await open(fixture('misaligned-gpu.memmap.yaml'));
    const presets = await labels(doc.uri, positionOf(doc, 'v5.10', 0));
    assert.ok(presets.includes('v6.4') && presets.includes('hotplug-lock-range'), presets.join());
    const line = doc.lineAt(positionOf(doc, '  - boot').line);
    const ops = await labels(doc.uri, line.range.end.translate(0, -4));
    assert.ok(ops.includes('get_dev_pagemap'), ops.join());
  });

  test('JSON scenarios get completion and validation from the contributed schema', async () => {
    const doc = await open(fixture('gpu-compound.memmap.json'));
    const presets = await waitFor('schema completion', async () => {
      const found = await labels(doc.uri, positionOf(doc, 'v5.19', 0));
      return found.includes('v6.4') && found;
    });
    assert.ok(presets.includes('latest'));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, positionOf(doc, '"name"', 0), '"kernle": 1, ');
    await vscode.workspace.applyEdit(edit);
    const schemaProblems = await waitFor(
      'a schema diagnostic from the JSON language service',
      () => {
        const ds = vscode.languages
          .getDiagnostics(doc.uri)
          .filter((d) => d.source !== 'memmap-lab' && /kernle/.test(d.message));
        return ds.length > 0 && ds;
      },
    );
    assert.match(schemaProblems[0].message, /not allowed/i);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
