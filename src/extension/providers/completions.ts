import * as vscode from 'vscode';
import type { ScenarioDocuments } from '../documents';
import type { ScenarioRuns } from '../runs/scenarioRuns';
import type * as EditorFeatures from '../editorFeatures';
import { lazy } from '../lazy';

const editorFeatures = lazy<typeof EditorFeatures>('editorFeatures');

/** Value and key completion for YAML scenarios (JSON ones get theirs from the schema). */
export class ScenarioCompletions implements vscode.CompletionItemProvider {
  constructor(
    private readonly runs: ScenarioRuns,
    private readonly docs: ScenarioDocuments,
  ) {}

  provideCompletionItems(doc: vscode.TextDocument, pos: vscode.Position): vscode.CompletionItem[] {
    // Completions answer at once while the user types: an earlier version's parse, or the last
    // run's scenario when half-typed text did not parse, still knows the device names.
    const scenario =
      this.docs.parsedBefore(doc)?.scenario ?? this.runs.latest(doc.uri.toString())?.scenario;
    const found = editorFeatures().completionsAt(doc.getText(), doc.offsetAt(pos), scenario);
    if (!found) return [];
    const range = new vscode.Range(doc.positionAt(found.range[0]), doc.positionAt(found.range[1]));
    return found.items.map((c) => {
      const item = new vscode.CompletionItem(
        c.label,
        c.kind === 'key'
          ? vscode.CompletionItemKind.Property
          : vscode.CompletionItemKind.EnumMember,
      );
      item.detail = c.detail;
      item.range = range;
      item.insertText = c.insert;
      return item;
    });
  }
}
