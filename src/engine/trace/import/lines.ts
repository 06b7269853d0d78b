/**
 * Cuts a stream of text chunks into lines without holding more than one partial line: LF, CRLF
 * and a lone CR (serial consoles) all end a line. A line longer than `maxLength` is cut there
 * and the rest of it skipped, so one runaway line (a binary blob) cannot exhaust memory.
 */
export class LineSplitter {
  private partial = '';
  private skipping = false;
  private pendingCr = false;
  truncated = 0;

  constructor(private readonly maxLength: number) {}

  /** The complete lines in `chunk` (plus what was left from the previous one). */
  push(chunk: string, out: (line: string) => void): void {
    let start = 0;
    if (this.pendingCr && chunk.startsWith('\n')) start = 1;
    this.pendingCr = false;
    // indexOf scans natively, each kind of line end searched again only once passed: linear.
    let cr = chunk.indexOf('\r', start);
    let lf = chunk.indexOf('\n', start);
    for (;;) {
      if (cr >= 0 && cr < start) cr = chunk.indexOf('\r', start);
      if (lf >= 0 && lf < start) lf = chunk.indexOf('\n', start);
      const i = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
      if (i < 0) break;
      this.take(chunk.slice(start, i));
      out(this.finish());
      if (i === cr) {
        if (i + 1 < chunk.length && chunk.charCodeAt(i + 1) === 10) start = i + 2;
        else {
          if (i + 1 === chunk.length) this.pendingCr = true;
          start = i + 1;
        }
      } else start = i + 1;
    }
    this.take(chunk.slice(start));
  }

  /** The last line when the input did not end with a newline. */
  end(out: (line: string) => void): void {
    if (this.partial.length > 0 || this.skipping) out(this.finish());
  }

  private take(piece: string): void {
    if (this.skipping || piece.length === 0) return;
    const room = this.maxLength - this.partial.length;
    if (piece.length <= room) {
      this.partial += piece;
      return;
    }
    this.partial += piece.slice(0, room);
    this.skipping = true;
    this.truncated++;
  }

  private finish(): string {
    const line = this.partial;
    this.partial = '';
    this.skipping = false;
    return detach(line);
  }
}

/**
 * The line as a string of its own. A slice of a chunk keeps the whole chunk alive in V8 (a
 * "sliced string"), so a few events kept from each megabyte of a log would keep the whole input
 * in memory; concatenating and slicing again makes V8 copy the characters into a new string.
 */
function detach(line: string): string {
  return (' ' + line).slice(1);
}

/** Share of characters that no text log contains: NUL and other C0 controls, U+FFFD from bad UTF-8. */
export function binaryShare(sample: string): number {
  if (sample.length === 0) return 0;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (
      (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) ||
      c === 0xfffd ||
      c === 127
    )
      bad++;
  }
  return bad / sample.length;
}
