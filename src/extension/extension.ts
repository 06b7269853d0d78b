import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Config } from './config';
import { SCENARIO_SELECTOR, ScenarioDocuments } from './documents';
import { ImportedLogs } from './importedLogs';
import { LiveDiagnostics } from './liveDiagnostics';
import { registerPanelCommands, type PanelCommands } from './panelCommands';
import { ScenarioCodeLenses } from './providers/codeLens';
import { ScenarioCompletions } from './providers/completions';
import { ScenarioHovers } from './providers/hovers';
import { ScenarioQuickFixes } from './providers/quickFixes';
import { ScenarioRuns } from './runs/scenarioRuns';
import { WorkerClient } from './runs/workerClient';
import { ScenarioStatusBar } from './statusBar';
import { ScenarioTests } from './scenarioTests';
import { ScenarioTree } from './scenarioTree';

/** What activate() returns: the run store, the imported logs, the test controller and the views, for other extensions and the integration tests. */
export interface MemmapLabApi {
  runs: ScenarioRuns;
  logs: ImportedLogs;
  tests: vscode.TestController;
  panels: PanelCommands;
}

/** The command ids the manifest contributes (VS Code's own table of them). */
function contributedCommands(context: vscode.ExtensionContext): string[] {
  const manifest = context.extension.packageJSON as {
    contributes: { commands: { command: string }[] };
  };
  return manifest.contributes.commands.map((c) => c.command);
}

/** Wiring only: build each service once, hand it to what needs it, dispose everything on deactivate. */
export function activate(context: vscode.ExtensionContext): MemmapLabApi {
  const output = vscode.window.createOutputChannel('Memmap Lab', { log: true });
  const config = new Config();
  const worker = new WorkerClient(
    vscode.Uri.joinPath(context.extensionUri, 'dist', 'runWorker.js').fsPath,
    (line) => output.error(line),
  );
  const docs = new ScenarioDocuments((text) => worker.parse(text));
  const runs = new ScenarioRuns(worker, config, docs);
  const logs = new ImportedLogs(worker);
  const panels = registerPanelCommands(context, runs, logs, config);
  const tests = new ScenarioTests(runs, docs, panels);
  const tree = new ScenarioTree(runs, docs);
  const lenses = new ScenarioCodeLenses(runs, docs);
  context.subscriptions.push(
    output,
    config,
    docs,
    worker,
    runs,
    logs,
    tests,
    tree,
    lenses,
    new LiveDiagnostics(runs, docs, config),
    new ScenarioStatusBar(runs, docs),
    vscode.window.createTreeView('memmapLab.scenarios', {
      treeDataProvider: tree,
      showCollapseAll: true,
    }),
    vscode.languages.registerCodeLensProvider(SCENARIO_SELECTOR, lenses),
    vscode.languages.registerHoverProvider(SCENARIO_SELECTOR, new ScenarioHovers(runs, docs)),
    vscode.languages.registerCodeActionsProvider(
      SCENARIO_SELECTOR,
      new ScenarioQuickFixes(runs, docs, config),
      { providedCodeActionKinds: ScenarioQuickFixes.kinds },
    ),
    vscode.languages.registerCompletionItemProvider(
      { language: 'memmap-scenario' },
      new ScenarioCompletions(runs, docs),
      ':',
      ' ',
      '-',
      '[',
      ',',
    ),
    ...registerCommands(
      { runs, docs, panels, logs, output, extensionUri: context.extensionUri },
      contributedCommands(context),
    ),
  );
  return { runs, logs, tests: tests.controller, panels };
}
