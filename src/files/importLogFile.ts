import { closeSync, read, readSync } from 'node:fs';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { LogImporter } from '../engine/trace/import/importLog';
import type { ImportedLog } from '../engine/trace/import/types';
import { errorCode, FileError } from './fileError';
import { openRegularFile } from './readRegularFile';

/** Bytes read and parsed at a time: what one chunk of a log costs in memory. */
const CHUNK = 1 << 20;

const readAsync = promisify(read);

export interface LogFileReading {
  /** After each chunk: the bytes read so far and the file's size when it was opened. */
  progress?: (read: number, size: number) => void;
  /** Asked between chunks (the event loop has had a turn): true stops the import. */
  cancelled?: () => boolean;
}

/**
 * A regular file streamed through the importer a chunk at a time, so memory is the importer's
 * caps and one chunk, never the file. Reading stops as soon as the importer knows the input is
 * not a log (binary data), or when `cancelled` says so: then the answer is 'cancelled'. Each read
 * is awaited, so the thread's other messages (a cancel) are handled between chunks.
 */
export async function importLogFile(file: string, reading: LogFileReading = {}): Promise<ImportedLog | 'cancelled'> {
  const { fd, size } = openRegularFile(file);
  const importer = new LogImporter({ name: basename(file) });
  const buf = Buffer.alloc(CHUNK);
  const next = async () => (await readAsync(fd, buf, 0, CHUNK, null)).bytesRead;
  let done = 0;
  try {
    for (let n = await next(); n > 0 && !importer.failed; n = await next()) {
      if (reading.cancelled?.()) return 'cancelled';
      importer.push(buf.subarray(0, n));
      done += n;
      reading.progress?.(done, size);
    }
    if (reading.cancelled?.()) return 'cancelled';
  } catch (e) {
    throw new FileError(file, errorCode(e));
  } finally {
    closeSync(fd);
  }
  return importer.end();
}

/** The same import without giving the event loop a turn between chunks (the CLI has nothing else to do). */
export function importLogFileSync(file: string): ImportedLog {
  const { fd } = openRegularFile(file);
  const importer = new LogImporter({ name: basename(file) });
  const buf = Buffer.alloc(CHUNK);
  try {
    for (let n = readSync(fd, buf, 0, CHUNK, null); n > 0 && !importer.failed; n = readSync(fd, buf, 0, CHUNK, null)) importer.push(buf.subarray(0, n));
  } catch (e) {
    throw new FileError(file, errorCode(e));
  } finally {
    closeSync(fd);
  }
  return importer.end();
}
