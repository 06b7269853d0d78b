import { isSpanCategory } from '../model';
import type { InstantLevel, LockEvent, LockMode, SpanArgs } from '../model';
import { fromChromeTs } from '../chrome';
import type { TraceBuilder } from './traceBuilder';

/** A span as read, before the nesting is worked out; `cat` as the writer gave it. */
interface RawSpan {
  thread: number;
  name: string;
  start: number;
  end: number;
  args: SpanArgs;
  cat?: string;
}

interface ChromeEventIn {
  name?: string;
  ph?: string;
  ts?: number;
  dur?: number;
  pid?: number;
  tid?: number;
  cat?: string;
  args?: Record<string, unknown>;
}

const LEVELS: InstantLevel[] = ['warn', 'bug', 'info', 'debug'];
/** (pid, tid) pairs kept apart, as many as the scenario's CPU limit; later ones share one track. */
const MAX_TRACKS = 8192;
const OVERFLOW_KEY = 'other threads (past the 8192 kept)';
/** Open B slices kept per thread, as deep as the graph tracer goes (FTRACE_RETFUNC_DEPTH, include/linux/ftrace.h). */
const MAX_OPEN = 128;
const TRACK_SEPARATOR = ' ⟂ ';

/**
 * Chrome Trace Event JSON back into the trace model: our own exports exactly (threads per node,
 * spans, lock waits and holds from their tracks, counters, instants with their splats), and
 * other tools' traces as far as they map (X and B/E slices, C counters, instants).
 */
export class ChromeImporter {
  endNs?: number;
  /** Events skipped because a `ts` or `dur` is there but not a finite number (or `dur` is negative). */
  badTimes = 0;
  private readonly processNames = new Map<number, string>();
  private readonly tracks = new Set<string>();
  private readonly threadIds = new Map<string, number>();
  private readonly threadNames = new Map<string, number>();
  private readonly trackOwner = new Map<string, { thread: number; lock: string }>();
  private readonly pendingWait = new Map<string, LockEvent>();
  private readonly open = new Map<string, Omit<RawSpan, 'thread' | 'end'>[]>();
  private readonly rawSpans: RawSpan[] = [];

  constructor(private readonly b: TraceBuilder) {}

  otherData(o: Record<string, unknown>): void {
    // Where the run ended, when the writer says: only a real time can stretch the timeline.
    if (typeof o.endNs === 'number' && Number.isFinite(o.endNs) && o.endNs >= 0)
      this.endNs = o.endNs;
  }

  event(e: ChromeEventIn): void {
    const pid = e.pid ?? 0;
    const tid = e.tid ?? 0;
    const key = this.track(`${pid}:${tid}`);
    if (e.ph !== 'M' && (!finiteOrAbsent(e.ts) || !finiteOrAbsent(e.dur) || (e.dur ?? 0) < 0)) {
      this.badTimes++;
      return;
    }
    const ts = e.ts === undefined ? 0 : fromChromeTs(e.ts);
    const args = (e.args ?? {}) as Record<string, unknown>;
    if (e.ph !== 'M' && !this.b.room(this.rawSpans.length)) return;
    switch (e.ph) {
      case 'M':
        return this.metadata(e, pid, key, String(args.name ?? ''));
      case 'X':
        if (e.cat === 'lock') return this.lock(e, key, ts, ts + fromChromeTs(e.dur ?? 0), args);
        this.rawSpans.push({
          thread: this.thread(key, pid),
          name: e.name ?? '',
          cat: e.cat,
          start: ts,
          end: ts + fromChromeTs(e.dur ?? 0),
          args: args as SpanArgs,
        });
        return;
      case 'B': {
        const open = this.open.get(key) ?? this.open.set(key, []).get(key)!;
        const span = { name: e.name ?? '', start: ts, args: args as SpanArgs, cat: e.cat };
        if (open.length < MAX_OPEN) open.push(span);
        else this.b.droppedState++;
        return;
      }
      case 'E': {
        const b = this.open.get(key)?.pop();
        if (b) {
          const thread = this.thread(key, pid);
          this.rawSpans.push({ ...b, thread, end: ts, args: { ...b.args, ...(args as SpanArgs) } });
        }
        return;
      }
      case 'C':
        for (const [k, v] of Object.entries(args)) {
          if (typeof v === 'number')
            this.b.counters.push({
              name: k === 'value' ? (e.name ?? '') : `${e.name}.${k}`,
              t: ts,
              value: v,
            });
        }
        return;
      case 'i':
      case 'I':
      case 'n':
        return this.instant(e, key, ts, args);
      // Not mapped: flows (our export's lock hand-overs are drawn again from the lock events),
      // async, object and sample events.
    }
  }

  /**
   * Spans in file order nest by containment per thread (our export writes parents first), with
   * Perfetto's half-open rule: a slice that starts where another ends follows it.
   */
  finish(): void {
    for (const w of this.pendingWait.values()) this.b.locks.push({ ...w, acquired: undefined });
    this.pendingWait.clear();
    const stacks = new Map<number, { id: number; end: number; start: number }[]>();
    for (const s of this.rawSpans) {
      const stack = stacks.get(s.thread) ?? stacks.set(s.thread, []).get(s.thread)!;
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        if (top.start <= s.start && s.start < top.end && s.end <= top.end) break;
        stack.pop();
      }
      // Our own export writes the span's category as its Chrome `cat`.
      const category = isSpanCategory(s.cat) ? s.cat : undefined;
      const [parent, depth] = [stack.at(-1)?.id, stack.length];
      const id = this.b.span(s.thread, s.name, s.start, s.end, depth, parent, s.args, category);
      if (id !== undefined) stack.push({ id, start: s.start, end: s.end });
    }
  }

  private metadata(e: ChromeEventIn, pid: number, key: string, name: string): void {
    if (e.name === 'process_name') {
      if (this.processNames.size < MAX_TRACKS || this.processNames.has(pid))
        this.processNames.set(pid, name);
      else this.b.droppedState++;
    } else if (e.name === 'thread_name') {
      const sep = name.indexOf(TRACK_SEPARATOR);
      if (sep < 0) return void this.thread(key, pid, name);
      // A lock track: its owner by tid when the file says (ours do), else by name.
      const ownerName = name.slice(0, sep);
      const args = e.args ?? {};
      const owner =
        typeof args.owner === 'number'
          ? this.thread(this.track(`${pid}:${args.owner}`), pid, ownerName)
          : (this.threadNames.get(`${pid}:${ownerName}`) ?? this.thread(key, pid, ownerName));
      this.trackOwner.set(key, { thread: owner, lock: name.slice(sep + TRACK_SEPARATOR.length) });
    }
  }

  /**
   * A (pid, tid)'s key in the per-thread maps (threads, open slices, lock tracks, pending waits):
   * itself while fewer than MAX_TRACKS are known, else one shared key, so the maps stay bounded.
   */
  private track(key: string): string {
    if (this.tracks.has(key)) return key;
    if (this.tracks.size >= MAX_TRACKS) {
      this.b.droppedState++;
      return OVERFLOW_KEY;
    }
    this.tracks.add(key);
    return key;
  }

  /** The thread of a (pid, tid), created on first sight. */
  private thread(key: string, pid: number, name?: string): number {
    const known = this.threadIds.get(key);
    if (known !== undefined) return known;
    const node = /^node (\d+)$/.exec(this.processNames.get(pid) ?? '');
    const id = this.b.threads.length;
    this.b.threads.push({ id, name: name ?? key, node: node ? +node[1] : undefined });
    this.threadIds.set(key, id);
    if (name !== undefined) this.threadNames.set(`${pid}:${name}`, id);
    return id;
  }

  private lock(
    e: ChromeEventIn,
    key: string,
    start: number,
    end: number,
    args: Record<string, unknown>,
  ): void {
    const owner = this.trackOwner.get(key) ?? {
      thread: this.thread(key, e.pid ?? 0),
      lock: String(e.name ?? '')
        .replace(/^wait /, '')
        .replace(/ \((read|write)\)$/, ''),
    };
    const mode: LockMode = args.mode === 'read' ? 'read' : 'write';
    const range = Array.isArray(args.range) ? (args.range as [number, number]) : undefined;
    const waiting = this.pendingWait.get(key);
    if (String(e.name).startsWith('wait ')) {
      if (waiting) this.b.locks.push({ ...waiting, acquired: undefined });
      this.pendingWait.set(key, {
        lock: owner.lock,
        mode,
        thread: owner.thread,
        requested: start,
        acquired: end,
        ...(range ? { range } : {}),
      });
      return;
    }
    this.pendingWait.delete(key);
    const requested = waiting && waiting.acquired === start ? waiting.requested : start;
    if (waiting && waiting.acquired !== start)
      this.b.locks.push({ ...waiting, acquired: undefined });
    this.b.locks.push({
      lock: owner.lock,
      mode,
      thread: owner.thread,
      requested,
      acquired: start,
      contended: args.contended === true,
      ...(args.open === true ? {} : { released: end }),
      ...(range ? { range } : {}),
    });
  }

  private instant(e: ChromeEventIn, key: string, t: number, args: Record<string, unknown>): void {
    const level = LEVELS.includes(args.level as InstantLevel)
      ? (args.level as InstantLevel)
      : 'info';
    const thread = this.threadIds.get(key);
    this.b.instants.push({
      t,
      level,
      text: e.name ?? '',
      ...(thread !== undefined ? { thread } : {}),
      ...pick(args, ['code', 'lines', 'step', 'device', 'node', 'fields', 'line']),
    });
  }
}

/** A time field that is missing (0, as Chrome's viewer reads it) or a finite number: one NaN would make the trace end NaN. */
function finiteOrAbsent(x: unknown): x is number | undefined {
  return x === undefined || (typeof x === 'number' && Number.isFinite(x));
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
