import * as vscode from 'vscode';
import type { ImportedLog } from '../../engine/trace/import/types';
import { isScenarioUri } from '../documents';
import type { Services } from './services';

const LOG_FILE = /\.(log|txt|dmesg)$/i;

/** A log from a command's argument, else the active editor's (an imported log, or a *.log/*.txt), else the user's pick. */
export async function logUri(
  s: Services,
  arg: unknown,
  title: string,
  openLabel: string,
): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (
    arg === undefined &&
    active &&
    active.scheme !== 'untitled' &&
    !isScenarioUri(active) &&
    (s.logs.get(active) || LOG_FILE.test(active.path))
  )
    return active;
  const [file] =
    (await vscode.window.showOpenDialog({
      title,
      canSelectMany: false,
      openLabel,
      filters: {
        'Kernel output (dmesg, journal, ftrace, lock_stat, Chrome trace)': [
          'txt',
          'log',
          'json',
          'dmesg',
        ],
        'All files': ['*'],
      },
    })) ?? [];
  return file;
}

/**
 * A command called on a log (its editor title, the explorer) for a scenario and a log: the
 * argument is the log, and the scenario is asked for.
 */
export function scenarioAndLog(arg: unknown, log: unknown): [unknown, unknown] {
  return arg instanceof vscode.Uri && !isScenarioUri(arg) && log === undefined
    ? [undefined, arg]
    : [arg, log];
}

/**
 * The log imported (or its earlier import, when unchanged) in the run worker, with a notification
 * that shows how much of the file is read and whose Cancel stops the worker's import; undefined if
 * cancelled.
 */
export async function importWithProgress(
  s: Services,
  file: vscode.Uri,
): Promise<ImportedLog | undefined> {
  const name = file.path.split('/').pop()!;
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Memmap Lab: importing ${name}`,
      cancellable: true,
    },
    async (progress, token) => {
      let shown = 0;
      const report = (read: number, size: number) => {
        const percent = size > 0 ? Math.min(100, (100 * read) / size) : 100;
        // A worker restarted under the import reads the file again: the bar does not go back.
        progress.report({
          increment: Math.max(0, percent - shown),
          message: `${mib(read)} of ${mib(size)} MiB read`,
        });
        shown = Math.max(shown, percent);
      };
      try {
        return await s.logs.load(file, { token, progress: report });
      } catch (e) {
        if (e instanceof vscode.CancellationError) return undefined;
        throw e;
      }
    },
  );
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** The imported log, or undefined after telling the user why there is none. */
export async function importedOrSay(
  s: Services,
  file: vscode.Uri,
): Promise<ImportedLog | undefined> {
  const log = await importWithProgress(s, file);
  if (log?.error) void vscode.window.showErrorMessage(log.error);
  return log && !log.error ? log : undefined;
}
