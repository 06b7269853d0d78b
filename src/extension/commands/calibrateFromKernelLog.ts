import * as vscode from 'vscode';
import type { Calibration } from '../../engine/calibrate/calibrate';
import {
  calibratedProfileFile,
  formatCalibration,
  type CalibratedProfileFile,
} from '../../engine/calibrate/report';
import { setCostProfile } from '../../engine/fixes/costProfileEdit';
import type { LogEvent } from '../../engine/trace/import/types';
import { scenarioBaseName } from '../documents';
import { saveFile } from '../saveFile';
import type { Services } from './services';
import { importedOrSay, logUri, scenarioAndLog } from './kernelLog';
import { scenarioUri } from './pick';

/**
 * For callers without dialogs (other commands, the tests): the answers the user would give.
 * Given at all, no dialog or notification is shown, and nothing is written unless `saveTo` is set.
 */
export interface CalibrateAnswers {
  /** The save dialog's answer: where to write the profile (none: it is not written). */
  saveTo?: vscode.Uri;
  /** The answer to "set the scenario's cost: to it?" (only for a profile inside the scenario's folder). */
  useProfile?: boolean;
}

/** What the command returns: the fit, the profile file's content, and what was done with it. */
export interface CalibrateOutcome {
  calibration: Calibration;
  profile: CalibratedProfileFile;
  saved?: vscode.Uri;
  costSet?: boolean;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The only lines calibration fits to; the rest of a big log need not cross to the worker. */
const initLines = (events: LogEvent[]) =>
  events.filter((e) => e.kind === 'zone-device-init' || e.kind === 'deferred-init');

export const calibrateCommands = {
  /**
   * Fits the scenario's per-page and per-pageblock costs to a real log's init lines (the engine's
   * calibrate, in the worker), shows the fit and its residuals, and offers to save the profile
   * (a save dialog, next to the scenario by default) and then to point the scenario's `cost:` at
   * it (one edit, one undo step). Nothing is written without those answers.
   */
  'memmapLab.calibrateFromKernelLog':
    (s: Services) =>
    async (
      arg?: unknown,
      logArg?: unknown,
      answers?: CalibrateAnswers,
    ): Promise<CalibrateOutcome | undefined> => {
      const [scenarioArg, logFileArg] = scenarioAndLog(arg, logArg);
      const uri = await scenarioUri(scenarioArg, s.docs);
      const log =
        uri &&
        (await logUri(
          s,
          logFileArg,
          `Calibrate ${scenarioBaseName(uri)} from Kernel Log…`,
          'Calibrate',
        ));
      const imported = log && (await importedOrSay(s, log));
      if (!uri || !log || !imported) return undefined;
      const base = scenarioBaseName(uri);
      const logName = log.path.split('/').pop()!;
      const done = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Memmap Lab: calibrating ${base} to ${logName}`,
          cancellable: true,
        },
        (_progress, token) =>
          s.runs.calibrate(uri.toString(), initLines(imported.events), base, token),
      );
      if (!done) return undefined;
      if (!done.result) {
        s.output.error(
          `calibrate ${vscode.workspace.asRelativePath(uri)} from ${vscode.workspace.asRelativePath(log)}: ${done.error}`,
        );
        void vscode.window.showErrorMessage(
          `Cannot calibrate ${base} from ${logName}: ${done.error}`,
        );
        return undefined;
      }
      const calibration = done.result;
      const profile = calibratedProfileFile(
        calibration,
        vscode.workspace.asRelativePath(uri),
        vscode.workspace.asRelativePath(log),
      );
      s.output.info(
        formatCalibration(
          calibration,
          `${vscode.workspace.asRelativePath(uri)} against ${vscode.workspace.asRelativePath(log)}`,
        ),
      );
      if (answers) {
        const saved =
          answers.saveTo && (await writeProfile(s, answers.saveTo, profile, [uri, log]));
        const ref = saved && profileRef(uri, saved);
        const costSet = ref && answers.useProfile ? await useProfile(uri, ref) : false;
        return { calibration, profile, saved, costSet };
      }
      s.output.show(true);
      void offerSave(s, uri, log, profile, calibration);
      return { calibration, profile };
    },
};

/** Notification → save dialog (next to the scenario) → "use it?": each step only on the user's answer. */
async function offerSave(
  s: Services,
  uri: vscode.Uri,
  log: vscode.Uri,
  profile: CalibratedProfileFile,
  c: Calibration,
): Promise<void> {
  const base = scenarioBaseName(uri);
  const save = 'Save Profile…';
  const choice = await vscode.window.showInformationMessage(
    `Fitted ${c.parameters.length} costs of ${base} to ${c.observations.length} init lines: residuals rms ${pct(c.rmsRelError)}, max ${pct(c.maxRelError)} (see the output).`,
    save,
    'Show Output',
  );
  if (choice === 'Show Output') s.output.show();
  if (choice !== save) return;
  const target = await vscode.window.showSaveDialog({
    title: 'Save the calibrated cost profile',
    saveLabel: 'Save Profile',
    defaultUri: vscode.Uri.joinPath(uri, '..', `${base}.cost.json`),
    filters: { 'Cost profile': ['json'] },
  });
  let saved: vscode.Uri | undefined;
  try {
    saved = target && (await writeProfile(s, target, profile, [uri, log]));
  } catch (e) {
    void vscode.window.showErrorMessage(`Memmap Lab: ${(e as Error).message}`);
  }
  if (!saved) return;
  const ref = profileRef(uri, saved);
  if (!ref) {
    void vscode.window.showInformationMessage(
      `Saved ${vscode.workspace.asRelativePath(saved)}. It is outside ${base}'s folder, so the scenario cannot name it in cost: (profiles are looked up next to the scenario).`,
    );
    return;
  }
  const use = `Set cost: ${ref}`;
  if (
    (await vscode.window.showInformationMessage(
      `Saved ${vscode.workspace.asRelativePath(saved)}. Make ${base} use it?`,
      use,
    )) === use
  )
    await useProfile(uri, ref);
}

/** Writes the profile where the user (or the caller for them) said, never over the scenario or the log; its name is the file's. */
async function writeProfile(
  s: Services,
  target: vscode.Uri,
  profile: CalibratedProfileFile,
  inputs: vscode.Uri[],
): Promise<vscode.Uri> {
  const named = {
    ...profile,
    name: target.path
      .split('/')
      .pop()!
      .replace(/\.cost\.json$|\.json$/, ''),
  };
  await saveFile(target, JSON.stringify(named, null, 2) + '\n', inputs);
  s.output.info(`cost profile written to ${target.toString(true)}`);
  return target;
}

/** The profile's path as the scenario's `cost:` names it: relative, inside the scenario's folder (as runs look it up). */
export function profileRef(scenario: vscode.Uri, profile: vscode.Uri): string | undefined {
  const folder = vscode.Uri.joinPath(scenario, '..');
  if (
    folder.scheme !== profile.scheme ||
    folder.authority !== profile.authority ||
    !profile.path.startsWith(folder.path + '/')
  )
    return undefined;
  return profile.path.slice(folder.path.length + 1);
}

/** Points the scenario's `cost:` at the profile: one edit in the editor (one undo step), left unsaved for the user. */
async function useProfile(uri: vscode.Uri, ref: string): Promise<boolean> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = setCostProfile(doc.getText(), ref);
  if (!edit) {
    void vscode.window.showWarningMessage(
      `${scenarioBaseName(uri)}: cannot rewrite its cost: — set it to ${ref} by hand.`,
    );
    return false;
  }
  await vscode.window.showTextDocument(doc, { preview: false });
  const change = new vscode.WorkspaceEdit();
  change.replace(
    uri,
    new vscode.Range(doc.positionAt(edit.offset), doc.positionAt(edit.endOffset)),
    edit.newText,
  );
  return vscode.workspace.applyEdit(change);
}
