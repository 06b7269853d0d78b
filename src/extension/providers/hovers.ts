import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../convert';
import type * as EditorFeatures from '../editorFeatures';
import { lazy } from '../lazy';
import type { ScenarioDocuments } from '../documents';
import type { ScenarioRuns } from '../runs/scenarioRuns';

const editorFeatures = lazy<typeof EditorFeatures>('editorFeatures');

/**
 * Hovers: the engine explains the word (sizes, addresses, presets, codes); a pfn also gets its
 * struct page from the latest run; a diagnostic under the cursor gets its rule's meaning and source.
 */
export class ScenarioHovers implements vscode.HoverProvider {
  constructor(
    private readonly runs: ScenarioRuns,
    private readonly docs: ScenarioDocuments,
  ) {}

  async provideHover(
    doc: vscode.TextDocument,
    pos: vscode.Position,
  ): Promise<vscode.Hover | undefined> {
    const { hoverAt, pageMarkdown, ruleMarkdown } = editorFeatures();
    const { scenario } = await this.docs.parse(doc);
    const info = hoverAt(doc.getText(), scenario, doc.offsetAt(pos));
    const parts = info ? [info.markdown] : [];
    const uri = doc.uri.toString();
    if (info?.pfn && this.runs.latest(uri)?.summary) {
      const { pfn, error } = await this.runs.query(uri, 'resolvePfn', { text: info.pfn.text });
      if (pfn !== undefined)
        parts.push(
          pageMarkdown(
            await this.runs.query(uri, 'inspect', { pfn, afterStep: info.pfn.afterStep }),
          ),
        );
      else if (error) parts.push(error);
    }
    const codes = new Set(
      vscode.languages
        .getDiagnostics(doc.uri)
        .filter((d) => d.source === DIAGNOSTIC_SOURCE && d.range.contains(pos))
        .map((d) => String(d.code)),
    );
    for (const code of codes) {
      const md = ruleMarkdown(code);
      if (md && !parts.includes(md)) parts.push(md);
    }
    if (parts.length === 0) return undefined;
    const range = info
      ? new vscode.Range(doc.positionAt(info.range[0]), doc.positionAt(info.range[1]))
      : undefined;
    return new vscode.Hover(
      parts.map((p) => new vscode.MarkdownString(p)),
      range,
    );
  }
}
