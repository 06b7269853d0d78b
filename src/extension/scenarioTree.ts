import * as vscode from 'vscode';
import { formatNs } from '../engine/units';
import { SCENARIO_GLOB, scenarioBaseName, type ScenarioDocuments } from './documents';
import type { RunSnapshot } from './runService';
import type { ScenarioRuns } from './runs/scenarioRuns';

/** The tree's rows: a scenario file, one of its runs (per variant), a view of its own run. */
export type TreeNode =
  | { kind: 'scenario'; uri: vscode.Uri }
  | { kind: 'run'; uri: vscode.Uri; run: RunSnapshot; own: boolean }
  | { kind: 'view'; uri: vscode.Uri; label: string; command: string; icon: string };

const VIEWS = [
  { label: 'Timeline', command: 'memmapLab.openTimeline', icon: 'graph-line' },
  { label: 'Lock analysis', command: 'memmapLab.openLocks', icon: 'lock' },
  { label: 'Page inspector', command: 'memmapLab.openInspector', icon: 'search' },
];

/**
 * The "Memmap Lab" view: every scenario in the workspace; under each, its last run per variant
 * (total time, diagnostics); under the own run, the views. A view over the store and the files.
 */
export class ScenarioTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly runs: ScenarioRuns, private readonly docs: ScenarioDocuments) {
    const watcher = vscode.workspace.createFileSystemWatcher(SCENARIO_GLOB, false, true, false);
    this.subscriptions = [
      watcher,
      watcher.onDidCreate(() => this.changed.fire(undefined)),
      watcher.onDidDelete(() => this.changed.fire(undefined)),
      runs.onDidRun(() => this.changed.fire(undefined)),
    ];
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return (await this.docs.find()).map((uri) => ({ kind: 'scenario', uri }));
    if (node.kind === 'scenario') return this.runs.all(node.uri.toString()).map((run) => ({ kind: 'run', uri: node.uri, run, own: run === this.runs.latest(node.uri.toString()) }));
    if (node.kind === 'run' && node.own && node.run.summary) return VIEWS.map((v) => ({ kind: 'view', uri: node.uri, ...v }));
    return [];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'scenario': {
        const item = new vscode.TreeItem(scenarioBaseName(node.uri), this.runs.all(node.uri.toString()).length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        item.resourceUri = node.uri;
        item.description = vscode.workspace.asRelativePath(vscode.Uri.joinPath(node.uri, '..'));
        item.contextValue = 'scenario';
        item.command = { command: 'vscode.open', title: 'Open', arguments: [node.uri] };
        return item;
      }
      case 'run':
        return runItem(node);
      case 'view': {
        const item = new vscode.TreeItem(node.label);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.command = { command: node.command, title: node.label, arguments: [node.uri] };
        return item;
      }
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

function runItem(node: Extract<TreeNode, { kind: 'run' }>): vscode.TreeItem {
  const { run, own, uri } = node;
  const errors = run.diagnostics.filter((d) => d.severity === 'error').length;
  const failed = run.expectations.filter((e) => !e.pass).length;
  const item = new vscode.TreeItem(run.variant || 'not run', own && run.summary ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.description = run.summary
    ? `${formatNs(run.summary.totalNs)} · ${run.diagnostics.length} diagnostic${run.diagnostics.length === 1 ? '' : 's'}` + (run.expectations.length ? ` · ${run.expectations.length - failed}/${run.expectations.length} expectations` : '')
    : `does not parse · ${run.diagnostics.length} problem(s)`;
  item.iconPath = new vscode.ThemeIcon(!run.summary || errors || failed ? 'error' : run.diagnostics.length ? 'warning' : 'pass');
  item.tooltip = own ? 'The scenario\'s own kernel' : `Run with ${run.variant}; click to compare with the scenario's own kernel`;
  item.contextValue = own ? 'run.own' : 'run.variant';
  const ownVariant = run.scenario?.kernel.name;
  item.command = own
    ? { command: 'memmapLab.openTimeline', title: 'Open Timeline', arguments: [uri] }
    : ownVariant ? { command: 'memmapLab.compareVariants', title: 'Compare', arguments: [uri, ownVariant, run.variant] } : undefined;
  return item;
}
