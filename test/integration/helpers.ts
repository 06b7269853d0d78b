/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MemmapLabApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'memmap-lab.memmap-lab';

/** The activated extension's API (activating it if the fixture workspace did not already). */
export async function api(): Promise<MemmapLabApi> {
  const ext = vscode.extensions.getExtension<MemmapLabApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in this VS Code`);
  return ext.activate();
}

/**
 * A file of the repository the suite was built in (this file runs from dist/test/integration), so
 * the suite also runs against an unpacked .vsix, which holds no test fixtures.
 */
export function repoFile(...path: string[]): vscode.Uri {
  return vscode.Uri.joinPath(vscode.Uri.file(__dirname), '..', '..', '..', ...path);
}

/** A file of the fixture workspace (test/fixtures/workspace). */
export function fixture(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'open test/fixtures/workspace as the workspace');
  return vscode.Uri.joinPath(folder.uri, name);
}

/**
 * A throw-away copy of a fixture (or of `text`), so a test can edit and save without touching the
 * fixtures; deleted by `cleanUp`.
 */
export async function scratch(name: string, text?: string): Promise<vscode.Uri> {
  const content =
    text ?? new TextDecoder().decode(await vscode.workspace.fs.readFile(fixture(name)));
  const uri = fixture(`scratch-${Date.now()}-${name}`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
  scratchFiles.push(uri);
  return uri;
}

const scratchFiles: vscode.Uri[] = [];

export async function cleanUp(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  for (const uri of scratchFiles.splice(0))
    await vscode.workspace.fs.delete(uri, { useTrash: false }).then(undefined, () => undefined);
}

export async function open(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Polls until `probe` returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Our diagnostics once the run of the document's current version has been published. */
export async function settled(
  doc: vscode.TextDocument,
  timeoutMs?: number,
): Promise<vscode.Diagnostic[]> {
  const { runs } = await api();
  await waitFor(
    `a run of ${doc.uri.path} version ${doc.version}`,
    () => runs.latest(doc.uri.toString())?.version === doc.version,
    timeoutMs,
  );
  await new Promise((r) => setTimeout(r, 50)); // the collection is set in the same onDidRun turn; let the event loop deliver it
  return ours(doc.uri);
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'memmap-lab');
}

/** A 0-based position of the `nth` occurrence of `word` in a document, `into` characters in. */
export function positionOf(
  doc: vscode.TextDocument,
  word: string,
  into = 1,
  nth = 0,
): vscode.Position {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(word, at + 1);
  assert.ok(at >= 0, `no '${word}' in ${doc.uri.path}`);
  return doc.positionAt(at + into);
}

/** The text of hover contents, whatever form VS Code hands them back in. */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n---\n');
}
