import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FileError, errorCode } from './fileError';

/** The file a path names once symlinks are followed; for a file not there yet, its real folder joined with its name. */
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(resolve(path))), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

/**
 * Writes `data` to a temporary file beside `target` and renames it into place, so a failed write
 * (ENOSPC, EFBIG, EISDIR, EIO, a read-only folder) leaves the old file as it was. A target that
 * resolves to one of the command's `inputs` is refused: an output never replaces what it was made from.
 */
export function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  inputs: readonly string[] = [],
): void {
  const real = realPath(target);
  const input = inputs.find((i) => realPath(i) === real);
  if (input !== undefined)
    throw new FileError(target, `it is ${input}, an input of this command`, 'write');
  const dir = dirname(real);
  const temp = join(dir, `.${basename(real)}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    mkdirSync(dir, { recursive: true });
    const mode = existingMode(real);
    const fd = openSync(temp, 'wx', 0o666);
    created = true;
    try {
      if (mode !== undefined) fchmodSync(fd, mode);
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, real);
  } catch (e) {
    if (created) unlinkQuietly(temp);
    throw new FileError(target, errorCode(e), 'write');
  }
}

/** The permissions of the file being replaced, so a rewrite keeps them. */
function existingMode(file: string): number | undefined {
  try {
    const st = statSync(file);
    return st.isFile() ? st.mode & 0o7777 : undefined;
  } catch {
    return undefined;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // The temp file was never written or is already gone; the write's own error is the one to report.
  }
}
