import * as vscode from 'vscode';
import type { InstantLevel } from '../engine/trace/model';
import type { ImportedLog } from '../engine/trace/import/types';
import { DIAGNOSTIC_SOURCE } from './convert';
import { lazy } from './lazy';
import type * as LogFormats from './logFormats';
import { saveFile } from './saveFile';
import type { LogSource } from './runService';
import type { WorkerClient } from './runs/workerClient';

const importer = lazy<typeof LogFormats>('logFormats');

const SEVERITY: Record<InstantLevel, vscode.DiagnosticSeverity> = {
  bug: vscode.DiagnosticSeverity.Error,
  warn: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  debug: vscode.DiagnosticSeverity.Hint,
};

/** The context key menus test imported logs with (`resourcePath in memmapLab.importedLogs`). */
const CONTEXT_KEY = 'memmapLab.importedLogs';

/**
 * Real kernel logs the user imported: each recognised message that a rule has a code for is a
 * diagnostic on the log's own line, so a measured WARN reads like the emulator's prediction.
 * The views that show a log (its timeline, its locks, a run beside it) read it from here.
 */
export class ImportedLogs implements vscode.Disposable, LogSource {
  private readonly logs = new Map<string, ImportedLog>();
  /** The file's mtime and size when it was imported: a changed file is imported again. */
  private readonly stamps = new Map<string, string>();
  private readonly collection = vscode.languages.createDiagnosticCollection('memmap-lab-logs');

  constructor(private readonly worker: WorkerClient) {}

  /** The log imported, if it was. */
  get(file: vscode.Uri | string): ImportedLog | undefined {
    return this.logs.get(file.toString());
  }

  /**
   * The log, imported: the earlier import while the file is unchanged, else a new one in the run
   * worker, which streams the file a chunk at a time (bounded memory, the extension host free),
   * reports `progress` after each chunk and stops between chunks when `token` is cancelled; this
   * then rejects with a CancellationError. A log without an error is kept (and its events become
   * diagnostics).
   */
  async load(
    file: vscode.Uri | string,
    reading: {
      token?: vscode.CancellationToken;
      progress?: (read: number, size: number) => void;
    } = {},
  ): Promise<ImportedLog> {
    const uri = typeof file === 'string' ? vscode.Uri.parse(file) : file;
    const key = uri.toString();
    const stat = await vscode.workspace.fs.stat(uri);
    const stamp = `${stat.mtime}:${stat.size}`;
    const known = this.logs.get(key);
    if (known && this.stamps.get(key) === stamp) return known;
    const name = uri.path.split('/').pop() ?? uri.path;
    // The worker opens files on disk itself; another scheme's bytes come through VS Code's file system.
    const source =
      uri.scheme === 'file'
        ? { file: uri.fsPath }
        : { bytes: await vscode.workspace.fs.readFile(uri) };
    if (reading.token?.isCancellationRequested) throw new vscode.CancellationError();
    const { id, done } = this.worker.import({ type: 'import', name, ...source }, reading.progress);
    const cancel = reading.token?.onCancellationRequested(() => this.worker.cancel(id));
    const answer = await done.finally(() => cancel?.dispose());
    if (answer.cancelled) throw new vscode.CancellationError();
    if (!answer.log) throw new Error(answer.error ?? `the run worker did not import ${name}`);
    if (!answer.log.error) {
      this.add(uri, answer.log);
      this.stamps.set(key, stamp);
    }
    return answer.log;
  }

  add(file: vscode.Uri, log: ImportedLog): void {
    this.logs.set(file.toString(), log);
    this.stamps.delete(file.toString());
    void vscode.commands.executeCommand(
      'setContext',
      CONTEXT_KEY,
      [...this.logs.keys()].map((k) => contextPath(vscode.Uri.parse(k))),
    );
    this.collection.set(
      file,
      log.events
        .filter((e) => e.code)
        .map((e) => {
          const d = new vscode.Diagnostic(
            new vscode.Range(e.line - 1, 0, e.endLine - 1, Number.MAX_SAFE_INTEGER),
            e.text,
            SEVERITY[e.level],
          );
          d.code = e.code;
          d.source = DIAGNOSTIC_SOURCE;
          return d;
        }),
    );
  }

  /** Writes the imported trace as Perfetto JSON next to the log; returns the file. */
  async exportPerfetto(file: vscode.Uri, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const log = this.logs.get(file.toString());
    if (!log) return undefined;
    const out =
      target ??
      (await vscode.window.showSaveDialog({
        defaultUri: file.with({ path: `${file.path}.trace.json` }),
      }));
    if (!out) return undefined;
    await saveFile(out, importer().EXPORT_FORMATS.chrome.render(log.trace), [file]);
    return out;
  }

  dispose(): void {
    this.collection.dispose();
    this.logs.clear();
    this.stamps.clear();
  }
}

/** What `resourcePath` holds for a file in a `when` clause: its file-system path, else the URI's path. */
function contextPath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.path;
}
