import * as vscode from 'vscode';
import { ARCH_PRESETS } from '../../engine/arch/presets';
import { machineTwin } from '../../engine/twin/machineTwin';
import { TwinInputError, type TwinInput } from '../../engine/twin/source';
import {
  twinAnswerProblem,
  twinScenario,
  type TwinAnswers,
  type TwinUnknown,
} from '../../engine/twin/twin';
import { readTwinInputs } from '../../files/machineReport';
import { saveFile } from '../saveFile';
import type { Services } from './services';

const FILES = 'Files of the machine…';
const FOLDER = 'A sosreport or supportconfig folder…';

/** The inputs: the files or folder the user picks (folders and files cannot share one dialog everywhere). */
async function pickInputs(): Promise<vscode.Uri[] | undefined> {
  const choice = await vscode.window.showQuickPick(
    [
      {
        label: FILES,
        detail:
          'dmesg, ndctl list / daxctl list JSON, /proc/iomem, lsmem, numactl -H, a .tar/.tar.gz report',
      },
      {
        label: FOLDER,
        detail: 'an unpacked sosreport or supportconfig: the twin finds the files it reads inside',
      },
    ],
    { title: 'New Scenario from a Machine…' },
  );
  if (!choice) return undefined;
  const folder = choice.label === FOLDER;
  return vscode.window.showOpenDialog({
    title: folder ? 'The sosreport or supportconfig folder' : "The machine's own output",
    canSelectFiles: !folder,
    canSelectFolders: folder,
    canSelectMany: !folder,
    openLabel: 'Build the Twin',
  });
}

const WHAT: Record<keyof TwinAnswers, string> = {
  arch: 'architecture',
  kernel: 'kernel release',
  node: 'NUMA node',
};
const ASK: Record<Exclude<keyof TwinAnswers, 'arch'>, string> = {
  kernel: 'The release it runs (v6.8, 6.1.0-57-amd64):',
  node: 'The node those ranges are on:',
};

/**
 * Asks for each value no input gives, its default offered first; undefined when the user
 * cancels. A value left as offered stays a commented default in the scenario.
 */
async function ask(unknowns: TwinUnknown[]): Promise<TwinAnswers | undefined> {
  const answers: TwinAnswers = {};
  for (const [n, u] of unknowns.entries()) {
    const title = `New Scenario from a Machine… (${n + 1}/${unknowns.length})`;
    const prompt = `No input gives the ${WHAT[u.key]}: ${u.why}.`;
    const value =
      u.key === 'arch'
        ? (
            await vscode.window.showQuickPick(
              [u.default, ...ARCH_PRESETS.map((a) => a.name).filter((a) => a !== u.default)].map(
                (label) => ({ label, description: label === u.default ? 'default' : undefined }),
              ),
              { title, placeHolder: prompt },
            )
          )?.label
        : await vscode.window.showInputBox({
            title,
            prompt: `${prompt} ${ASK[u.key]}`,
            value: u.default,
            validateInput: (v) => twinAnswerProblem(u.key, v.trim()),
          });
    if (value === undefined) return undefined;
    if (value.trim() !== u.default) answers[u.key] = value.trim();
  }
  return answers;
}

/** The twin, with what no input gives asked for first (TwinInputError becomes the user's error). */
async function buildTwin(
  inputs: TwinInput[],
  target: string,
  answers?: TwinAnswers,
): Promise<ReturnType<typeof machineTwin> | undefined> {
  try {
    // The questions come from the scenario alone: the twin's run against the log happens once.
    const given = answers ?? (await ask(twinScenario(inputs).unknowns));
    return given && machineTwin(inputs, target, given);
  } catch (e) {
    if (e instanceof TwinInputError) throw new Error(e.message);
    throw e;
  }
}

export const newScenarioFromMachineCommands = {
  /**
   * Builds the scenario of a machine from its own output (memmap-lab twin), saves it where the
   * user says and opens it; the inputs' disagreements and the twin's run against the machine's
   * boot log go to the Output channel. What no input gives is asked for (unless `answers` are
   * given), and written as a commented default when left as offered.
   */
  'memmapLab.newScenarioFromMachine':
    (s: Services) => async (inputs?: vscode.Uri[], target?: vscode.Uri, answers?: TwinAnswers) => {
      const picked = inputs ?? (await pickInputs());
      if (!picked?.length) return undefined;
      const notOnDisk = picked.find((u) => u.scheme !== 'file');
      if (notOnDisk)
        throw new Error(`${notOnDisk.toString(true)} is not a file on this machine's disk`);
      const folder =
        vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.joinPath(picked[0], '..');
      const file =
        target ??
        (await vscode.window.showSaveDialog({
          title: "Save the machine's scenario",
          defaultUri: vscode.Uri.joinPath(folder, 'machine.memmap.yaml'),
          filters: { 'Memmap scenarios': ['yaml'] },
        }));
      if (!file) return undefined;
      const twin = await buildTwin(
        readTwinInputs(picked.map((u) => u.fsPath)),
        vscode.workspace.asRelativePath(file),
        answers,
      );
      if (!twin) return undefined;
      await saveFile(file, twin.scenario, picked);
      for (const line of [twin.summary, ...twin.warningLines, ...twin.comparison])
        s.output.info(line);
      await vscode.window.showTextDocument(file);
      const differs = twin.comparison.length > 0 && !/agree$/.test(twin.comparison[0]);
      if (twin.warnings.length || differs) {
        const what = [
          twin.warnings.length ? `${twin.warnings.length} input disagreement(s)` : '',
          differs ? "the twin's run differs from the boot log" : '',
        ]
          .filter(Boolean)
          .join('; ');
        void vscode.window
          .showWarningMessage(`Memmap Lab: ${what}.`, 'Show Output')
          .then((c) => c && s.output.show());
      }
      return file;
    },
};
