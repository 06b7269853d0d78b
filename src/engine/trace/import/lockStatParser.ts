import type { LockClassStat } from '../model';
import { stripQuote } from './prefix';
import type { LogEvent } from './types';

const NUM = String.raw`(\d+(?:\.\d+)?)`;
/**
 * `name-W:` / `name-R:` (a class held for reading, and for writing if it has a -W row too) or
 * `name:` (only ever written: a spinlock, a mutex), then 12 columns (kernel/locking/lockdep_proc.c,
 * seq_stats(): "%38s-W:" or "%40s:", then bounces and seq_lock_time()'s count and four times).
 */
const ROW = new RegExp(
  String.raw`^\s*(.+?)(?:-([RW]))?:\s+` +
    Array(12)
      .fill(NUM)
      .join(String.raw`\s+`) +
    String.raw`\s*$`,
);
/**
 * A contention point: `  &mm->mmap_sem     96  [<ffffffff815351c4>] __do_page_fault+0x1d4/0x510`
 * (seq_stats(): "%40s %14lu %29s %pS", the address hashed by %p since v4.15).
 */
const POINT = /^\s*(.+?)\s+(\d+)\s+(\[<[0-9a-f]+>\])\s+(\S+)\s*$/;

/** lock_stat prints µs with two decimals. */
const usToNs = (us: string) => Math.round(Number(us) * 1000);

/** Rows kept: as many lock classes as lockdep has by default (MAX_LOCKDEP_KEYS, 1 << 13, include/linux/lockdep_types.h), in two modes. */
const MAX_ROWS = 2 * 8192;
/** LOCKSTAT_POINTS (4, include/linux/lockdep_types.h) contention and as many contending points per class. */
const MAX_POINTS = 2 * 4;

/**
 * /proc/lock_stat (version 0.4): per-class rows in write and read modes, then up to four
 * contention points (call sites that waited) and four contending points (holders they waited for).
 */
export class LockStatParser {
  readonly classes: LockClassStat[] = [];
  /** Rows and points past their caps. */
  dropped = 0;
  private current?: LockClassStat;
  private block: 'contention' | 'contending' | undefined;
  debugDisabled = false;

  private active = false;

  constructor(private readonly emit: (e: LogEvent) => void) {}

  /** Takes the line if it is part of a lock_stat listing. */
  tryLine(raw: string, no: number): boolean {
    const { text } = stripQuote(raw);
    const t = text.trim();
    if (/^lock_stat version \d/.test(t)) return (this.active = true);
    let m = ROW.exec(text);
    if (m) {
      this.active = true;
      this.row(no, m);
      return true;
    }
    if (!this.active) return false;
    if (/^class name\s+con-bounces/.test(t) || /^-{80,}$/.test(t)) return true;
    if (/^\*WARNING\* lock debugging disabled/.test(t)) return (this.debugDisabled = true);
    if (/^\.{80,}$/.test(t)) {
      this.current = undefined;
      return true;
    }
    if (/^-+$/.test(t)) {
      if (this.current) this.block = this.block === undefined ? 'contention' : 'contending';
      return true;
    }
    if (this.current && this.block && (m = POINT.exec(text))) {
      const points = (this.current.points ??= []);
      const point = { kind: this.block, count: +m[2], ip: m[3], symbol: m[4] };
      if (points.length < MAX_POINTS) points.push(point);
      else this.dropped++;
      return true;
    }
    return false;
  }

  private row(no: number, m: RegExpExecArray): void {
    const n = m.slice(3, 15);
    const name = m[1].trim();
    const stat: LockClassStat = {
      name,
      mode: m[2] === 'R' ? 'read' : 'write',
      columns: n,
      label: m[2] ? `${name}-${m[2]}` : name,
      conBounces: +n[0],
      contentions: +n[1],
      waitMinNs: usToNs(n[2]),
      waitMaxNs: usToNs(n[3]),
      waitTotalNs: usToNs(n[4]),
      acqBounces: +n[6],
      acquisitions: +n[7],
      holdMinNs: usToNs(n[8]),
      holdMaxNs: usToNs(n[9]),
      holdTotalNs: usToNs(n[10]),
    };
    // Contention points follow the last row of a class (the -R row when there are two).
    if (this.current?.name !== stat.name) this.block = undefined;
    this.current = stat;
    if (this.classes.length < MAX_ROWS) this.classes.push(stat);
    else this.dropped++;
    this.emit({
      kind: 'lock-class',
      line: no,
      endLine: no,
      level: 'info',
      text:
        `${stat.label}: ${stat.contentions} contentions, ${stat.acquisitions} acquisitions, ` +
        `hold max ${n[9]} us`,
      fields: {
        name: stat.name,
        mode: stat.mode,
        contentions: stat.contentions,
        acquisitions: stat.acquisitions,
        waitMaxUs: +n[3],
        waitTotalUs: +n[4],
        holdMaxUs: +n[9],
        holdTotalUs: +n[10],
      },
    });
  }
}
