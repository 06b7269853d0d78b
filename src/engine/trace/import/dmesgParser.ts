import { recognise, TRIGGERS } from './messages';
import { parsePrefix, startsMessage, type PrefixedLine } from './prefix';
import { SplatAssembler, type LogicalLine } from './splat';
import { Timebase } from './timebase';
import type { LogEvent } from './types';
import { isUserSpace } from './userSpace';

export interface DmesgSink {
  event(e: LogEvent): void;
  /** A line no recogniser knew (and not part of a splat). */
  unknown(l: LogicalLine): void;
  /** Every non-blank message line, for the raw log view, with what it printed before it. */
  raw(t: number | undefined, text: string, prefix: string): void;
}

/** A mailer wraps a message over at most this many lines before we stop trying to unwrap it. */
const MAX_WRAP = 3;

/**
 * One printk record holds at most PRINTK_MESSAGE_MAX (2048) bytes once formatted
 * (kernel/printk/internal.h), so unstamped lines past that are not the record's continuation
 * (a pasted /proc/iomem after a stamped line): each then stands alone, and gluing stays linear.
 */
const MAX_RECORD = 2048;

/**
 * Callers (printk caller ids) with a splat of their own in progress: more than a machine's CPUs
 * print at once only in a log of many boots; past it the least recently heard one is closed.
 */
const MAX_CALLERS = 64;

const glue = (a: string, b: string) => (a.endsWith(' ') ? a + b.trim() : `${a} ${b.trim()}`);

/**
 * dmesg, journal and serial-console text, in a streaming pass: prefixes peeled, times made
 * monotonic, mail-wrapped messages unwrapped, splats grouped, known messages turned into events.
 *
 * Unwrapping works two ways. In a timestamped log a line without a timestamp continues the
 * previous message (the mailer broke it). In a log without timestamps a line that holds part of
 * a known message ("percpu ref ... after") is joined with the next one or two if that completes it.
 */
export class DmesgParser {
  readonly time = new Timebase();
  /**
   * One splat assembler per printk caller id, so another task's line inside a WARN splat is its
   * own event (kernel/printk/printk.c: info->caller_id, printed as `[  T123]` or `[    C2]`);
   * lines without one share the '' assembler.
   */
  private readonly splats = new Map<string, SplatAssembler>();
  private current?: LogicalLine;
  /** The caller whose assembler stands last in `splats`. */
  private lastCaller?: string;
  private currentFirst?: string;
  /** Logical lines of an unstamped log waiting to see if they complete a wrapped message. */
  private window: LogicalLine[] = [];
  unfinished = false;

  constructor(private readonly sink: DmesgSink) {}

  /** One physical line; `tNs` overrides the timestamp (an emulated run's exact time). */
  line(raw: string, no: number, tNs?: number): void {
    const p = parsePrefix(raw);
    const t = tNs ?? this.time.at(p);
    const printed = tNs === undefined ? this.time.printed : undefined;
    const text = p.text.includes('\0') ? p.text.replace(/\0/g, '') : p.text;
    if (text.trim().length === 0) {
      this.flushCurrent();
      return;
    }
    const user = !startsMessage(p) && isUserSpace(text);
    if (!p.foreign && !user) this.sink.raw(t, text, p.prefix);
    if (
      this.current &&
      !user &&
      this.continues(p, text) &&
      this.current.text.length + text.length < MAX_RECORD
    ) {
      this.current.text = glue(this.current.text, text);
      this.current.raw.push(raw);
      this.current.endLine = no;
      return;
    }
    this.flushCurrent();
    this.current = {
      line: no,
      endLine: no,
      t,
      printed,
      quote: p.quote,
      text,
      raw: [raw],
      stamped: tNs !== undefined || startsMessage(p),
      caller: p.caller,
      user,
    };
    this.currentFirst = text;
    if (tNs !== undefined || !startsMessage(p)) this.flushCurrent();
  }

  end(): void {
    this.flushCurrent();
    while (this.window.length > 0) this.decide();
    for (const s of this.splats.values()) this.unfinished = s.end() || this.unfinished;
    this.splats.clear();
    this.lastCaller = undefined;
  }

  /** The caller's assembler, most recently heard last (Map order), the longest silent closed past MAX_CALLERS. */
  private splatsOf(caller = ''): SplatAssembler {
    let s = this.splats.get(caller);
    // Most lines come from the caller heard last: it already stands last, nothing to move.
    if (s && caller === this.lastCaller) return s;
    this.lastCaller = caller;
    if (s) this.splats.delete(caller);
    else {
      s = new SplatAssembler(
        (e) => this.sink.event(e),
        (l) => this.sink.unknown(l),
      );
      if (this.splats.size >= MAX_CALLERS) {
        const [oldest, a] = this.splats.entries().next().value!;
        this.splats.delete(oldest);
        a.end();
      }
    }
    this.splats.set(caller, s);
    return s;
  }

  private feed(l: LogicalLine): void {
    this.splatsOf(l.caller).feed(l);
  }

  /**
   * A line with no time prefix after a timestamped one, at the same quote depth, continues it. So
   * does an unquoted one after a quoted line when only that completes a known message: some mailers
   * wrap a quoted line without quoting the rest of it.
   */
  private continues(p: PrefixedLine, text: string): boolean {
    const c = this.current!;
    if (startsMessage(p) || p.foreign) return false;
    if (p.quote === c.quote) return true;
    return (
      p.quote === 0 &&
      TRIGGERS.test(c.text) &&
      !recognise(c.text) &&
      recognise(glue(c.text, text)) !== undefined
    );
  }

  private flushCurrent(): void {
    const l = this.current;
    if (!l) return;
    this.current = undefined;
    l.match = l.user
      ? undefined
      : (recognise(l.text) ?? (l.raw.length > 1 ? recognise(this.currentFirst!) : undefined));
    // A stamped line with nothing waiting before it (most lines of a log) is passed on at once.
    if (l.stamped && this.window.length === 0) return this.feed(l);
    this.window.push(l);
    if (l.match || l.stamped || l.user) while (this.window.length > 0) this.decide();
    else while (this.window.length >= MAX_WRAP) this.decide();
  }

  /** Passes on the oldest waiting line, joined with the next ones when that completes a message. */
  private decide(): void {
    const head = this.window[0];
    if (
      !head.match &&
      !head.stamped &&
      !head.user &&
      this.window.length > 1 &&
      TRIGGERS.test(head.text)
    ) {
      let text = head.text;
      for (let n = 1; n < this.window.length; n++) {
        const next = this.window[n];
        if (next.quote !== head.quote || next.stamped || next.match || next.user) break;
        for (const joined of [glue(text, next.text), text.trimEnd() + next.text.trim()]) {
          const match = recognise(joined);
          if (!match) continue;
          const parts = this.window.splice(0, n + 1);
          this.feed({
            ...head,
            endLine: next.endLine,
            text: joined,
            raw: parts.flatMap((x) => x.raw),
            match,
          });
          return;
        }
        text = glue(text, next.text);
      }
    }
    this.feed(this.window.shift()!);
  }
}
