import * as vscode from 'vscode';
import { scenarioBaseName } from '../documents';
import type { Services } from './services';
import { scenarioUri } from './pick';
import { ensureRun } from './runCommands';
import { TRACE_FORMATS, type TraceFormat } from './traceFormats';

async function pickFormat(): Promise<TraceFormat | undefined> {
  const items = (Object.keys(TRACE_FORMATS) as TraceFormat[]).map((format) => ({ label: TRACE_FORMATS[format].label, detail: TRACE_FORMATS[format].detail, format }));
  return (await vscode.window.showQuickPick(items, { title: 'Export Trace…', placeHolder: 'Format' }))?.format;
}

export const exportTraceCommands = {
  /** Writes the latest run's trace next to the scenario (or where the user says); returns the file. */
  'memmapLab.exportTrace': (s: Services) => async (arg?: unknown, format?: TraceFormat, target?: vscode.Uri) => {
    const uri = await scenarioUri(arg, s.docs);
    const run = uri && (await ensureRun(s, uri));
    if (!uri || !run) return undefined;
    if (!run.trace) {
      void vscode.window.showWarningMessage(`${scenarioBaseName(uri)} did not run (see the Problems panel): there is no trace to export.`);
      return undefined;
    }
    const chosen = format ?? (await pickFormat());
    if (!chosen) return undefined;
    const spec = TRACE_FORMATS[chosen];
    const file = target ?? (await vscode.window.showSaveDialog({
      title: `Export ${spec.label}`,
      defaultUri: vscode.Uri.joinPath(uri, '..', `${scenarioBaseName(uri)}.${run.variant}.${spec.extension}`),
    }));
    if (!file) return undefined;
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(spec.render(run.trace)));
    s.output.info(`exported ${spec.label} of ${vscode.workspace.asRelativePath(uri)} (${run.variant}) to ${file.toString(true)}`);
    if (!target) void vscode.window.showInformationMessage(`Exported ${spec.label} to ${vscode.workspace.asRelativePath(file)}`, 'Open').then((c) => c && vscode.window.showTextDocument(file));
    return file;
  },
};
