import * as vscode from 'vscode';
import { scenarioBaseName } from '../documents';
import type { Services } from './services';
import { scenarioUri } from './pick';
import { ensureRun } from './runCommands';
import { EXPORT_FORMATS, type ExportFormat } from '../../engine/trace/exportFormats';
import { saveFile } from '../saveFile';

async function pickFormat(): Promise<ExportFormat | undefined> {
  const items = (Object.keys(EXPORT_FORMATS) as ExportFormat[]).map((format) => ({
    label: EXPORT_FORMATS[format].label,
    detail: EXPORT_FORMATS[format].detail,
    format,
  }));
  return (
    await vscode.window.showQuickPick(items, { title: 'Export Trace…', placeHolder: 'Format' })
  )?.format;
}

export const exportTraceCommands = {
  /** Writes the latest run's trace next to the scenario (or where the user says); returns the file. */
  'memmapLab.exportTrace':
    (s: Services) => async (arg?: unknown, format?: ExportFormat, target?: vscode.Uri) => {
      const uri = await scenarioUri(arg, s.docs);
      const run = uri && (await ensureRun(s, uri));
      if (!uri || !run) return undefined;
      if (!run.trace) {
        void vscode.window.showWarningMessage(
          `${scenarioBaseName(uri)} did not run (see the Problems panel): there is no trace to export.`,
        );
        return undefined;
      }
      const chosen = format ?? (await pickFormat());
      if (!chosen) return undefined;
      const spec = EXPORT_FORMATS[chosen];
      const file =
        target ??
        (await vscode.window.showSaveDialog({
          title: `Export ${spec.label}`,
          defaultUri: vscode.Uri.joinPath(
            uri,
            '..',
            `${scenarioBaseName(uri)}.${run.variant}.${spec.extension}`,
          ),
        }));
      if (!file) return undefined;
      await saveFile(file, spec.render(run.trace), [uri]);
      s.output.info(
        `exported ${spec.label} of ${vscode.workspace.asRelativePath(uri)} (${run.variant}) to ${file.toString(true)}`,
      );
      if (!target)
        void vscode.window
          .showInformationMessage(
            `Exported ${spec.label} to ${vscode.workspace.asRelativePath(file)}`,
            'Open',
          )
          .then((c) => c && vscode.window.showTextDocument(file));
      return file;
    },
};
