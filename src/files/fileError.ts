/** A file could not be read or written: one line naming the file and why, never its content. */
export class FileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    verb: 'read' | 'write' = 'read',
  ) {
    super(`cannot ${verb} ${path}: ${reason}`);
  }
}

/** `ENOSPC`, `EISDIR`, …: the errno name when there is one, else the message's first line. */
export function errorCode(e: unknown): string {
  if (e instanceof FileError) return e.reason;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code ?? String((e as Error | undefined)?.message ?? e).split('\n')[0];
}
