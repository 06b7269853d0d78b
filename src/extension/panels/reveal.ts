import * as vscode from 'vscode';
import type { RunService } from '../runService';

/**
 * "Reveal in scenario": opens the scenario with the step selected. The line comes from the host's
 * own run, never from the webview.
 */
export async function revealStep(runs: RunService, uri: string, step: number): Promise<void> {
  const span = runs.latest(uri)?.scenario?.steps.find((s) => s.index === step)?.span;
  if (!span) return;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const column =
    vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri)?.viewColumn ??
    vscode.ViewColumn.One;
  // A step's span ends at the start of the next line; select up to the end of its own text.
  const end =
    span.endColumn === 1 && span.endLine > span.line
      ? doc.lineAt(span.endLine - 2).range.end
      : new vscode.Position(span.endLine - 1, span.endColumn - 1);
  const selection = new vscode.Range(new vscode.Position(span.line - 1, span.column - 1), end);
  await vscode.window.showTextDocument(doc, {
    viewColumn: column,
    selection,
    preserveFocus: false,
  });
}
