import { createReadStream } from 'node:fs';
import * as vscode from 'vscode';
import type { InstantLevel } from '../engine/trace/model';
import type { ImportedLog } from '../engine/trace/import/types';
import { DIAGNOSTIC_SOURCE } from './convert';
import { lazy } from './lazy';
import type * as LogFormats from './logFormats';
import { saveFile } from './saveFile';
import type { LogSource } from './runService';

const importer = lazy<typeof LogFormats>('logFormats');

const SEVERITY: Record<InstantLevel, vscode.DiagnosticSeverity> = {
  bug: vscode.DiagnosticSeverity.Error,
  warn: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  debug: vscode.DiagnosticSeverity.Hint,
};

/** Bytes the importer parses at a time before the extension host's event loop gets a turn. */
const CHUNK = 1 << 20;

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

  /** The log imported, if it was. */
  get(file: vscode.Uri | string): ImportedLog | undefined {
    return this.logs.get(file.toString());
  }

  /**
   * The log, imported: the earlier import while the file is unchanged, else a new one, streamed
   * in chunks with a turn of the event loop between them, so a 100 MB log leaves the extension
   * host responsive. A log without an error is kept (and its events become diagnostics).
   */
  async load(file: vscode.Uri | string, signal?: AbortSignal): Promise<ImportedLog> {
    const uri = typeof file === 'string' ? vscode.Uri.parse(file) : file;
    const key = uri.toString();
    const stat = await vscode.workspace.fs.stat(uri);
    const stamp = `${stat.mtime}:${stat.size}`;
    const known = this.logs.get(key);
    if (known && this.stamps.get(key) === stamp) return known;
    const log = await importer().importLog(chunks(uri), { name: uri.path.split('/').pop(), signal });
    if (!log.error) {
      this.add(uri, log);
      this.stamps.set(key, stamp);
    }
    return log;
  }

  add(file: vscode.Uri, log: ImportedLog): void {
    this.logs.set(file.toString(), log);
    this.stamps.delete(file.toString());
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, [...this.logs.keys()].map((k) => contextPath(vscode.Uri.parse(k))));
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
    await saveFile(out, importer().EXPORT_FORMATS.chrome.render(log.trace), [file]);
    return out;
  }

  dispose(): void {
    this.collection.dispose();
    this.logs.clear();
    this.stamps.clear();
  }
}

/** The file's bytes in chunks; after each, the event loop runs (I/O, UI requests) before the next is parsed. */
async function* chunks(uri: vscode.Uri): AsyncIterable<Uint8Array> {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  if (uri.scheme === 'file') {
    for await (const chunk of createReadStream(uri.fsPath, { highWaterMark: CHUNK })) {
      yield chunk as Buffer;
      await turn();
    }
    return;
  }
  const bytes = await vscode.workspace.fs.readFile(uri);
  for (let at = 0; at < bytes.length; at += CHUNK) {
    yield bytes.subarray(at, at + CHUNK);
    await turn();
  }
}

/** What `resourcePath` holds for a file in a `when` clause: its file-system path, else the URI's path. */
function contextPath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.path;
}
