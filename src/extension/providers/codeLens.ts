import * as vscode from 'vscode';
import { scenarioLenses, type LensAction } from '../../engine/editor/lenses';
import { toRange } from '../convert';
import type { ScenarioDocuments } from '../documents';
import type { ScenarioRuns } from '../runs/scenarioRuns';
import { currentRun, type RunSnapshot } from '../runService';
import { LensRefresh } from './lensRefresh';

/** The command each lens runs, with its arguments. */
function command(uri: vscode.Uri, a: LensAction): Omit<vscode.Command, 'title'> {
  switch (a.kind) {
    case 'run':
    case 'expectation':
      return { command: 'memmapLab.run', arguments: [uri] };
    case 'compare':
      return { command: 'memmapLab.compareVariants', arguments: [uri] };
    case 'exportTrace':
      return { command: 'memmapLab.exportTrace', arguments: [uri] };
    case 'inspect':
      return { command: 'memmapLab.openInspector', arguments: [uri, `${a.device}+0`] };
    case 'timeline':
      return { command: 'memmapLab.openTimeline', arguments: [uri, { device: a.device }] };
    case 'runToStep':
      return { command: 'memmapLab.runToStep', arguments: [uri, a.step] };
    default: {
      const never: never = a;
      throw new Error(`unknown lens ${JSON.stringify(never)}`);
    }
  }
}

/**
 * A view over the parse and the store: which lenses go where is decided in engine/editor/lenses.
 * It remembers which run each document's lenses came from, so that a run the editor did not ask
 * about (see LensRefresh) is asked about again.
 */
export class ScenarioCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  /** The run each document's lenses were last computed from (undefined: none yet). */
  private readonly shownRun = new Map<string, RunSnapshot | undefined>();
  private readonly refresh = new LensRefresh(
    (uri) => this.stale(uri),
    () => this.changed.fire(),
  );
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly runs: ScenarioRuns,
    private readonly docs: ScenarioDocuments,
  ) {
    this.subscriptions = [
      runs.onDidRun((s) => {
        this.changed.fire();
        this.refresh.watch(s.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.shownRun.delete(d.uri.toString());
        this.refresh.stop(d.uri.toString());
      }),
    ];
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const { scenario, problems } = await this.docs.parse(doc);
    const last = this.runs.latest(doc.uri.toString());
    this.shownRun.set(doc.uri.toString(), last);
    // Verdicts only from a run of this very version: another version's may sit on other lines.
    const current = currentRun(last, doc.version, problems);
    return scenarioLenses(
      scenario,
      current.kind === 'run' ? current.run.expectations : undefined,
    ).map((l) => {
      const line = toRange(l.span).start.line;
      return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
        title: l.title,
        tooltip: l.tooltip,
        ...command(doc.uri, l.action),
      });
    });
  }

  dispose(): void {
    this.refresh.dispose();
    this.changed.dispose();
    for (const d of this.subscriptions) d.dispose();
  }

  /** A visible editor shows `uri` at the version of its newest run, with lenses from another run. */
  private stale(uri: string): boolean {
    const latest = this.runs.latest(uri);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
    return (
      !!latest &&
      !!editor &&
      editor.document.version === latest.version &&
      this.shownRun.get(uri) !== latest
    );
  }
}
