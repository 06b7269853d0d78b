import * as vscode from 'vscode';
import { formatNs } from '../engine/units';
import { isScenarioUri } from './documents';
import { runLine, type RunSnapshot } from './runService';
import type { ScenarioRuns } from './runs/scenarioRuns';

/** The active scenario's last result; a click opens its timeline (or runs it, if it never ran). */
export class ScenarioStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('memmapLab.lastRun', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly runs: ScenarioRuns) {
    this.item.name = 'Memmap Lab: last run';
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      runs.onDidRun(() => this.update()),
    ];
    this.update();
  }

  private update(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (!uri || !isScenarioUri(uri)) return this.item.hide();
    const r = this.runs.latest(uri.toString());
    this.item.text = r ? text(r) : '$(play) Memmap Lab: not run';
    this.item.tooltip = r ? `${runLine(r)}\nClick to open the timeline` : 'Run the scenario';
    this.item.command = r?.summary ? { command: 'memmapLab.openTimeline', title: 'Open Timeline', arguments: [uri] } : { command: 'memmapLab.run', title: 'Run', arguments: [uri] };
    this.item.show();
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.item.dispose();
  }
}

function text(r: RunSnapshot): string {
  if (!r.summary) return `$(error) ${r.diagnostics.length} problem(s)`;
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  const failed = r.expectations.filter((e) => !e.pass).length;
  const icon = errors || failed ? '$(error)' : '$(pass)';
  const notRun = r.summary.steps.filter((s) => s.outcome === 'not-run').length;
  const partial = notRun && !errors ? ` to step ${r.summary.steps.length - notRun - 1}` : '';
  return `${icon} ${r.variant}${partial} ${formatNs(r.summary.totalNs)}` + (errors ? ` · ${errors} error(s)` : '') + (r.expectations.length ? ` · ${r.expectations.length - failed}/${r.expectations.length}` : '');
}
