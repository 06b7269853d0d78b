import { printable } from '../printable';

/** One input file of `memmap-lab twin`: its name as the user gave it, and its text. */
export interface TwinInput {
  file: string;
  text: string;
  /** Lines before the text in its file (a supportconfig section): the first line is lineOffset + 1. */
  lineOffset?: number;
}

/** Where a value came from: the input file and its 1-based line, with the line's text. */
export interface Origin {
  file: string;
  line: number;
  text: string;
}

/** A byte range [start, end) and where it was read. */
export interface SourcedRange {
  start: number;
  end: number;
  from: Origin;
}

/** An input that is not what it claims to be: the file, the line when there is one, and why. */
export class TwinInputError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${reason}`);
  }
}

/** The input's lines with their origins (1-based), after refusing binary data. */
export function inputLines(input: TwinInput): Origin[] {
  // A NUL or the UTF-8 replacement character means the bytes were not text (a core dump, an image).
  const bad = input.text.search(/[\u0000\ufffd]/);
  if (bad >= 0) {
    const line = (input.lineOffset ?? 0) + input.text.slice(0, bad).split('\n').length;
    throw new TwinInputError(
      input.file,
      'binary data, not text (expected a boot log, `ndctl list` JSON or /proc/iomem)',
      line,
    );
  }
  const offset = input.lineOffset ?? 0;
  return input.text
    .split('\n')
    .map((text, i) => ({ file: input.file, line: offset + i + 1, text: text.replace(/\r$/, '') }));
}

/** `file:line` as the generated scenario's comments cite it. */
export function cite(o: Origin): string {
  return `${o.file}:${o.line}`;
}

/** Two inputs that disagree, or an input that leaves something out: the message and the lines involved. */
export interface TwinWarning {
  message: string;
  lines: Origin[];
}

/** `file:line "text"`, the line cut short: the comment that says where a value came from. */
export function quote(o: Origin): string {
  const text = o.text.trim().replace(/^\[\s*\d+\.\d+\]\s*/, '');
  return `${o.file}:${o.line} "${printable(text.length > 90 ? `${text.slice(0, 87)}...` : text)}"`;
}
