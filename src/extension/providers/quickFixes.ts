import * as vscode from 'vscode';
import type { Problem, Scenario } from '../../engine/scenario/model';
import { DIAGNOSTIC_SOURCE, toRange } from '../convert';
import type { Config } from '../config';
import type { ScenarioDocuments } from '../documents';
import type { ScenarioRuns } from '../runs/scenarioRuns';
import type * as EditorFeatures from '../editorFeatures';
import { lazy } from '../lazy';

const editorFeatures = lazy<typeof EditorFeatures>('editorFeatures');

/**
 * Quick fixes for our diagnostics. The problems come from the parse of this version and from the
 * latest run if it ran this version (diagnostics in the request carry no suggestion or span). The
 * engine offers a fix for an error only if a run with it gets past the error: it runs the fixed
 * text here, with the settings the worker's run had (a scenario runs in milliseconds; only the
 * diagnostics under the cursor are asked about).
 */
export class ScenarioQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly runs: ScenarioRuns,
    private readonly docs: ScenarioDocuments,
    private readonly config: Config,
  ) {}

  async provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const { scenario, problems } = await this.docs.parse(doc);
    const last = this.runs.latest(doc.uri.toString());
    const all = [...problems, ...(last && last.version === doc.version ? last.diagnostics : [])];
    const text = doc.getText();
    const actions: vscode.CodeAction[] = [];
    for (const d of ours) {
      const p = all.find((x) => x.code === d.code && toRange(x.span).isEqual(d.range));
      if (p) actions.push(...this.actions(doc, text, scenario, p, d));
    }
    return actions;
  }

  private actions(
    doc: vscode.TextDocument,
    text: string,
    scenario: Scenario | undefined,
    p: Problem,
    d: vscode.Diagnostic,
  ): vscode.CodeAction[] {
    const { defaultVariant, costOverrides, longLockThresholdNs } = this.config.settings;
    return editorFeatures()
      .quickFixes(text, scenario, p, {
        variant: defaultVariant,
        costOverrides,
        longLockThresholdNs,
      })
      .map((fix) => {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits)
          action.edit.replace(
            doc.uri,
            new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.endOffset)),
            e.newText,
          );
        action.diagnostics = [d];
        action.isPreferred = fix.preferred;
        return action;
      });
  }
}
