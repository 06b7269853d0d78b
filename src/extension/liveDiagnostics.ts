import * as vscode from 'vscode';
import type { Config } from './config';
import { toDiagnostic } from './convert';
import type { ParseResult } from '../engine/parse/parseScenario';
import { isScenarioUri, type ScenarioDocuments } from './documents';
import type { RunSnapshot } from './runService';
import type { ScenarioRuns } from './runs/scenarioRuns';

/** The documents shown in an editor tab (a document model can outlive its last tab for minutes). */
function inTabs(uri: string): boolean {
  return vscode.window.tabGroups.all.some((g) =>
    g.tabs.some((t) => {
      const input = t.input;
      if (input instanceof vscode.TabInputText) return input.uri.toString() === uri;
      return input instanceof vscode.TabInputTextDiff && input.modified.toString() === uri;
    }),
  );
}

/**
 * Diagnostics for open scenarios, refreshed as you type: once typing pauses, the parser's problems
 * at once and the rules' findings when the worker run of that version completes. A superseded run
 * is cancelled, a stale one ignored; closing the file's last tab clears its diagnostics.
 */
export class LiveDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('memmap-lab');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly runs: ScenarioRuns,
    private readonly docs: ScenarioDocuments,
    config: Config,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.changed(d)),
      docs.onDidSettle(({ doc, parse }) => this.parsed(doc, parse)),
      vscode.workspace.onDidCloseTextDocument((d) => this.closed(d.uri.toString())),
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const t of e.closed)
          if (t.input instanceof vscode.TabInputText && !inTabs(t.input.uri.toString()))
            this.closed(t.input.uri.toString());
        // A tab reopened on a document whose model outlived its last tab: no open event comes.
        for (const t of e.opened) {
          const doc =
            t.input instanceof vscode.TabInputText
              ? this.docs.open(t.input.uri.toString())
              : undefined;
          if (doc) this.changed(doc);
        }
      }),
      runs.onDidRun((s) => this.publish(s)),
      config.onDidChange(() => vscode.workspace.textDocuments.forEach((d) => this.changed(d))),
    ];
    // The files open at activation, once activate() has returned.
    this.timers.set(
      '',
      setTimeout(() => vscode.workspace.textDocuments.forEach((d) => this.changed(d))),
    );
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.subscriptions.forEach((s) => s.dispose());
    this.collection.dispose();
  }

  private changed(doc: vscode.TextDocument): void {
    if (!isScenarioUri(doc.uri)) return;
    this.docs.whenParsed(doc, (parse) => this.parsed(doc, parse));
  }

  /** A version as parsed: its parse errors, or the last run's findings until its own run is in. */
  private parsed(doc: vscode.TextDocument, { problems }: ParseResult): void {
    const uri = doc.uri.toString();
    // A file that does not parse will not run: its parse errors are the whole story. Otherwise
    // the last completed run's findings stay until this version's run replaces them.
    if (problems.some((p) => p.severity === 'error')) {
      this.collection.set(
        doc.uri,
        problems.map((p) => toDiagnostic(doc.uri, p)),
      );
      return;
    }
    const last = this.runs.latest(uri);
    this.collection.set(
      doc.uri,
      last?.summary ? last.diagnostics.map((p) => toDiagnostic(doc.uri, p)) : [],
    );
    // One run for the events of one turn (a document opening, then its tab): the last one wins.
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        // An engine failure is already in the output channel (the worker client logs it).
        this.runs.run(uri).catch(() => undefined);
      }),
    );
  }

  private closed(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.runs.cancel(uri);
    this.docs.forget(uri);
    this.collection.delete(vscode.Uri.parse(uri));
  }

  /** Only the document's own run of its current version, while it is in an editor, speaks for it. */
  private publish(s: RunSnapshot): void {
    const doc = this.docs.open(s.uri);
    if (!doc || doc.version !== s.version || this.runs.latest(s.uri) !== s || !inTabs(s.uri))
      return;
    this.collection.set(
      doc.uri,
      s.diagnostics.map((p) => toDiagnostic(doc.uri, p)),
    );
  }
}
