import type { PrintedTime } from '../model';
import { MONTH, monthIndex } from './months';

/**
 * What precedes a kernel message on a line, peeled off: mail quoting (`> `), the printk level
 * (`<4>`), a syslog/journal prefix (`Mon DD HH:MM:SS host kernel:` or ISO time, month names in
 * any locale), dmesg's timestamp (`[  s.us]`, `[  +s.us]` with -d, `[Mon Jun 29 18:28:41 2021]`
 * with -T, `[Jun29 18:28]` with -e, `2021-06-29T18:28:41,123456+02:00` with --time-format iso)
 * and the caller id (`[  T517]`); the time is also kept as printed. Whatever stands before a
 * dmesg timestamp (a `grep -H` file
 * name, a test runner's prefix, a container runtime's logfmt `console="…"`) is a leader, dropped.
 */
export interface PrefixedLine {
  /** Mail quote depth. */
  quote: number;
  /** The message, leading indentation kept (call traces and ftrace nest by it). */
  text: string;
  /** dmesg's seconds since boot, in ns. */
  stampNs?: number;
  /** A `dmesg -d`/`--reltime` delta, in ns. */
  relNs?: number;
  /** Wall clock from syslog or `dmesg -T`, in seconds (for ordering only). */
  wallS?: number;
  /** The line's time as printed (its segment is the timebase's to tell). */
  printed?: PrintedTime;
  /** What stood before the message (time, caller id, syslog tag), verbatim. */
  prefix: string;
  /** A syslog line from something other than the kernel. */
  foreign: boolean;
  /** printk's caller id (CONFIG_PRINTK_CALLER): `T123` a task, `C2` a CPU in interrupt context. */
  caller?: string;
}

const QUOTE = /^>(?:[ \t]?>)*[ \t]?/;
const LEVEL = /^<\d>/;
const BSD = new RegExp(
  String.raw`^ ?(${MONTH}) +(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d+))? +(?:(\S+) +)?([\w.\-/]+(?:\[\d+\])?): ?`,
  'u',
);
const ISO =
  /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(?:Z|[+-]\d\d:?\d\d)? +(?:(\S+) +)?([\w.\-/]+(?:\[\d+\])?): ?/;
/** `dmesg --time-format iso`: ISO 8601 with a comma before the µs and no host or tag after it. */
const DMESG_ISO = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d),(\d+)[+-]\d\d:?\d\d /;
/**
 * `[  303.441089]`, or with `dmesg -d` `[  303.441089 <    0.000123>]` (util-linux dmesg.c:
 * "[%5ld.%06ld <%12.06f>] "); the delta is negative where the clock went back (`<   -0.007997>`).
 */
const STAMP = /^\s*\[ *(\d+)\.(\d+)(?: <\s*(-?\d+\.\d+)>)?\] ?/;
const REL = /^\[ *\+ *(\d+)\.(\d+)\] ?/;
const CTIME = new RegExp(
  String.raw`^\[[\p{L}.]{1,6} +(${MONTH}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})\] ?`,
  'u',
);
const HUMAN = new RegExp(String.raw`^\[(${MONTH}) ?(\d{1,2}) (\d\d):(\d\d)\] ?`, 'u');
const CALLER = /^\[ *([TC]\d+)\] ?/;
/** A dmesg timestamp somewhere in a line's first LEADER characters (sticky: tried at each `[`). */
const STAMP_AT = /\[ *\d+\.\d+(?: <\s*-?\d+\.\d+>)?\]/y;
/** How far into a line a leader may reach: a path, a test id, a logfmt time and level. */
const LEADER = 256;
/** A logfmt field that opened a quoted value right before the stamp: `console="`. */
const LOGFMT = /\w="$/;
const JOURNAL_TAG = /^(?:[\w.-]+ )?kernel: ?/;

/** Seconds and a decimal fraction as integer ns, without floating-point loss. */
export function secondsToNs(int: string, frac = ''): number {
  const ns =
    frac.length <= 9 ? Number(frac || '0') * 10 ** (9 - frac.length) : Number(frac.slice(0, 9));
  return Number(int) * 1e9 + ns;
}

/**
 * Seconds of a wall-clock date, for ordering and gaps. Syslog prints no year: a leap year stands
 * in, so the days between two dates are right across the end of February.
 */
function wall(
  month: string,
  day: string,
  h: string,
  m: string,
  s: string,
  frac = '',
  year = '2000',
): number {
  return Date.UTC(+year, monthIndex(month), +day, +h, +m, +s) / 1000 + Number(`0.${frac || '0'}`);
}

/** A syslog prefix's date, as printed: `Jun  9 18:28:41.123`. */
const SYSLOG_DATE = /^ ?(.*?\d\d:\d\d:\d\d(?:\.\d+)?)/;

/** Mail quoting only (ftrace and lock_stat lines carry no other prefix). */
export function stripQuote(raw: string): { quote: number; text: string } {
  const q = raw.charCodeAt(0) === 62 ? QUOTE.exec(raw) : null;
  return q
    ? { quote: (q[0].match(/>/g) ?? []).length, text: raw.slice(q[0].length) }
    : { quote: 0, text: raw };
}

/**
 * The line from its dmesg timestamp on, when something else stands before it: `node7.log:[  1.2] …`
 * (grep -H), `(03/10) suite/test_x.py:  [ 98.1] …` (a test runner), `level=info console="[ 1.2] …"`
 * (logfmt: the value ends at its closing quote and its escapes are undone). Linear: one sticky
 * test at each `[` of the first LEADER characters.
 */
function dropLeader(text: string): string | undefined {
  const end = Math.min(text.length, LEADER);
  for (let i = text.indexOf('[', 1); i >= 0 && i < end; i = text.indexOf('[', i + 1)) {
    STAMP_AT.lastIndex = i;
    if (!STAMP_AT.test(text)) continue;
    if (!LOGFMT.test(text.slice(Math.max(0, i - 40), i))) return text.slice(i);
    return unquote(text.slice(i));
  }
  return undefined;
}

/** A logfmt value without its closing quote and what follows it, escapes undone. */
function unquote(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') break;
    if (c !== '\\' || i + 1 === value.length) {
      out += c;
      continue;
    }
    const n = value[++i];
    out += n === 'n' || n === 't' ? ' ' : n;
  }
  return out;
}

/** Peels the prefixes off one physical line; a leader before a dmesg timestamp only when nothing else matched. */
export function parsePrefix(raw: string): PrefixedLine {
  const unquoted = raw.charCodeAt(0) === 62 ? stripQuote(raw) : undefined;
  const quote = unquoted?.quote ?? 0;
  const text = dropLevel(unquoted?.text ?? raw);
  const out = peel(text, quote);
  if (startsMessage(out)) return out;
  const rest = dropLeader(text);
  return rest === undefined ? out : peel(rest, quote);
}

function peel(start: string, quote: number): PrefixedLine {
  let text = start;
  // Every field from the start: one object shape for all lines.
  const out: PrefixedLine = {
    quote,
    text,
    stampNs: undefined,
    relNs: undefined,
    wallS: undefined,
    printed: undefined,
    prefix: '',
    foreign: false,
    caller: undefined,
  };
  let date: string | undefined;
  // A syslog or ISO prefix begins with a month name, a space or a digit, never with dmesg's `[`.
  let m = text.charCodeAt(0) === 91 ? null : BSD.exec(text);
  if (m) {
    out.wallS = wall(m[1], m[2], m[3], m[4], m[5], m[6]);
    out.foreign = !/^kern(el)?\b/.test(m[8]);
    date = SYSLOG_DATE.exec(m[0])![1];
    text = text.slice(m[0].length);
  } else if (text.charCodeAt(0) !== 91 && (m = DMESG_ISO.exec(text) ?? ISO.exec(text))) {
    out.wallS =
      Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000 + Number(`0.${m[7] || '0'}`);
    out.foreign = m[9] !== undefined && !/^kern(el)?\b/.test(m[9]);
    date = /^\S+[T ]\S+/.exec(m[0])![0];
    text = text.slice(m[0].length);
  }
  if (date !== undefined) out.printed = { clock: 'wall', text: date };
  text = dropLevel(text);
  const stamp = readStamp(text, out, date);
  // REL, CTIME and HUMAN all begin with `[`: other lines need not try them.
  const bracket = text.charCodeAt(0) === 91;
  if (stamp) text = text.slice(stamp);
  else if (bracket && (m = REL.exec(text))) {
    out.relNs = secondsToNs(m[1], m[2]);
    out.printed = { clock: 'relative', text: `+${m[1]}.${m[2]}` };
    if (date) out.printed.wall = date;
    text = text.slice(m[0].length);
  } else if (bracket && (m = CTIME.exec(text) ?? HUMAN.exec(text))) {
    // dmesg -T's ctime() date has a year; -H's "Jun29 18:28" (util-linux short_ctime()) has
    // neither year nor seconds.
    out.wallS = wall(m[1], m[2], m[3], m[4], m[5] ?? '0', '', m[6]);
    out.printed = { clock: 'wall', text: m[0].trim().slice(1, -1) };
    text = text.slice(m[0].length);
  }
  if (out.stampNs !== undefined || out.relNs !== undefined) {
    const c = text.charCodeAt(0) === 91 ? CALLER.exec(text) : null;
    if (c) {
      out.caller = c[1];
      text = text.slice(c[0].length);
    }
    if (out.wallS === undefined && journalTagged(text)) text = text.replace(JOURNAL_TAG, '');
  }
  out.prefix = start.slice(0, start.length - text.length);
  out.text = text;
  return out;
}

/** printk's level (`<4>`), when the line begins with one: a line that does not begin with `<` needs no pattern. */
const dropLevel = (text: string) => (text.charCodeAt(0) === 60 ? text.replace(LEVEL, '') : text);

/** Whether JOURNAL_TAG can match: `kernel:` at the start or right after the first word. */
function journalTagged(text: string): boolean {
  const space = text.indexOf(' ');
  return text.startsWith('kernel:') || (space > 0 && text.startsWith('kernel:', space + 1));
}

const isDigit = (c: number) => c >= 48 && c <= 57;
/** 10 ** n for the digits a fraction lacks of ns: a table, not Math.pow, for every line. */
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/**
 * Reads dmesg's timestamp at the start of the text into `out` (stampNs, a printed time) and
 * returns its length with the space after it, 0 when there is none. The shape nearly every line
 * of a log has, `[  s.us] ` at its very start, is read by hand; any other (leading blanks, a
 * `dmesg -d` delta) by STAMP.
 */
function readStamp(text: string, out: PrefixedLine, date?: string): number {
  const first = text.charCodeAt(0);
  // STAMP allows blanks first (\s: any Unicode space, a BOM too): only other ASCII rules it out at once.
  if (first !== 91) return first > 32 && first < 128 ? 0 : stampByPattern(text, out, date);
  let i = 1;
  while (text.charCodeAt(i) === 32) i++;
  const int = i;
  // The digits' values are summed as they are read: what secondsToNs() makes of them, without
  // parsing strings. Past 15 digits of seconds a sum could round otherwise: STAMP reads those.
  let seconds = 0;
  for (let c = text.charCodeAt(i); isDigit(c); c = text.charCodeAt(++i))
    seconds = seconds * 10 + c - 48;
  const dot = i;
  if (dot === int || dot - int > 15 || text.charCodeAt(dot) !== 46)
    return stampByPattern(text, out, date);
  let frac = 0;
  for (let c = text.charCodeAt(++i); isDigit(c); c = text.charCodeAt(++i))
    if (i - dot <= 9) frac = frac * 10 + c - 48;
  const digits = i - dot - 1;
  if (digits === 0 || text.charCodeAt(i) !== 93) return stampByPattern(text, out, date);
  out.stampNs = seconds * 1e9 + (digits < 9 ? frac * POW10[9 - digits] : frac);
  out.printed = { clock: 'boot', text: text.slice(int, i) };
  if (date) out.printed.wall = date;
  return text.charCodeAt(i + 1) === 32 ? i + 2 : i + 1;
}

function stampByPattern(text: string, out: PrefixedLine, date?: string): number {
  const m = STAMP.exec(text);
  if (!m) return 0;
  out.stampNs = secondsToNs(m[1], m[2]);
  out.printed = { clock: 'boot', text: `${m[1]}.${m[2]}` };
  if (date) out.printed.wall = date;
  if (m[3]) out.printed.delta = m[3];
  return m[0].length;
}

/** The line carried a prefix that starts a new message (so it is not a mailer's wrap). */
export function startsMessage(p: PrefixedLine): boolean {
  return p.stampNs !== undefined || p.relNs !== undefined || p.wallS !== undefined;
}
