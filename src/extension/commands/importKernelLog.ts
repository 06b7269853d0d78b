import * as vscode from 'vscode';
import type { Services } from './services';
import { importWithProgress, logUri } from './kernelLog';

export const importKernelLogCommands = {
  /**
   * Reads real kernel output (dmesg, journal, ftrace, /proc/lock_stat, a Chrome trace) into the
   * trace model: the recognised kernel messages become diagnostics on the log, with the codes the
   * emulator uses, and the trace can be shown, compared and exported like an emulated one.
   */
  'memmapLab.importKernelLog': (s: Services) => async (source?: vscode.Uri) => {
    const file =
      source instanceof vscode.Uri ? source : await logUri(s, null, 'Import Kernel Log…', 'Import');
    if (!file) return undefined;
    const name = file.path.split('/').pop()!;
    const imported = await importWithProgress(s, file);
    if (!imported) return undefined;
    if (imported.error) {
      void vscode.window.showErrorMessage(imported.error);
      return imported;
    }
    const coded = imported.events.filter((e) => e.code).length;
    const line =
      `Imported ${name}: ${imported.format}, ${imported.summary.lines} lines, ${imported.summary.events} kernel events` +
      (coded ? `, ${coded} matching Memmap Lab diagnostics` : '');
    s.output.info(line);
    for (const e of imported.events)
      if (e.code || e.level === 'warn' || e.level === 'bug')
        s.output.info(`  ${name}:${e.line} ${e.code ?? e.kind}: ${e.text}`);
    // A /proc/lock_stat has no timeline to speak of: its view is the lock table.
    const view = imported.format === 'lock_stat' ? 'Open Lock Analysis' : 'Open in Timeline';
    const actions: Record<string, () => unknown> = {
      [view]: () =>
        imported.format === 'lock_stat'
          ? s.panels.openLogLocks(file)
          : s.panels.openLogTimeline(file),
      'Compare with Scenario…': () =>
        vscode.commands.executeCommand('memmapLab.compareWithKernelLog', undefined, file),
      'Open Log': () => vscode.window.showTextDocument(file),
      'Export as Perfetto JSON': () =>
        s.logs
          .exportPerfetto(file)
          .catch((e: Error) => vscode.window.showErrorMessage(`Memmap Lab: ${e.message}`)),
    };
    void vscode.window
      .showInformationMessage(line, ...Object.keys(actions))
      .then((choice) => choice && actions[choice]());
    return imported;
  },
};
