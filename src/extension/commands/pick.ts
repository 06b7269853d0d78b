import * as vscode from 'vscode';
import { KERNEL_PRESETS } from '../../engine/kernel/presets';
import { kernelNameProblem } from '../../engine/scenario/kernelName';
import { isScenarioUri, scenarioBaseName, type ScenarioDocuments } from '../documents';

/**
 * The scenario a command acts on: its argument (a URI from a lens, the explorer or the editor
 * title; a tree node or test item carrying one), else the active editor's, else the user's pick.
 */
export async function scenarioUri(
  arg: unknown,
  docs: ScenarioDocuments,
): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  const carried = (arg as { uri?: unknown } | undefined)?.uri;
  if (carried instanceof vscode.Uri) return carried;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isScenarioUri(active)) return active;
  const files = await docs.find();
  if (files.length <= 1) {
    if (files.length === 0) void noScenarios();
    return files[0];
  }
  const pick = await vscode.window.showQuickPick(
    files.map((uri) => ({
      label: scenarioBaseName(uri),
      description: vscode.workspace.asRelativePath(uri),
      uri,
    })),
    { placeHolder: 'Which scenario?', matchOnDescription: true },
  );
  return pick?.uri;
}

async function noScenarios(): Promise<void> {
  const create = 'New Scenario from Example…';
  const choice = await vscode.window.showInformationMessage(
    'There are no scenario files (*.memmap.yaml, *.memmap.json) in the workspace.',
    create,
  );
  if (choice === create) await vscode.commands.executeCommand('memmapLab.newScenarioFromExample');
}

/**
 * A kernel: a preset from the list (`first` on top: the scenario's own, for variant A), or any
 * modelled release typed in (`6.12`, `6.1.0-56-amd64`), checked as the scenario's `kernel:` is.
 */
export async function pickVariant(
  title: string,
  first?: string,
  exclude?: string,
): Promise<string | undefined> {
  const presets = KERNEL_PRESETS.filter((k) => k.name !== exclude).sort((a, b) =>
    a.name === first ? -1 : b.name === first ? 1 : 0,
  );
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
  const items = presets.map((k) => ({
    label: k.name,
    description: k.name === first ? "(the scenario's kernel)" : k.summary,
    detail: k.name === first ? k.summary : k.source,
  }));
  Object.assign(qp, {
    title,
    items,
    matchOnDescription: true,
    placeholder: 'A preset, or any release from v4.18 to v6.18 (6.12, 6.1.0-56-amd64)',
  });
  qp.onDidChangeValue((value) => {
    const typed = value.trim();
    const release = typed && !presets.some((k) => k.name === typed) && !kernelNameProblem(typed);
    qp.items = release ? [{ label: typed, description: 'release' }, ...items] : items;
  });
  const picked = await new Promise<string | undefined>((resolve) => {
    qp.onDidAccept(() => {
      resolve(qp.selectedItems[0]?.label);
      qp.hide();
    });
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  qp.dispose();
  return picked;
}
