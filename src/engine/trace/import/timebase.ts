import type { Instant, PrintedTime } from '../model';
import { formatPrinted } from '../printedTime';
import type { PrefixedLine } from './prefix';

/** A step back of more than this is a new boot (or a second log pasted in), not CPU interleaving. */
const JUMP_NS = 1e9;

/** Time jumps kept as instants: a log of pasted-together boots has a few, not thousands. */
const MAX_JUMPS = 1000;

/** Where the printed clock went back by more than JUMP_NS: a new segment of the log starts. */
export interface TimeJump {
  /** The printed times before and after the step. */
  from?: PrintedTime;
  to?: PrintedTime;
  /** Where the new segment starts on the axis. */
  atNs: number;
  /** The new segment's number (the log's first is 1). */
  segment: number;
}

/**
 * Places each line on one monotonic axis in ns (dmesg's seconds since boot, `dmesg -H` deltas
 * added up, or syslog wall time from its first line) and keeps the time the line printed.
 *
 * When the printed clock goes back by more than a second (two boots pasted one after the other,
 * a journal over a reboot) a new segment starts: it follows the previous one on the axis, and
 * its lines keep their printed times, tagged with the segment. A smaller step back (a backtrace
 * stamped before the lines around it, another CPU's line) stays on the axis where the line
 * before it is, so no later line moves.
 */
export class Timebase {
  mode: 'kernel' | 'relative' | 'syslog' | 'line-order' = 'line-order';
  /** The first jumps (each becomes an instant on the timeline); `jumpCount` counts them all. */
  jumps: TimeJump[] = [];
  jumpCount = 0;
  private last?: number;
  private lastRaw?: number;
  private offset = 0;
  private firstWall?: number;
  private lastPrinted?: PrintedTime;
  /** The time the line `at` last placed printed, tagged with its segment; undefined if none. */
  printed?: PrintedTime;

  /** The line's place on the axis (the previous line's when it printed no time); see `printed`. */
  at(p: PrefixedLine): number | undefined {
    const jumps = this.jumpCount;
    const before = this.lastPrinted;
    const t = this.axis(p);
    // parsePrefix() makes a new PrintedTime for each line: tagging it in place allocates nothing.
    const printed = t === undefined ? undefined : p.printed;
    if (printed && this.jumpCount) printed.segment = this.jumpCount + 1;
    this.printed = printed;
    if (printed) this.lastPrinted = printed;
    if (this.jumpCount > jumps && this.jumps.length === this.jumpCount) {
      const j = this.jumps[this.jumps.length - 1];
      j.from = before;
      j.to = printed;
    }
    return t;
  }

  private axis(p: PrefixedLine): number | undefined {
    if (p.stampNs !== undefined) {
      this.mode = 'kernel';
      return this.place(p.stampNs);
    }
    if (p.relNs !== undefined) {
      if (this.mode !== 'kernel') this.mode = 'relative';
      const base = this.lastRaw ?? 0;
      return this.place(base + p.relNs);
    }
    if (p.wallS !== undefined && (this.mode === 'syslog' || this.mode === 'line-order')) {
      this.mode = 'syslog';
      this.firstWall ??= p.wallS;
      return this.place(Math.round((p.wallS - this.firstWall) * 1e9));
    }
    // dmesg -H prints a date line where the minute changes and deltas between: the date line
    // sits where the deltas are.
    return this.last;
  }

  private place(raw: number): number {
    if (this.lastRaw !== undefined && raw < this.lastRaw - JUMP_NS) {
      this.jumpCount++;
      this.offset = (this.last ?? 0) + 1000 - raw;
      const segment = this.jumpCount + 1;
      if (this.jumps.length < MAX_JUMPS) this.jumps.push({ atNs: raw + this.offset, segment });
    }
    this.lastRaw = raw;
    this.last = Math.max(this.last ?? 0, raw + this.offset);
    return this.last;
  }
}

/** A segment's start on the timeline, with the printed times on both sides of it. */
export function jumpInstant(j: TimeJump): Instant {
  const s = (p?: PrintedTime) => (p ? formatPrinted({ ...p, segment: undefined }) : 'no time');
  return {
    t: j.atNs,
    level: 'info',
    fields: { segment: j.segment },
    printed: j.to,
    text:
      `timestamps went back from ${s(j.from)} to ${s(j.to)}: segment ${j.segment} starts ` +
      '(a reboot, or logs pasted together); its lines keep the times they printed',
  };
}
