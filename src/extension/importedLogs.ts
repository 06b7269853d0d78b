import * as vscode from 'vscode';
import type { InstantLevel } from '../engine/trace/model';
import type { ImportedLog } from '../engine/trace/import/types';
import { TRACE_FORMATS } from './commands/traceFormats';
import { DIAGNOSTIC_SOURCE } from './convert';

const SEVERITY: Record<InstantLevel, vscode.DiagnosticSeverity> = {
  bug: vscode.DiagnosticSeverity.Error,
  warn: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  debug: vscode.DiagnosticSeverity.Hint,
};

/**
 * Real kernel logs the user imported: each recognised message that a rule has a code for is a
 * diagnostic on the log's own line, so a measured WARN reads like the emulator's prediction.
 */
export class ImportedLogs implements vscode.Disposable {
  private readonly logs = new Map<string, ImportedLog>();
  private readonly collection = vscode.languages.createDiagnosticCollection('memmap-lab-logs');

  add(file: vscode.Uri, log: ImportedLog): void {
    this.logs.set(file.toString(), log);
    this.collection.set(file, log.events.filter((e) => e.code).map((e) => {
      const d = new vscode.Diagnostic(new vscode.Range(e.line - 1, 0, e.endLine - 1, Number.MAX_SAFE_INTEGER), e.text, SEVERITY[e.level]);
      d.code = e.code;
      d.source = DIAGNOSTIC_SOURCE;
      return d;
    }));
  }

  /** Writes the imported trace as Perfetto JSON next to the log; returns the file. */
  async exportPerfetto(file: vscode.Uri, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const log = this.logs.get(file.toString());
    if (!log) return undefined;
    const out = target ?? (await vscode.window.showSaveDialog({ defaultUri: file.with({ path: `${file.path}.trace.json` }) }));
    if (!out) return undefined;
    await vscode.workspace.fs.writeFile(out, new TextEncoder().encode(TRACE_FORMATS.perfetto.render(log.trace)));
    return out;
  }

  dispose(): void {
    this.collection.dispose();
    this.logs.clear();
  }
}
