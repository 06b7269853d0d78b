import * as vscode from 'vscode';
import { FileError } from '../files/fileError';
import { writeFileAtomic } from '../files/writeFileAtomic';

/**
 * Every save of the extension (exports, calibrated profiles): through the CLI's writeFileAtomic for
 * a file on disk (a temp file beside the target, renamed into place; never over one of `inputs`),
 * and the same temp-and-rename through the workspace file system for other schemes.
 */
export async function saveFile(
  target: vscode.Uri,
  text: string,
  inputs: readonly vscode.Uri[] = [],
): Promise<void> {
  if (target.scheme === 'file')
    return writeFileAtomic(
      target.fsPath,
      text,
      inputs.filter((u) => u.scheme === 'file').map((u) => u.fsPath),
    );
  const input = inputs.find((u) => u.toString() === target.toString());
  if (input)
    throw new FileError(
      target.toString(true),
      `it is ${input.toString(true)}, an input of this command`,
      'write',
    );
  const temp = target.with({ path: `${target.path}.${Date.now().toString(36)}.tmp` });
  try {
    await vscode.workspace.fs.writeFile(temp, new TextEncoder().encode(text));
    await vscode.workspace.fs.rename(temp, target, { overwrite: true });
  } catch (e) {
    await vscode.workspace.fs.delete(temp).then(undefined, () => undefined);
    throw new FileError(
      target.toString(true),
      e instanceof vscode.FileSystemError ? e.code : String((e as Error).message).split('\n')[0],
      'write',
    );
  }
}
