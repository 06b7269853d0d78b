import * as vscode from 'vscode';
import { scenarioLenses, type LensAction } from '../../engine/editor/lenses';
import { toRange } from '../convert';
import type { ScenarioDocuments } from '../documents';
import type { ScenarioRuns } from '../runs/scenarioRuns';

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

/** A view over the parse and the store: which lenses go where is decided in engine/editor/lenses. */
export class ScenarioCodeLenses implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly runs: ScenarioRuns, private readonly docs: ScenarioDocuments) {
    this.onDidChangeCodeLenses = (listener, thisArg, disposables) => runs.onDidRun(() => listener.call(thisArg), undefined, disposables);
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const { scenario } = this.docs.parse(doc);
    const last = this.runs.latest(doc.uri.toString());
    return scenarioLenses(scenario, last?.summary ? last.expectations : undefined).map((l) => {
      const line = toRange(l.span).start.line;
      return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: l.title, ...command(doc.uri, l.action) });
    });
  }
}
