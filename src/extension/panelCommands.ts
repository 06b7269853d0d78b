import type * as vscode from 'vscode';
import { registerPanels, type PanelCommands } from './panels';
import type { LogSource, RunService } from './runService';
import type { Config } from './config';

export type { PanelCommands };

/**
 * The seam between the core and the webview panels (src/extension/panels): commands, lenses,
 * the tree and the tests open views only through this.
 */
export function registerPanelCommands(
  context: vscode.ExtensionContext,
  runs: RunService,
  logs: LogSource,
  config: Config,
): PanelCommands {
  return registerPanels(context, runs, logs, () => config.settings.longLockThresholdNs);
}
