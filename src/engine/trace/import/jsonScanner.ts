/** One array element or top-level value the scanner found, as JSON text. */
export type JsonPiece = { kind: 'event'; json: string } | { kind: 'otherData'; json: string };

/** No trace event is this big; a longer one is skipped rather than buffered. */
const MAX_OBJECT = 1 << 20;

/**
 * Finds the trace events of a Chrome Trace Event file as it streams in, without building the
 * whole document: the elements of a top-level array (`[{...},{...}`, which may be unterminated)
 * or of the `traceEvents` array of an object, and the `otherData` object. Each element's text
 * goes to `JSON.parse` on its own, so memory holds one event at a time.
 */
export class JsonScanner {
  /** The top-level shape: `{` (object with traceEvents), `[` (bare array), or not seen yet. */
  shape?: '{' | '[';
  sawTraceEvents = false;
  oversized = 0;
  private stack: number[] = [];
  private inString = false;
  private escape = false;
  private key = '';
  private keyParts: string[] | undefined;
  private keyStart = -1;
  private lastKey = '';
  private capture?: {
    kind: JsonPiece['kind'];
    depth: number;
    parts: string[];
    start: number;
    size: number;
  };

  constructor(private readonly out: (p: JsonPiece) => void) {}

  /** The input ended inside a value. */
  get unfinished(): boolean {
    return this.stack.length > 0 || this.inString;
  }

  push(chunk: string): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 92) this.escape = true;
        else if (c === 34) {
          this.inString = false;
          if (this.keyParts) {
            this.keyParts.push(chunk.slice(this.keyStart, i));
            this.key = this.keyParts.join('');
            this.keyParts = undefined;
          }
        }
        continue;
      }
      switch (c) {
        case 34: // "
          this.inString = true;
          if (this.stack.length === 1 && this.stack[0] === 123 && !this.capture) {
            this.keyParts = [];
            this.keyStart = i + 1;
          }
          break;
        case 58: // :
          if (this.stack.length === 1) this.lastKey = this.key;
          break;
        case 44: // ,
          if (this.stack.length === 1) this.lastKey = '';
          break;
        case 123: // {
        case 91: // [
          this.open(c, i);
          break;
        case 125: // }
        case 93: // ]
          this.stack.pop();
          if (this.capture && this.stack.length === this.capture.depth) this.finish(chunk, i + 1);
          break;
      }
    }
    if (this.capture) this.carry(chunk.slice(this.capture.start));
    if (this.keyParts && this.inString) {
      this.keyParts.push(chunk.slice(this.keyStart));
      this.keyStart = 0;
    }
  }

  private open(c: number, i: number): void {
    if (this.stack.length === 0) this.shape ??= c === 123 ? '{' : '[';
    if (!this.capture && c === 123) {
      const depth = this.stack.length;
      const inBareArray = depth === 1 && this.stack[0] === 91;
      const inEvents =
        depth === 2 &&
        this.stack[0] === 123 &&
        this.stack[1] === 91 &&
        this.lastKey === 'traceEvents';
      const otherData = depth === 1 && this.stack[0] === 123 && this.lastKey === 'otherData';
      if (inBareArray || inEvents || otherData)
        this.capture = {
          kind: otherData ? 'otherData' : 'event',
          depth,
          parts: [],
          start: i,
          size: 0,
        };
    }
    if (c === 91 && this.stack.length === 1 && this.lastKey === 'traceEvents')
      this.sawTraceEvents = true;
    this.stack.push(c);
  }

  private carry(piece: string): void {
    const cap = this.capture!;
    cap.size += piece.length;
    if (cap.size <= MAX_OBJECT) cap.parts.push(piece);
    cap.start = 0;
  }

  private finish(chunk: string, end: number): void {
    const cap = this.capture!;
    this.capture = undefined;
    const last = chunk.slice(cap.start, end);
    if (cap.size + last.length > MAX_OBJECT) {
      this.oversized++;
      return;
    }
    this.out({ kind: cap.kind, json: cap.parts.length ? cap.parts.join('') + last : last });
  }
}
