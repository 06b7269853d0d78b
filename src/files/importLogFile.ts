import { closeSync, read, readSync } from 'node:fs';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { importLog, LogImporter } from '../engine/trace/import/importLog';
import type { ImportedLog } from '../engine/trace/import/types';
import { errorCode, FileError } from './fileError';
import { openRegularFile } from './readRegularFile';

/** Bytes read and parsed at a time: what one chunk of a log costs in memory. */
const CHUNK = 1 << 20;

const readAsync = promisify(read);

export interface LogFileReading {
  /** Checked between chunks: an abort stops the import (it rejects with an AbortError). */
  signal?: AbortSignal;
  /** After each chunk: the bytes read so far and the file's size when it was opened. */
  progress?: (read: number, size: number) => void;
}

/**
 * A regular file streamed through the importer a chunk at a time, so memory is the importer's
 * caps and one chunk, never the file; reading stops as soon as the importer knows the input is
 * not a log (binary data). Each read is awaited, so the thread's other work (a cancel message)
 * gets a turn between chunks.
 */
export async function importLogFile(
  file: string,
  reading: LogFileReading = {},
): Promise<ImportedLog> {
  const { fd, size } = openRegularFile(file);
  let done = 0;
  async function* chunks(): AsyncIterable<Uint8Array> {
    const buf = Buffer.alloc(CHUNK);
    for (let n = await readChunk(fd, buf, file); n > 0; n = await readChunk(fd, buf, file))
      yield buf.subarray(0, n);
  }
  try {
    return await importLog(chunks(), {
      name: basename(file),
      signal: reading.signal,
      progress: (n) => reading.progress?.((done += n), size),
    });
  } finally {
    closeSync(fd);
  }
}

/** The same import without giving the event loop a turn between chunks (the CLI has nothing else to do). */
export function importLogFileSync(file: string): ImportedLog {
  const { fd } = openRegularFile(file);
  const importer = new LogImporter({ name: basename(file) });
  const buf = Buffer.alloc(CHUNK);
  try {
    for (
      let n = readSync(fd, buf, 0, CHUNK, null);
      n > 0 && !importer.failed;
      n = readSync(fd, buf, 0, CHUNK, null)
    )
      importer.push(buf.subarray(0, n));
  } catch (e) {
    throw new FileError(file, errorCode(e));
  } finally {
    closeSync(fd);
  }
  return importer.end();
}

async function readChunk(fd: number, buf: Buffer, file: string): Promise<number> {
  try {
    return (await readAsync(fd, buf, 0, CHUNK, null)).bytesRead;
  } catch (e) {
    throw new FileError(file, errorCode(e));
  }
}
