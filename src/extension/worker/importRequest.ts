import { importLog } from '../../engine/trace/import/importLog';
import { FileError } from '../../files/fileError';
import { importLogFile } from '../../files/importLogFile';
import type { ImportDone, ImportProgress, ImportRequest } from '../../protocol/worker';

/** Bytes parsed between two turns of the worker's event loop, for a log that came as bytes. */
const CHUNK = 1 << 20;

/**
 * An import as the worker does it: streamed, with progress after every chunk and the signal
 * (aborted by the host's cancel message) checked between chunks. A file that cannot be read is an
 * answer with its one-line reason; anything else is an engine bug and rejects.
 */
export async function importRequest(
  req: ImportRequest,
  signal: AbortSignal,
  progress: (p: ImportProgress) => void,
): Promise<ImportDone> {
  const report = (read: number, size: number) =>
    progress({ type: 'importing', id: req.id, read, size });
  try {
    const log =
      req.file !== undefined
        ? await importLogFile(req.file, { signal, progress: report })
        : await importBytes(req, signal, report);
    return { type: 'imported', id: req.id, log };
  } catch (e) {
    if (signal.aborted) return { type: 'imported', id: req.id, cancelled: true };
    if (e instanceof FileError) return { type: 'imported', id: req.id, error: e.message };
    throw e;
  }
}

function importBytes(
  req: ImportRequest,
  signal: AbortSignal,
  report: (read: number, size: number) => void,
) {
  const bytes = req.bytes ?? new Uint8Array();
  let done = 0;
  return importLog(chunks(bytes), {
    name: req.name,
    signal,
    progress: (n) => report((done += n), bytes.length),
  });
}

/** The bytes a chunk at a time, the event loop turning (a cancel arriving) before each. */
async function* chunks(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.length; at += CHUNK) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    yield bytes.subarray(at, at + CHUNK);
  }
}
