import * as vscode from 'vscode';
import { importLog } from '../../engine/trace/import/importLog';
import type { Services } from './services';

async function pickLog(): Promise<vscode.Uri | undefined> {
  const [file] = (await vscode.window.showOpenDialog({
    title: 'Import Kernel Log…', canSelectMany: false, openLabel: 'Import',
    filters: { 'Kernel output (dmesg, journal, ftrace, lock_stat, Chrome trace)': ['txt', 'log', 'json', 'dmesg'], 'All files': ['*'] },
  })) ?? [];
  return file;
}

export const importKernelLogCommands = {
  /**
   * Reads real kernel output (dmesg, journal, ftrace, /proc/lock_stat, a Chrome trace) into the
   * trace model: the recognised kernel messages become diagnostics on the log, with the codes the
   * emulator uses, and the trace can be exported like an emulated one.
   */
  'memmapLab.importKernelLog': (s: Services) => async (source?: vscode.Uri) => {
    const file = source instanceof vscode.Uri ? source : await pickLog();
    if (!file) return undefined;
    const name = file.path.split('/').pop()!;
    const imported = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Memmap Lab: importing ${name}`, cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        const cancel = token.onCancellationRequested(() => abort.abort());
        try {
          return await importLog([await vscode.workspace.fs.readFile(file)], { name, signal: abort.signal });
        } catch (e) {
          if (abort.signal.aborted) return undefined;
          throw e;
        } finally {
          cancel.dispose();
        }
      },
    );
    if (!imported) return undefined;
    if (imported.error) {
      void vscode.window.showErrorMessage(imported.error);
      return imported;
    }
    s.logs.add(file, imported);
    const coded = imported.events.filter((e) => e.code).length;
    const line = `Imported ${name}: ${imported.format}, ${imported.summary.lines} lines, ${imported.summary.events} kernel events` + (coded ? `, ${coded} matching Memmap Lab diagnostics` : '');
    s.output.info(line);
    for (const e of imported.events) if (e.code || e.level === 'warn' || e.level === 'bug') s.output.info(`  ${name}:${e.line} ${e.code ?? e.kind}: ${e.text}`);
    void vscode.window.showInformationMessage(line, 'Open Log', 'Export as Perfetto JSON').then(async (choice) => {
      if (choice === 'Open Log') await vscode.window.showTextDocument(file);
      if (choice === 'Export as Perfetto JSON') await s.logs.exportPerfetto(file);
    });
    return imported;
  },
};
