import { ChromeImporter } from './chromeImport';
import { DmesgParser } from './dmesgParser';
import { FtraceParser } from './ftraceParser';
import { JsonScanner } from './jsonScanner';
import { JSON_LOG_LINES, jsonLogLine } from './jsonLogLines';
import { binaryShare, LineSplitter } from './lines';
import { LockStatParser } from './lockStatParser';
import { jumpInstant } from './timebase';
import { kernelShaped } from './messages';
import { isSplatBody, parseFrame } from './splatLines';
import { TraceBuilder } from './traceBuilder';
import {
  DEFAULT_LIMITS,
  type ImportedLog,
  type ImportOptions,
  type LogEvent,
  type LogFormat,
  type Limits,
} from './types';

/** Enough of the start of a file to tell text from binary and a JSON trace from a log. */
const SNIFF = 4096;
/** Past this share of non-text characters the input is binary, not a log. */
const BINARY = 0.3;
/** Lines quoted when a file turns out not to be a log, and how much of each. */
const SAMPLE_LINES = 3;
const SAMPLE_CHARS = 80;
/** lock_stat's class rows end in twelve numeric columns (lockStatParser.ts: ROW). */
const LOCK_STAT_COLUMNS = 12;
/** What the line importers look for, named when none of it was found. */
const TRIED =
  'dmesg timestamps (plain, -T, -e, -d, with caller ids), syslog and journal prefixes (month names in any locale), ' +
  'each also after a file name, test runner or logfmt prefix, mail quoting or indentation; kernel messages and splats without them; ' +
  'journalctl -o json and container json-file records; ftrace (function, function_graph, trace-cmd report); /proc/lock_stat; Chrome trace JSON';

/**
 * Imports kernel output incrementally: push chunks (strings or bytes) as they are read, then
 * `end()`. Memory is bounded by the limits, not by the input: lines stream through, and only
 * events, unknown lines and raw log lines up to their caps are kept.
 *
 * Lines go to the parser that claims them: lock_stat rows, ftrace lines, else dmesg/journal
 * text, so a mail with a dmesg excerpt and a function_graph trace yields both.
 */
export class LogImporter {
  private readonly limits: Limits;
  private readonly name: string;
  private readonly decoder = new TextDecoder('utf-8');
  private readonly b: TraceBuilder;
  private readonly events: LogEvent[] = [];
  private readonly unknown: { line: number; text: string }[] = [];
  private readonly splitter: LineSplitter;
  private readonly dmesg: DmesgParser;
  private readonly ftrace: FtraceParser;
  private readonly lockStat: LockStatParser;
  private json?: { scanner: JsonScanner; chrome: ChromeImporter; bad: number; read: number };
  private sniffed = '';
  private decided = false;
  /** `journalctl -o json` or a container's json-file log: each line a record, turned back into its line. */
  private jsonLines = false;
  private error?: string;
  private lineNo = 0;
  /** A line was lock_stat's: from then on every line is offered to its parser. */
  private lockStatSeen = false;
  /** Characters the kept events hold (headlines and splat lines), and the kept unknown lines. */
  private eventChars = 0;
  private unknownChars = 0;
  /** The first non-blank lines, to show what a file that is no log looks like. */
  private readonly sample: string[] = [];
  /** Unrecognised lines shaped like kernel output (a driver's message, a splat's registers or frames). */
  private kernelLines = 0;
  private counts = {
    events: 0,
    unknown: 0,
    dmesgEvents: 0,
    byKind: {} as ImportedLog['summary']['byKind'],
  };

  constructor(options: ImportOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...definedOnly(options) };
    this.name = options.name ?? 'input';
    this.b = new TraceBuilder(
      this.limits.maxSpans,
      this.limits.maxRawLines,
      this.limits.maxRawChars,
    );
    this.splitter = new LineSplitter(this.limits.maxLineLength);
    this.dmesg = new DmesgParser({
      event: (e) => this.event(e, true),
      unknown: (l) => this.keepUnknown(l.line, l.raw),
      raw: (t, text, prefix) => this.b.raw(t, text, prefix),
    });
    this.ftrace = new FtraceParser(this.b, (e) => this.event(e, false));
    this.lockStat = new LockStatParser((e) => this.event(e, false));
  }

  /** The input is known not to be a log (binary data): the rest of it need not be read. */
  get failed(): boolean {
    return this.error !== undefined;
  }

  push(chunk: string | Uint8Array): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.error || text.length === 0) return;
    if (!this.decided) {
      this.sniffed += text;
      if (this.sniffed.length < SNIFF) return;
      return this.decide();
    }
    this.feed(text);
  }

  end(): ImportedLog {
    if (!this.decided) this.decide();
    if (!this.error) this.feed(this.decoder.decode());
    this.splitter.end((l) => this.line(l));
    this.dmesg.end();
    this.ftrace.end();
    if (this.json) this.json.chrome.finish();
    return this.result();
  }

  private decide(): void {
    this.decided = true;
    const sample = this.sniffed.slice(0, SNIFF);
    const share = binaryShare(sample);
    if (share > BINARY) {
      this.error = `${this.name} is binary data (${Math.round(share * 100)}% of its first ${sample.length} characters are not text), not a kernel log`;
      return;
    }
    if (JSON_LOG_LINES.test(sample.replace(/^\uFEFF/, ''))) this.jsonLines = true;
    else if (/^\uFEFF?\s*(\{|\[\s*[{\]])/.test(sample)) {
      const chrome = new ChromeImporter(this.b);
      const scanner = new JsonScanner((p) => this.jsonPiece(p.kind, p.json));
      this.json = { scanner, chrome, bad: 0, read: 0 };
    }
    const text = this.sniffed;
    this.sniffed = '';
    this.feed(text);
  }

  private feed(text: string): void {
    if (this.json) this.json.scanner.push(text);
    else this.splitter.push(text, (l) => this.line(l));
  }

  private line(record: string): void {
    const no = ++this.lineNo;
    const raw = this.jsonLines ? (jsonLogLine(record) ?? record) : record;
    if (this.sample.length < SAMPLE_LINES && raw.trim())
      this.sample.push(raw.trim().slice(0, SAMPLE_CHARS));
    if (this.lockStatLine(raw, no) || this.ftrace.tryLine(raw, no)) return;
    this.dmesg.line(raw, no);
  }

  /**
   * Until a lock_stat listing began, only its version line or a class row (a name, then twelve
   * numbers to the end of the line) can begin one: other lines need not be tried.
   */
  private lockStatLine(raw: string, no: number): boolean {
    if (
      !this.lockStatSeen &&
      !endsInColumns(raw, LOCK_STAT_COLUMNS) &&
      !raw.includes('lock_stat version')
    )
      return false;
    return this.lockStat.tryLine(raw, no) && (this.lockStatSeen = true);
  }

  private jsonPiece(kind: 'event' | 'otherData', json: string): void {
    const j = this.json!;
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      j.bad++;
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (kind === 'otherData') return j.chrome.otherData(value as Record<string, unknown>);
    j.read++;
    j.chrome.event(value as Parameters<ChromeImporter['event']>[0]);
  }

  private event(e: LogEvent, fromDmesg: boolean): void {
    this.counts.events++;
    if (fromDmesg) this.counts.dmesgEvents++;
    this.counts.byKind[e.kind] = (this.counts.byKind[e.kind] ?? 0) + 1;
    if (this.events.length >= this.limits.maxEvents) return;
    let chars = e.text.length;
    for (const l of e.lines ?? []) chars += l.length;
    if (this.eventChars + chars > this.limits.maxEventChars) return;
    this.eventChars += chars;
    this.events.push(e);
  }

  /** Counts an unknown line; its text is joined only when it is looked at or kept. */
  private keepUnknown(line: number, raw: string[]): void {
    this.counts.unknown++;
    // Only while the file could still be refused (no timestamp, no event yet): a log pays nothing for it.
    const refusable =
      this.kernelLines === 0 && this.counts.events === 0 && this.dmesg.time.mode === 'line-order';
    const room = this.unknown.length < this.limits.maxUnknownLines;
    if (!refusable && !room) return;
    const text = raw.join('\n');
    if (refusable && (kernelShaped(text) || isSplatBody(text) || parseFrame(text, false)))
      this.kernelLines++;
    if (!room || this.unknownChars + text.length > this.limits.maxUnknownChars) return;
    this.unknownChars += text.length;
    this.unknown.push({ line, text });
  }

  private format(): LogFormat {
    if (this.json) return 'chrome-json';
    if (this.lineNo === 0) return 'empty';
    const kinds = this.counts.byKind;
    const graph = kinds['ftrace-call'] ?? 0;
    const fn = kinds['ftrace-function'] ?? 0;
    const locks = kinds['lock-class'] ?? 0;
    const dmesg =
      this.counts.dmesgEvents + (this.dmesg.time.mode === 'line-order' ? 0 : this.b.dmesg.length);
    const best = Math.max(graph, fn, locks, dmesg);
    if (best === 0 || best === dmesg) return 'dmesg';
    return best === graph ? 'ftrace-function-graph' : best === fn ? 'ftrace-function' : 'lock_stat';
  }

  private result(): ImportedLog {
    const format = this.format();
    // Parsers emit in their own time (dmesg waits a line or two to unwrap); the list reads in file order.
    this.events.sort((a, b) => a.line - b.line);
    this.b.lockClasses = this.lockStat.classes.length ? this.lockStat.classes : undefined;
    const lineOrder = this.dmesg.time.mode === 'line-order';
    for (const e of this.events) {
      if (e.kind === 'ftrace-call' || e.kind === 'ftrace-function' || e.kind === 'lock-class')
        continue;
      this.b.dmesgEvent(e, e.t ?? (lineOrder ? e.line * 1000 : 0), lineOrder && e.t === undefined);
    }
    for (const j of this.dmesg.time.jumps) this.b.instants.push(jumpInstant(j));
    const trace = this.b.build('imported');
    if (this.json?.chrome.endNs !== undefined) trace.endNs = this.json.chrome.endNs;
    const error = this.error ?? this.notALog(format);
    return {
      format,
      trace,
      events: this.events,
      unknownLines: this.unknown,
      error,
      summary: {
        lines: this.json ? this.json.read : this.lineNo,
        events: this.counts.events,
        byKind: this.counts.byKind,
        unknownLines: this.counts.unknown,
        droppedUnknownLines: this.counts.unknown - this.unknown.length,
        droppedEvents: this.counts.events - this.events.length,
        droppedRawLines: this.b.droppedRaw,
        droppedRecords: this.b.droppedSpans,
        truncatedLines: this.splitter.truncated,
        droppedState:
          this.b.droppedState +
          this.lockStat.dropped +
          (this.dmesg.time.jumpCount - this.dmesg.time.jumps.length),
        invalidEvents: this.json ? this.json.bad + this.json.chrome.badTimes : 0,
        oversizedEvents: this.json?.scanner.oversized ?? 0,
        timing: this.json ? 'trace' : this.dmesg.time.mode,
        timeJumps: this.dmesg.time.jumpCount,
        truncated: this.dmesg.unfinished || (this.json?.scanner.unfinished ?? false),
      },
    };
  }

  /** One clear message when nothing in the input is kernel output at all. */
  private notALog(format: LogFormat): string | undefined {
    if (this.json) {
      const j = this.json;
      if (j.read > 0 || j.scanner.sawTraceEvents || j.scanner.shape === '[') return undefined;
      return `${this.name} is JSON but not a Chrome trace (no "traceEvents" array)`;
    }
    if (format !== 'dmesg' || this.lineNo === 0) return undefined;
    if (this.counts.events > 0 || this.dmesg.time.mode !== 'line-order' || this.kernelLines > 0)
      return undefined;
    const begins = this.sample.map((l) => JSON.stringify(l)).join(', ');
    return (
      `${this.name} is not a kernel log: none of its ${this.lineNo} lines has a dmesg/syslog timestamp or is a kernel message, ftrace or lock_stat line this importer knows. ` +
      `Tried: ${TRIED}. It begins: ${begins}`
    );
  }
}

/** Whether the line ends in `n` whitespace-separated runs of digits and dots: read from its end, no further than needed. */
function endsInColumns(line: string, n: number): boolean {
  let columns = 0;
  let inColumn = false;
  for (let i = line.length - 1; i >= 0; i--) {
    const c = line.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 46) {
      if (!inColumn) columns++;
      if (columns >= n) return true;
      inColumn = true;
    } else if (c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(line[i]))) inColumn = false;
    else return false;
  }
  return false;
}

function definedOnly(o: ImportOptions): Partial<Limits> {
  const out: Partial<Limits> = {};
  for (const k of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[])
    if (typeof o[k] === 'number') out[k] = o[k];
  return out;
}

/** Imports a whole text at once (small files, tests). */
export function importLogText(text: string, options: ImportOptions = {}): ImportedLog {
  const imp = new LogImporter(options);
  imp.push(text);
  return imp.end();
}

/**
 * Imports a log from a string or a stream of chunks (a file read stream, a fetch body). `signal`
 * is checked before each chunk (a cancel lands between chunks of an awaited source); `progress`
 * hears the length of each chunk once it is parsed. A source that turns out not to be a log is
 * not read further.
 */
export async function importLog(
  input: string | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
  options: ImportOptions & { signal?: AbortSignal; progress?: (length: number) => void } = {},
): Promise<ImportedLog> {
  const imp = new LogImporter(options);
  const chunks = typeof input === 'string' ? slices(input, 1 << 20) : input;
  for await (const chunk of chunks) {
    options.signal?.throwIfAborted();
    imp.push(chunk);
    options.progress?.(chunk.length);
    if (imp.failed) break;
  }
  options.signal?.throwIfAborted();
  return imp.end();
}

function* slices(text: string, size: number): Iterable<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
