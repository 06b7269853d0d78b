import * as vscode from 'vscode';
import type * as Parse from '../engine/scenario/parse';
import type { ParseResult } from '../engine/scenario/parse';
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
  return uri.path.split('/').pop()!.replace(/\.memmap\.(ya?ml|json)$/i, '');
}

/** Scenario texts and their parses: open documents from the editor, others through workspace.fs. */
export class ScenarioDocuments {
  private readonly parses = new Map<string, { version: number; result: ParseResult }>();

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
