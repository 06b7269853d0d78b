import * as vscode from 'vscode';
import type * as Parse from '../engine/parse/parseScenario';
import type { ParseResult } from '../engine/parse/parseScenario';
import { lazy } from './lazy';

const parser = lazy<typeof Parse>('parse');

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

/**
 * Scenario texts and their parses: open documents from the editor, others through workspace.fs.
 * A parse costs up to a few hundred milliseconds at the size limit, so nothing parses per
 * keystroke: what follows an edit listens to `onDidSettle`, fired once typing pauses.
 */
export class ScenarioDocuments implements vscode.Disposable {
  private readonly parses = new Map<string, { version: number; result: ParseResult }>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly settled = new vscode.EventEmitter<vscode.TextDocument>();
  /** A scenario document's text changed and then stayed as it is for a moment. */
  readonly onDidSettle = this.settled.event;
  private readonly subscription = vscode.workspace.onDidChangeTextDocument((e) => {
    if (!e.contentChanges.length || !isScenarioUri(e.document.uri)) return;
    const key = e.document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!e.document.isClosed) this.settled.fire(e.document);
      }, SETTLE_MS),
    );
  });

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.subscription.dispose();
    this.settled.dispose();
  }

  /** The open document of a scenario, if it is open. */
  open(uri: string): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  }

  /** The parse of an open document's current version (cached: lenses, hovers and fixes share it). */
  parse(doc: vscode.TextDocument): ParseResult {
    const key = doc.uri.toString();
    const hit = this.parses.get(key);
    if (hit && hit.version === doc.version) return hit.result;
    const result = this.parseText(doc.getText());
    this.parses.set(key, { version: doc.version, result });
    return result;
  }

  /** The parse of a text (not cached: a file read from disk). */
  parseText(text: string): ParseResult {
    return parser().parseScenario(text);
  }

  forget(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.parses.delete(uri);
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
