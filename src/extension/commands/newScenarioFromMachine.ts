import * as vscode from 'vscode';
import { machineTwin } from '../../engine/twin/machineTwin';
import { TwinInputError } from '../../engine/twin/source';
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

export const newScenarioFromMachineCommands = {
  /**
   * Builds the scenario of a machine from its own output (memmap-lab twin), saves it where the
   * user says and opens it; the inputs' disagreements and the twin's run against the machine's
   * boot log go to the Output channel. What no input gives is written as a commented default.
   */
  'memmapLab.newScenarioFromMachine':
    (s: Services) => async (inputs?: vscode.Uri[], target?: vscode.Uri) => {
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
      let twin: ReturnType<typeof machineTwin>;
      try {
        twin = machineTwin(
          readTwinInputs(picked.map((u) => u.fsPath)),
          vscode.workspace.asRelativePath(file),
        );
      } catch (e) {
        if (e instanceof TwinInputError) throw new Error(e.message);
        throw e;
      }
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
