import * as vscode from 'vscode';
import type { ParseResult } from '../engine/parse/parseScenario';

/**
 * Scenario files in the editor. YAML scenarios are the `memmap-scenario` language; JSON ones stay
 * `json` so VS Code's own JSON support completes and validates them from the contributed schema.
 */
export const SCENARIO_SELECTOR: vscode.DocumentSelector = [
  { language: 'memmap-scenario' },
  { language: 'json', pattern: '**/*.memmap.json' },
  { language: 'yaml', pattern: '**/*.memmap.{yaml,yml}' },
];

export const SCENARIO_GLOB = '**/*.memmap.{yaml,yml,json}';

export function isScenarioUri(uri: vscode.Uri): boolean {
  return /\.memmap\.(ya?ml|json)$/i.test(uri.path);
}

/** The file name without `.memmap.yaml`: "three-tib-per-node". */
export function scenarioBaseName(uri: vscode.Uri): string {
  return uri.path
    .split('/')
    .pop()!
    .replace(/\.memmap\.(ya?ml|json)$/i, '');
}

/** Typing pauses shorter than this are not a new version to parse and run. */
const SETTLE_MS = 300;

/** A document's version once typing paused, and its parse. */
export interface Settled {
  doc: vscode.TextDocument;
  parse: ParseResult;
}

/**
 * Scenario texts and their parses: open documents from the editor, others through workspace.fs.
 * A parse costs up to a few hundred milliseconds at the size limit, so it happens in the run
 * worker, never on the extension host, and never per keystroke: what follows an edit listens to
 * `onDidSettle`, fired once typing pauses and the worker has parsed that version.
 */
export class ScenarioDocuments implements vscode.Disposable {
  private readonly parses = new Map<string, { version: number; result: Promise<ParseResult> }>();
  /** The newest parse each open document has had, of whatever version. */
  private readonly lastParsed = new Map<string, ParseResult>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly settled = new vscode.EventEmitter<Settled>();
  /** A scenario document's text changed, then stayed as it is for a moment, and was parsed. */
  readonly onDidSettle = this.settled.event;
  private readonly subscription = vscode.workspace.onDidChangeTextDocument((e) => {
    if (!e.contentChanges.length || !isScenarioUri(e.document.uri)) return;
    const key = e.document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.settle(e.document);
      }, SETTLE_MS),
    );
  });

  /** `parser`: the run worker's parse (WorkerClient.parse). */
  constructor(private readonly parser: (text: string) => Promise<ParseResult>) {}

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.subscription.dispose();
    this.settled.dispose();
  }

  /** The open document of a scenario, if it is open. */
  open(uri: string): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  }

  /**
   * The parse of an open document's current version, made in the worker and cached per version:
   * lenses, hovers, fixes, diagnostics, the tree and the status bar share it. It rejects only when
   * the worker fails, which the worker client has already logged.
   */
  parse(doc: vscode.TextDocument): Promise<ParseResult> {
    const key = doc.uri.toString();
    const hit = this.parses.get(key);
    if (hit && hit.version === doc.version) return hit.result;
    const result = this.parseText(doc.getText());
    const entry = { version: doc.version, result };
    this.parses.set(key, entry);
    result.then(
      (r) => {
        if (this.parses.get(key) === entry) this.lastParsed.set(key, r);
      },
      // A worker that failed may do better next time: the version is not kept as parsed.
      () => this.parses.get(key) === entry && this.parses.delete(key),
    );
    return result;
  }

  /**
   * Calls `use` with the parse of the document's current version once it is in, unless the
   * document changed or closed meanwhile, or the worker failed (the worker client logged it).
   */
  whenParsed(doc: vscode.TextDocument, use: (parse: ParseResult) => void): void {
    const version = doc.version;
    this.parse(doc).then(
      (parse) => !doc.isClosed && doc.version === version && use(parse),
      () => undefined,
    );
  }

  /**
   * The newest parse of an open document that is already in, of whatever version: for what must
   * answer at once while the user types (completions), where a half-typed line does not matter.
   */
  parsedBefore(doc: vscode.TextDocument): ParseResult | undefined {
    return this.lastParsed.get(doc.uri.toString());
  }

  /** The parse of a text (not cached: a file read from disk). */
  parseText(text: string): Promise<ParseResult> {
    return this.parser(text);
  }

  forget(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.parses.delete(uri);
    this.lastParsed.delete(uri);
  }

  /** Fires `onDidSettle` once the worker has parsed the version typing paused at. */
  private settle(doc: vscode.TextDocument): void {
    if (!doc.isClosed) this.whenParsed(doc, (parse) => this.settled.fire({ doc, parse }));
  }

  /** A scenario's text and version: the editor's if open (unsaved edits count), else the file's (version 0). */
  async read(uri: vscode.Uri): Promise<{ text: string; version: number }> {
    const doc = this.open(uri.toString());
    if (doc) return { text: doc.getText(), version: doc.version };
    return { text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), version: 0 };
  }

  /** Every scenario file in the workspace. */
  async find(): Promise<vscode.Uri[]> {
    const files = await vscode.workspace.findFiles(SCENARIO_GLOB, '**/node_modules/**');
    return files.sort((a, b) => a.path.localeCompare(b.path));
  }
}
