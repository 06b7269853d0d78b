import { recognise, TRIGGERS } from './messages';
import { parsePrefix, startsMessage, type PrefixedLine } from './prefix';
import { SplatAssembler, type LogicalLine } from './splat';
import { Timebase } from './timebase';
import type { LogEvent } from './types';

export interface DmesgSink {
  event(e: LogEvent): void;
  /** A line no recogniser knew (and not part of a splat). */
  unknown(l: LogicalLine): void;
  /** Every non-blank message line, for the raw log view. */
  raw(t: number | undefined, text: string): void;
}

/** A mailer wraps a message over at most this many lines before we stop trying to unwrap it. */
const MAX_WRAP = 3;

/**
 * One printk record holds at most PRINTK_MESSAGE_MAX (2048) bytes once formatted
 * (kernel/printk/internal.h), so unstamped lines past that are not the record's continuation
 * (a pasted /proc/iomem after a stamped line): each then stands alone, and gluing stays linear.
 */
const MAX_RECORD = 2048;

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
  private readonly splats: SplatAssembler;
  private current?: LogicalLine;
  private currentFirst?: string;
  /** Logical lines of an unstamped log waiting to see if they complete a wrapped message. */
  private window: LogicalLine[] = [];
  unfinished = false;

  constructor(private readonly sink: DmesgSink) {
    this.splats = new SplatAssembler((e) => sink.event(e), (l) => sink.unknown(l));
  }

  /** One physical line; `tNs` overrides the timestamp (an emulated run's exact time). */
  line(raw: string, no: number, tNs?: number): void {
    const p = parsePrefix(raw);
    const t = tNs ?? this.time.at(p);
    const text = p.text.replace(/\0/g, '');
    if (text.trim().length === 0) {
      this.flushCurrent();
      return;
    }
    if (!p.foreign) this.sink.raw(t, text);
    if (this.current && this.continues(p) && this.current.text.length + text.length < MAX_RECORD) {
      this.current.text = glue(this.current.text, text);
      this.current.raw.push(raw);
      this.current.endLine = no;
      return;
    }
    this.flushCurrent();
    this.current = { line: no, endLine: no, t, quote: p.quote, text, raw: [raw], stamped: tNs !== undefined || startsMessage(p) };
    this.currentFirst = text;
    if (tNs !== undefined || !startsMessage(p)) this.flushCurrent();
  }

  end(): void {
    this.flushCurrent();
    while (this.window.length > 0) this.decide();
    this.unfinished = this.splats.end();
  }

  /** A line with no time prefix after a timestamped one, at the same quote depth, continues it. */
  private continues(p: PrefixedLine): boolean {
    return !startsMessage(p) && !p.foreign && p.quote === this.current!.quote;
  }

  private flushCurrent(): void {
    const l = this.current;
    if (!l) return;
    this.current = undefined;
    l.match = recognise(l.text) ?? (l.raw.length > 1 ? recognise(this.currentFirst!) : undefined);
    this.window.push(l);
    if (l.match || l.stamped) while (this.window.length > 0) this.decide();
    else while (this.window.length >= MAX_WRAP) this.decide();
  }

  /** Passes on the oldest waiting line, joined with the next ones when that completes a message. */
  private decide(): void {
    const head = this.window[0];
    if (!head.match && !head.stamped && this.window.length > 1 && TRIGGERS.test(head.text)) {
      let text = head.text;
      for (let n = 1; n < this.window.length; n++) {
        const next = this.window[n];
        if (next.quote !== head.quote || next.stamped || next.match) break;
        for (const joined of [glue(text, next.text), text.trimEnd() + next.text.trim()]) {
          const match = recognise(joined);
          if (!match) continue;
          const parts = this.window.splice(0, n + 1);
          this.splats.feed({ ...head, endLine: next.endLine, text: joined, raw: parts.flatMap((x) => x.raw), match });
          return;
        }
        text = glue(text, next.text);
      }
    }
    this.splats.feed(this.window.shift()!);
  }
}
