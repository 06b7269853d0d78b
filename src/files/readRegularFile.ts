import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { formatSize } from '../engine/units';
import { FileError, errorCode } from './fileError';

/**
 * Opens a file for reading only if it is a regular file. O_NONBLOCK keeps open() of a FIFO from
 * waiting for a writer; fstat then tells a FIFO, a device (`/dev/zero`) or a directory from a file.
 * Returns the descriptor, which the caller closes.
 */
export function openRegularFile(file: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new FileError(file, errorCode(e));
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw new FileError(file, `it is ${kind(st)}, not a regular file`);
  }
  return { fd, size: st.size };
}

/** A regular file's text, read only up to `cap` bytes: a longer one is an error, whatever its size claims. */
export function readRegularFile(file: string, cap: number, what: string): string {
  return readRegularBytes(file, cap, what).toString('utf8');
}

/** A regular file's bytes, read only up to `cap`: a longer one is an error, whatever its size claims. */
export function readRegularBytes(file: string, cap: number, what: string): Buffer {
  const { fd } = openRegularFile(file);
  try {
    const buf = Buffer.alloc(cap + 1);
    let n = 0;
    for (let got = 1; got > 0 && n <= cap; n += got) got = readSync(fd, buf, n, cap + 1 - n, null);
    if (n > cap) throw new FileError(file, `over the ${formatSize(cap)} limit for ${what}`);
    return buf.subarray(0, n);
  } catch (e) {
    throw e instanceof FileError ? e : new FileError(file, errorCode(e));
  } finally {
    closeSync(fd);
  }
}

function kind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a file';
}
