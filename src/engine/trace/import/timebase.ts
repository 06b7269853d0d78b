import type { PrefixedLine } from './prefix';

/** A step back of more than this is a new boot (or a second log pasted in), not CPU interleaving. */
const JUMP_NS = 1e9;

/** Time jumps kept as instants: a log of pasted-together boots has a few, not thousands. */
const MAX_JUMPS = 1000;

/**
 * Turns each line's timestamps into one monotonic clock in ns: dmesg's seconds since boot,
 * `--reltime` deltas added up, or syslog wall time relative to its first line. When the clock
 * jumps backwards (a reboot in the middle of a journal), later lines are shifted to follow the
 * earlier ones so the timeline stays readable, and the jump is reported.
 */
export class Timebase {
  mode: 'kernel' | 'syslog' | 'line-order' = 'line-order';
  /** The first jumps (each becomes an instant on the timeline); `jumpCount` counts them all. */
  jumps: { fromNs: number; toNs: number }[] = [];
  jumpCount = 0;
  private last?: number;
  private lastRaw?: number;
  private offset = 0;
  private firstWall?: number;

  /** The line's time, or the previous line's when it has none. */
  at(p: PrefixedLine): number | undefined {
    if (p.stampNs !== undefined) {
      this.mode = 'kernel';
      return this.place(p.stampNs);
    }
    if (p.relNs !== undefined) {
      this.mode = 'kernel';
      const base = this.lastRaw ?? 0;
      return this.place(base + p.relNs);
    }
    if (p.wallS !== undefined && this.mode !== 'kernel') {
      this.mode = 'syslog';
      this.firstWall ??= p.wallS;
      return this.place(Math.round((p.wallS - this.firstWall) * 1e9));
    }
    return this.last;
  }

  private place(raw: number): number {
    if (this.lastRaw !== undefined && raw < this.lastRaw - JUMP_NS) {
      this.jumpCount++;
      if (this.jumps.length < MAX_JUMPS) this.jumps.push({ fromNs: this.lastRaw, toNs: raw });
      this.offset = (this.last ?? 0) + 1000 - raw;
    }
    this.lastRaw = raw;
    this.last = raw + this.offset;
    return this.last;
  }
}
