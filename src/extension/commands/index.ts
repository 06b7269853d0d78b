import * as vscode from 'vscode';
import { lazy } from '../lazy';
import type { Services } from './services';
import type * as QuickTable from './quickTable';
import type * as CommandTable from './table';

const quickTable = lazy<typeof QuickTable>('quickCommands');
const commandTable = lazy<typeof CommandTable>('commandTable');

/**
 * Registers the commands the manifest contributes; each is built from its command table (the
 * quick one, else the rest: bundles loaded on the first command run) when it first runs.
 */
export function registerCommands(s: Services, ids: string[]): vscode.Disposable[] {
  return ids.map((id) => {
    let command: ((...args: unknown[]) => unknown) | undefined;
    const run = (...args: unknown[]) => {
      const factory = quickTable().QUICK_COMMANDS[id] ?? commandTable().COMMANDS[id];
      if (!factory) throw new Error(`no command ${id}`);
      return (command ??= factory(s))(...args);
    };
    return vscode.commands.registerCommand(id, reported(s, id, run));
  });
}

/**
 * A command that fails (the worker died, a file cannot be read) tells the user in words and
 * leaves the details in the Output channel, instead of VS Code's generic "command failed".
 */
function reported(
  s: Services,
  id: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- passes the command's own arguments through
  command: (...args: any[]) => unknown,
): (...args: unknown[]) => Promise<unknown> {
  return async (...args) => {
    try {
      return await command(...args);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      s.output.error(`${id} failed: ${e instanceof Error && e.stack ? e.stack : message}`);
      void vscode.window
        .showErrorMessage(`Memmap Lab: ${message}`, 'Show Output')
        .then((choice) => choice && s.output.show());
      return undefined;
    }
  };
}
