import * as vscode from 'vscode';
import type { Problem } from '../engine/scenario/model';
import { formatNs } from '../engine/units';
import { SCENARIO_GLOB, scenarioBaseName, type ScenarioDocuments } from './documents';
import { currentRun, runRows, type CurrentRun, type RunSnapshot } from './runService';
import type { ScenarioRuns } from './runs/scenarioRuns';

/** The tree's rows: a scenario file, one of its runs (per variant), a view of its own run. */
export type TreeNode =
  | { kind: 'scenario'; uri: vscode.Uri }
  | { kind: 'run'; uri: vscode.Uri; run: RunSnapshot; own: boolean; outdated: boolean }
  | { kind: 'not-run'; uri: vscode.Uri; reason: string }
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
  /** Per open scenario, what its rows said at its last edit: the tree refreshes when that changes. */
  private readonly shown = new Map<string, CurrentRun['kind']>();

  constructor(
    private readonly runs: ScenarioRuns,
    private readonly docs: ScenarioDocuments,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(SCENARIO_GLOB, false, true, false);
    this.subscriptions = [
      watcher,
      watcher.onDidCreate(() => this.changed.fire(undefined)),
      watcher.onDidDelete(() => this.changed.fire(undefined)),
      runs.onDidRun((r) => {
        this.shown.delete(r.uri);
        this.changed.fire(undefined);
      }),
      // An edit makes the last run an earlier edit's at once; a parse error replaces it once typing
      // pauses: the rows change.
      vscode.workspace.onDidChangeTextDocument((e) => this.edited(e.document, [])),
      docs.onDidSettle(({ doc, parse }) => this.edited(doc, parse.problems)),
    ];
  }

  /** `problems`: the version's parse problems, or none yet while typing has not paused. */
  private edited(doc: vscode.TextDocument, problems: readonly Problem[]): void {
    const key = doc.uri.toString();
    const latest = this.runs.latest(key);
    if (!latest) return;
    // The first edit after a run makes it an earlier edit's run; a parse error replaces it.
    const kind = currentRun(latest, doc.version, problems).kind;
    if (this.shown.get(key) !== kind) this.changed.fire(undefined);
    this.shown.set(key, kind);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return (await this.docs.find()).map((uri) => ({ kind: 'scenario', uri }));
    if (node.kind === 'scenario') return this.rows(node.uri);
    if (node.kind === 'run' && node.own && !node.outdated && node.run.summary)
      return VIEWS.map((v) => ({ kind: 'view', uri: node.uri, ...v }));
    return [];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'scenario': {
        const item = new vscode.TreeItem(
          scenarioBaseName(node.uri),
          this.runs.all(node.uri.toString()).length
            ? vscode.TreeItemCollapsibleState.Expanded
            : vscode.TreeItemCollapsibleState.None,
        );
        item.resourceUri = node.uri;
        item.description = vscode.workspace.asRelativePath(vscode.Uri.joinPath(node.uri, '..'));
        item.contextValue = 'scenario';
        item.command = { command: 'vscode.open', title: 'Open', arguments: [node.uri] };
        return item;
      }
      case 'run':
        return runItem(node);
      case 'not-run': {
        const item = new vscode.TreeItem(`not run: ${node.reason}`);
        item.iconPath = new vscode.ThemeIcon('error');
        item.command = { command: 'vscode.open', title: 'Open', arguments: [node.uri] };
        return item;
      }
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

  /** The scenario's runs; with the file open, measured against the version in the editor. */
  private async rows(uri: vscode.Uri): Promise<TreeNode[]> {
    const key = uri.toString();
    const doc = this.docs.open(key);
    const latest = this.runs.latest(key);
    const current = doc && currentRun(latest, doc.version, (await this.docs.parse(doc)).problems);
    return runRows(this.runs.all(key), latest, doc?.version, current).map((r) => ({ ...r, uri }));
  }
}

function runItem(node: Extract<TreeNode, { kind: 'run' }>): vscode.TreeItem {
  const { run, own, uri, outdated } = node;
  const errors = run.diagnostics.filter((d) => d.severity === 'error').length;
  const failed = run.expectations.filter((e) => !e.pass).length;
  const item = new vscode.TreeItem(
    run.variant || 'not run',
    own && !outdated && run.summary
      ? vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None,
  );
  item.description =
    (outdated ? 'earlier edit · ' : '') +
    (run.summary
      ? `${formatNs(run.summary.totalNs)} · ${run.diagnostics.length} diagnostic${run.diagnostics.length === 1 ? '' : 's'}` +
        (run.expectations.length
          ? ` · ${run.expectations.length - failed}/${run.expectations.length} expectations`
          : '')
      : `does not parse · ${run.diagnostics.length} problem(s)`);
  item.iconPath = new vscode.ThemeIcon(
    outdated
      ? 'history'
      : !run.summary || errors || failed
        ? 'error'
        : run.diagnostics.length
          ? 'warning'
          : 'pass',
  );
  item.tooltip =
    (own
      ? "The scenario's own kernel"
      : `Run with ${run.variant}; click to compare with the scenario's own kernel`) +
    (outdated ? ' (a run of an earlier edit of the file; it runs again when you stop typing)' : '');
  item.contextValue = own ? 'run.own' : 'run.variant';
  const ownVariant = run.scenario?.kernel.name;
  item.command = own
    ? { command: 'memmapLab.openTimeline', title: 'Open Timeline', arguments: [uri] }
    : ownVariant
      ? {
          command: 'memmapLab.compareVariants',
          title: 'Compare',
          arguments: [uri, ownVariant, run.variant],
        }
      : undefined;
  return item;
}
