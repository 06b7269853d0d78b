import type * as vscode from 'vscode';
import type { ScenarioDocuments } from '../documents';
import type { ImportedLogs } from '../importedLogs';
import type { PanelCommands } from '../panelCommands';
import type { ScenarioRuns } from '../runs/scenarioRuns';

/** What the commands work with; built once in extension.ts and passed in. */
export interface Services {
  runs: ScenarioRuns;
  docs: ScenarioDocuments;
  panels: PanelCommands;
  logs: ImportedLogs;
  output: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
}
