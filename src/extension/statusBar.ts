import * as vscode from 'vscode';
import type { Problem } from '../engine/scenario/model';
import { isScenarioUri, type ScenarioDocuments } from './documents';
import { currentRun, statusLine } from './runService';
import type { ScenarioRuns } from './runs/scenarioRuns';

/**
 * The active scenario's result at the version in the editor: its run, "not run" and the first
 * error when it does not parse, "running" until its run is in. A click opens the timeline of the
 * run shown (or runs the scenario).
 */
export class ScenarioStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'memmapLab.lastRun',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly runs: ScenarioRuns,
    private readonly docs: ScenarioDocuments,
  ) {
    this.item.name = 'Memmap Lab: last run';
    // The first update once activate() has returned.
    const first = setTimeout(() => this.update());
    this.subscriptions = [
      new vscode.Disposable(() => clearTimeout(first)),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      // An edit makes the last run another version's at once; whether the new text parses is
      // known once typing pauses.
      vscode.workspace.onDidChangeTextDocument(
        (e) => e.document === vscode.window.activeTextEditor?.document && this.show(e.document, []),
      ),
      docs.onDidSettle(
        ({ doc, parse }) =>
          doc === vscode.window.activeTextEditor?.document && this.show(doc, parse.problems),
      ),
      runs.onDidRun(() => this.update()),
    ];
  }

  /** Shows the active editor's document once its current version is parsed. */
  private update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !isScenarioUri(doc.uri)) return this.item.hide();
    this.docs.whenParsed(
      doc,
      ({ problems }) =>
        doc === vscode.window.activeTextEditor?.document && this.show(doc, problems),
    );
  }

  /** `problems`: the version's parse problems, or none yet while typing has not paused. */
  private show(doc: vscode.TextDocument, problems: readonly Problem[]): void {
    const line = statusLine(
      currentRun(this.runs.latest(doc.uri.toString()), doc.version, problems),
    );
    this.item.text = line.text;
    this.item.tooltip = line.tooltip;
    this.item.command =
      line.opens === 'timeline'
        ? { command: 'memmapLab.openTimeline', title: 'Open Timeline', arguments: [doc.uri] }
        : { command: 'memmapLab.run', title: 'Run', arguments: [doc.uri] };
    this.item.show();
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
