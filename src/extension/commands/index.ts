import * as vscode from 'vscode';
import { calibrateCommands } from './calibrateFromKernelLog';
import { exportTraceCommands } from './exportTrace';
import { importKernelLogCommands } from './importKernelLog';
import { kernelLogCommands } from './kernelLogCommands';
import { newScenarioCommands } from './newScenario';
import { newScenarioFromMachineCommands } from './newScenarioFromMachine';
import { runCommands } from './runCommands';
import type { Services } from './services';
import { viewCommands } from './viewCommands';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command takes its own arguments
type CommandFactory = (s: Services) => (...args: any[]) => unknown;

/** Every command, by id (package.json contributes the same ids); registered in one loop. */
export const COMMANDS: Record<string, CommandFactory> = {
  ...runCommands,
  ...viewCommands,
  ...exportTraceCommands,
  ...importKernelLogCommands,
  ...kernelLogCommands,
  ...calibrateCommands,
  ...newScenarioCommands,
  ...newScenarioFromMachineCommands,
};

export function registerCommands(s: Services): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, factory]) => vscode.commands.registerCommand(id, reported(s, id, factory(s))));
}

/**
 * A command that fails (the worker died, a file cannot be read) tells the user in words and
 * leaves the details in the Output channel, instead of VS Code's generic "command failed".
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- passes the command's own arguments through
function reported(s: Services, id: string, command: (...args: any[]) => unknown): (...args: unknown[]) => Promise<unknown> {
  return async (...args) => {
    try {
      return await command(...args);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      s.output.error(`${id} failed: ${e instanceof Error && e.stack ? e.stack : message}`);
      void vscode.window.showErrorMessage(`Memmap Lab: ${message}`, 'Show Output').then((choice) => choice && s.output.show());
      return undefined;
    }
  };
}
