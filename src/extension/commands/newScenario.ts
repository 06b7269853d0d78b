import * as vscode from 'vscode';
import type { Services } from './services';
import { saveFile } from '../saveFile';

/** An example shipped with the extension: its file and the story its leading comment tells. */
interface Example {
  name: string;
  uri: vscode.Uri;
  story: string;
}

/** The story the threads start from, so the picker (and the walkthrough) opens on it. */
const FIRST_EXAMPLE = 'three-tib-per-node.memmap.yaml';

async function examples(s: Services): Promise<Example[]> {
  const folder = vscode.Uri.joinPath(s.extensionUri, 'examples');
  const entries = await vscode.workspace.fs.readDirectory(folder);
  const files = entries
    .filter(([name, type]) => type === vscode.FileType.File && /\.memmap\.(ya?ml|json)$/.test(name))
    .map(([name]) => name)
    .sort(
      (a, b) => Number(b === FIRST_EXAMPLE) - Number(a === FIRST_EXAMPLE) || a.localeCompare(b),
    );
  return Promise.all(
    files.map(async (name) => {
      const uri = vscode.Uri.joinPath(folder, name);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const story = text
        .split('\n')
        .filter((l) => l.startsWith('#'))
        .map((l) => l.replace(/^#\s?/, ''))
        .join(' ');
      return { name, uri, story };
    }),
  );
}

export const newScenarioCommands = {
  /** Copies an example into the workspace (or an untitled editor without one) and opens it. */
  'memmapLab.newScenarioFromExample':
    (s: Services) => async (exampleName?: string, target?: vscode.Uri) => {
      const all = await examples(s);
      const example = exampleName
        ? all.find((e) => e.name === exampleName || e.name.startsWith(`${exampleName}.`))
        : (
            await vscode.window.showQuickPick(
              all.map((e) => ({ label: e.name, detail: e.story, e })),
              { title: 'New Scenario from Example…', matchOnDetail: true },
            )
          )?.e;
      if (!example) return undefined;
      const content = await vscode.workspace.fs.readFile(example.uri);
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      if (!target && !folder) {
        const doc = await vscode.workspace.openTextDocument({
          language: 'memmap-scenario',
          content: new TextDecoder().decode(content),
        });
        await vscode.window.showTextDocument(doc);
        return doc.uri;
      }
      const file =
        target ??
        (await vscode.window.showSaveDialog({
          title: 'Save the new scenario',
          defaultUri: vscode.Uri.joinPath(folder!, example.name),
          filters: { 'Memmap scenarios': ['yaml', 'json'] },
        }));
      if (!file) return undefined;
      // Only the file the user picked is written (no example names a cost profile file to bring along).
      await saveFile(file, new TextDecoder().decode(content), [example.uri]);
      await vscode.window.showTextDocument(file);
      return file;
    },
};
