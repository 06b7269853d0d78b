import type { PrintedTime } from '../model';
import type { Recognised } from './messages';
import { headerFields, isSplatBody, parseFrame, SPLAT_END, splatStart } from './splatLines';
import type { LogEvent } from './types';

/** A logical log line: one physical line, or a message a mailer wrapped over several. */
export interface LogicalLine {
  line: number;
  endLine: number;
  t?: number;
  /** The time the line printed (`t` is its place on the axis). */
  printed?: PrintedTime;
  quote: number;
  /** The message text without prefixes (wrapped pieces joined). */
  text: string;
  /** The physical lines as they were in the file. */
  raw: string[];
  /** It began with a timestamp or syslog prefix. */
  stamped?: boolean;
  /** printk's caller id, when the kernel printed one. */
  caller?: string;
  /** User space wrote it (a shell prompt, libdaxctl): never part of a kernel message. */
  user?: boolean;
  match?: Recognised;
}

interface Open {
  first: LogicalLine;
  last: LogicalLine;
  raw: string[];
  kind: LogEvent['kind'];
  level: LogEvent['level'];
  headline: string;
  fields: Record<string, string | number>;
  message?: { text: string; match: Recognised };
  frames: string[];
  inTrace: boolean;
  sawWarning: boolean;
  /** The WARNING line named no function: the next bare symbol line is it (mail-wrapped). */
  wantFunction: boolean;
  arch?: string;
  /** Inside ftrace_dump()'s output (ftrace_dump_on_oops): every line belongs to the splat until its closing rule. */
  inDump: boolean;
  /** The dump's opening rule was seen: the next rule closes it. */
  sawRule: boolean;
  dumpLines: number;
  /** Lines outside a dump: the cap applies to these, so a long dump does not cut the call trace after it. */
  bodyLines: number;
}

/**
 * kernel/trace/trace.c: ftrace_dump() prints "Dumping ftrace buffer:", a rule of 33 dashes, the
 * buffer, and the rule again (or "   (ftrace buffer empty)"). On ppc64 it runs from the die
 * notifier inside __die(), so the registers and call trace come after it.
 */
const DUMP_START = /^Dumping ftrace buffer:$/;
const DUMP_RULE = /^-{33}$/;
/** A dump longer than this (a per-CPU buffer of 1.4 MB holds ~20 000 lines) is taken to have lost its end. */
const MAX_DUMP_LINES = 100_000;

/** More lines than any real splat has: past it the splat is closed so memory stays bounded. */
const MAX_SPLAT_LINES = 400;

/**
 * Groups WARN/BUG/Oops splats into one event each: the message (before or after the WARNING
 * line, as kernels differ), header, registers and call trace. A line that cannot belong to a
 * splat closes it; one stray line inside it (another CPU's printk) is let through.
 */
export class SplatAssembler {
  private open?: Open;
  /** A WARN message waiting to see whether a WARNING line follows it. */
  private heldWarn?: LogicalLine;
  /** A line inside a splat that may be another CPU's printk, or the first line after it. */
  private maybeStray?: LogicalLine;

  constructor(
    private readonly emit: (e: LogEvent) => void,
    private readonly other: (l: LogicalLine) => void,
  ) {}

  feed(l: LogicalLine): void {
    if (this.maybeStray) {
      const stray = this.maybeStray;
      this.maybeStray = undefined;
      if (this.open && (parseFrame(l.text, true) || isSplatBody(l.text))) this.other(stray);
      else {
        this.close();
        this.feed(stray);
      }
    }
    if (this.open) return this.continueOpen(l);
    const start = splatStart(l.text);
    if (start) {
      const held = this.heldWarn;
      this.heldWarn = undefined;
      if (held && !start.warning) this.standalone(held);
      this.begin(l, start, start.warning ? held : undefined);
      return;
    }
    if (this.heldWarn) this.standalone(this.heldWarn);
    this.heldWarn = undefined;
    if (l.match?.warn) this.heldWarn = l;
    else if (l.match) this.standalone(l);
    else this.other(l);
  }

  end(): boolean {
    // Unfinished: the input stopped while the splat's own lines were still coming.
    const unfinished =
      this.open !== undefined && !this.maybeStray && !SPLAT_END.test(this.open.last.text.trim());
    if (this.maybeStray) {
      const s = this.maybeStray;
      this.maybeStray = undefined;
      this.close();
      this.feed(s);
    }
    this.close();
    if (this.heldWarn) this.standalone(this.heldWarn);
    this.heldWarn = undefined;
    return unfinished;
  }

  private continueOpen(l: LogicalLine): void {
    const o = this.open!;
    const text = l.text.trim();
    if ((o.inDump && this.inDump(o, l, text)) || DUMP_START.test(text))
      return this.dumpLine(o, l, text);
    o.bodyLines++;
    if (SPLAT_END.test(text)) {
      this.add(l);
      return this.close();
    }
    // A panic after a splat is that splat's consequence, not a new report.
    if (/^Kernel panic - not syncing/.test(text)) return this.add(l);
    const start = splatStart(l.text);
    // lib/bug.c: report_bug() prints the cut-here rule before a BUG() too: the BUG line makes it a BUG.
    if (
      start &&
      !start.warning &&
      o.kind === 'warning' &&
      !o.sawWarning &&
      !o.message &&
      o.raw.length === 1
    ) {
      Object.assign(o, { kind: start.kind, level: start.level, headline: text });
      this.add(l);
      return headerFields(l.text, o.fields);
    }
    if (start) {
      const same = start.warning
        ? !o.sawWarning && /^WARNING: /.test(text) && o.kind !== 'bug' && o.kind !== 'oops'
        : start.continuesBug && !o.inTrace;
      if (!same) {
        this.close();
        return this.feed(l);
      }
      this.add(l);
      if (/^WARNING: /.test(text)) o.sawWarning = true;
      o.wantFunction = /^WARNING: .* at \S+$/.test(text);
      headerFields(l.text, o.fields);
      if (!o.message && o.kind === 'warning') o.headline = text;
      return;
    }
    if (l.match?.warn && !o.message && o.kind === 'warning') {
      o.message = { text, match: l.match };
      return this.add(l);
    }
    if (o.bodyLines >= MAX_SPLAT_LINES) {
      this.close();
      return this.feed(l);
    }
    if (/^Call Trace:/.test(text)) o.inTrace = true;
    const frame = parseFrame(l.text, o.inTrace && !/^\s*\S+:/.test(l.text));
    if (frame) {
      this.add(l);
      if (o.wantFunction && !o.inTrace) {
        o.fields.function ??= frame.name;
        o.wantFunction = false;
        return;
      }
      o.inTrace = true;
      o.arch ??= frame.arch;
      if (frame.reliable) o.frames.push(frame.name);
      return;
    }
    if (isSplatBody(l.text)) {
      this.add(l);
      headerFields(l.text, o.fields);
      if (/^Krnl PSW/.test(text)) o.arch = 's390';
      else if (/^(?:PC is at |Backtrace:|Exception stack\()/.test(text)) o.arch ??= 'arm';
      else if (/^NIP /.test(text)) o.arch = 'ppc64';
      else if (/^RIP: /.test(text)) o.arch ??= 'x86';
      return;
    }
    this.maybeStray = l;
  }

  private begin(
    l: LogicalLine,
    start: NonNullable<ReturnType<typeof splatStart>>,
    held?: LogicalLine,
  ): void {
    const text = l.text.trim();
    const first = held ?? l;
    this.open = {
      first,
      last: first,
      raw: [],
      kind: start.kind,
      level: start.level,
      headline: text,
      fields: {},
      frames: [],
      inTrace: false,
      sawWarning: false,
      wantFunction: false,
      inDump: false,
      sawRule: false,
      dumpLines: 0,
      bodyLines: 1,
    };
    if (held) this.open.message = { text: held.text.trim(), match: held.match! };
    if (held) this.add(held);
    this.add(l);
    if (/^WARNING: /.test(text)) {
      this.open.sawWarning = true;
      this.open.wantFunction = /^WARNING: .* at \S+$/.test(text);
    }
    const task = /^INFO: task (\S+):(\d+) blocked for more than (\d+) seconds/.exec(text);
    if (task) Object.assign(this.open.fields, { comm: task[1], pid: +task[2], seconds: +task[3] });
    headerFields(l.text, this.open.fields);
  }

  /**
   * Whether a line is still the dump's: its closing rule was lost (a trimmed paste) when the splat's
   * own lines (registers, frames, its end) come back, and no dump runs past MAX_DUMP_LINES.
   */
  private inDump(o: Open, l: LogicalLine, text: string): boolean {
    if (
      ++o.dumpLines <= MAX_DUMP_LINES &&
      !SPLAT_END.test(text) &&
      !isSplatBody(l.text) &&
      !parseFrame(l.text, false)
    )
      return true;
    o.inDump = false;
    return false;
  }

  /** A line of ftrace_dump()'s output: kept (up to the cap), the dump ends at its second rule. */
  private dumpLine(o: Open, l: LogicalLine, text: string): void {
    if (!o.inDump) Object.assign(o, { inDump: true, sawRule: false, dumpLines: 0 });
    else if (/^\(ftrace buffer empty\)$/.test(text) || (DUMP_RULE.test(text) && o.sawRule))
      o.inDump = false;
    else if (DUMP_RULE.test(text)) o.sawRule = true;
    this.add(l);
  }

  /** Keeps the line's physical lines up to the splat's cap (a loop: spreading a huge array overflows the stack). */
  private add(l: LogicalLine): void {
    const raw = this.open!.raw;
    for (let i = 0; i < l.raw.length && raw.length < MAX_SPLAT_LINES; i++) raw.push(l.raw[i]);
    this.open!.last = l;
  }

  private close(): void {
    const o = this.open;
    if (!o) return;
    this.open = undefined;
    const m = o.message?.match;
    const fields: Record<string, string | number> = { ...o.fields, ...(m?.fields ?? {}) };
    if (o.arch) fields.arch = o.arch;
    if (o.first.quote) fields.quoted = o.first.quote;
    let code = m?.code;
    // The ppc64 hash oops fixed by 87a7ae75d738: a data access fault while initialising device struct pages.
    if (
      !code &&
      o.kind !== 'warning' &&
      o.frames.some((f) => f === 'memmap_init_zone_device') &&
      /Unable to handle kernel data access/.test(o.headline)
    ) {
      code = 'vmemmap-opt-unsupported';
    }
    if (o.kind === 'hung-task') code = 'hung-task';
    this.emit({
      kind: m?.kind ?? o.kind,
      line: o.first.line,
      endLine: o.last.endLine,
      t: o.first.t,
      printed: o.first.printed,
      level: o.level,
      text: o.message?.text ?? o.headline,
      fields,
      lines: o.raw,
      callTrace: o.frames,
      code,
    });
  }

  private standalone(l: LogicalLine): void {
    const m = l.match!;
    const fields = { ...m.fields };
    if (l.quote) fields.quoted = l.quote;
    this.emit({
      kind: m.kind,
      line: l.line,
      endLine: l.endLine,
      t: l.t,
      printed: l.printed,
      level: m.level,
      text: l.text.trim(),
      fields,
      code: m.code,
    });
  }
}
