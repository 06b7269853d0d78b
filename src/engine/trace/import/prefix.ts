/**
 * What precedes a kernel message on a line, peeled off: mail quoting (`> `), the printk level
 * (`<4>`), a syslog/journal prefix (`Mon DD HH:MM:SS host kernel:` or ISO time), dmesg's
 * timestamp (`[  s.us]`, `[  +s.us]` with -d, `[Mon Jun 29 18:28:41 2021]` with -T, `[Jun29 18:28]`
 * with -e) and the caller id (`[  T517]`).
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
  /** A syslog line from something other than the kernel. */
  foreign: boolean;
}

const QUOTE = /^>(?:[ \t]?>)*[ \t]?/;
const LEVEL = /^<\d>/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const BSD = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d+))? +(?:(\S+) +)?([\w.\-/]+(?:\[\d+\])?): ?/;
const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(?:Z|[+-]\d\d:?\d\d)? +(?:(\S+) +)?([\w.\-/]+(?:\[\d+\])?): ?/;
const STAMP = /^\s*\[ *(\d+)\.(\d+)\] ?/;
const REL = /^\[ *\+ *(\d+)\.(\d+)\] ?/;
const CTIME = /^\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d\d):(\d\d):(\d\d) \d{4}\] ?/;
const HUMAN = /^\[(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ?(\d{1,2}) (\d\d):(\d\d)\] ?/;
const CALLER = /^\[ *[TC]\d+\] ?/;
const JOURNAL_TAG = /^(?:[\w.-]+ )?kernel: ?/;

/** Seconds and a decimal fraction as integer ns, without floating-point loss. */
export function secondsToNs(int: string, frac = ''): number {
  return Number(int) * 1e9 + Number((frac + '000000000').slice(0, 9));
}

function wall(month: string, day: string, h: string, m: string, s: string, frac = ''): number {
  return (((MONTHS.indexOf(month) * 31 + Number(day)) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s) + Number(`0.${frac || '0'}`);
}

/** Mail quoting only (ftrace and lock_stat lines carry no other prefix). */
export function stripQuote(raw: string): { quote: number; text: string } {
  const q = QUOTE.exec(raw);
  return q ? { quote: (q[0].match(/>/g) ?? []).length, text: raw.slice(q[0].length) } : { quote: 0, text: raw };
}

/** Peels the prefixes off one physical line. */
export function parsePrefix(raw: string): PrefixedLine {
  const unquoted = stripQuote(raw);
  let text = unquoted.text.replace(LEVEL, '');
  const out: PrefixedLine = { quote: unquoted.quote, text, foreign: false };
  let m = BSD.exec(text);
  if (m) {
    out.wallS = wall(m[1], m[2], m[3], m[4], m[5], m[6]);
    out.foreign = !/^kern(el)?\b/.test(m[8]);
    text = text.slice(m[0].length);
  } else if ((m = ISO.exec(text))) {
    out.wallS = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000 + Number(`0.${m[7] || '0'}`);
    out.foreign = !/^kern(el)?\b/.test(m[9]);
    text = text.slice(m[0].length);
  }
  text = text.replace(LEVEL, '');
  if ((m = STAMP.exec(text))) {
    out.stampNs = secondsToNs(m[1], m[2]);
    text = text.slice(m[0].length);
  } else if ((m = REL.exec(text))) {
    out.relNs = secondsToNs(m[1], m[2]);
    text = text.slice(m[0].length);
  } else if ((m = CTIME.exec(text))) {
    out.wallS = wall(m[1], m[2], m[3], m[4], m[5]);
    text = text.slice(m[0].length);
  } else if ((m = HUMAN.exec(text))) {
    out.wallS = wall(m[1], m[2], m[3], m[4], '0');
    text = text.slice(m[0].length);
  }
  if (out.stampNs !== undefined || out.relNs !== undefined) {
    text = text.replace(CALLER, '');
    if (out.wallS === undefined) text = text.replace(JOURNAL_TAG, '');
  }
  out.text = text;
  return out;
}

/** The line carried a prefix that starts a new message (so it is not a mailer's wrap). */
export function startsMessage(p: PrefixedLine): boolean {
  return p.stampNs !== undefined || p.relNs !== undefined || p.wallS !== undefined;
}
