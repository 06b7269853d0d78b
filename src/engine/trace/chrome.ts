import type { Trace } from './model';

/** One Chrome Trace Event (the JSON Perfetto and chrome://tracing open). */
export interface ChromeEvent {
  name: string;
  ph: 'X' | 'M' | 'C' | 'i';
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  cat?: string;
  s?: 't' | 'p' | 'g';
  args?: Record<string, unknown>;
}

const us = (ns: number) => ns / 1000;

/**
 * Exports a trace as Chrome Trace Event JSON: a process per NUMA node, a thread per kernel
 * thread, `X` spans, lock waits and holds on a track of their own per thread and lock (they
 * overlap spans without nesting, which Perfetto rejects on one track), `C` counters, `i` instants.
 */
export function toChromeTrace(trace: Trace): { traceEvents: ChromeEvent[]; displayTimeUnit: 'ns' } {
  const events: ChromeEvent[] = [];
  const pidOf = (node: number | undefined) => (node === undefined ? 0 : node + 1);
  const pids = new Set<number>();
  for (const t of trace.threads) {
    const pid = pidOf(t.node);
    if (!pids.has(pid)) {
      pids.add(pid);
      events.push({ name: 'process_name', ph: 'M', ts: 0, pid, tid: 0, args: { name: t.node === undefined ? 'scenario' : `node ${t.node}` } });
    }
    events.push({ name: 'thread_name', ph: 'M', ts: 0, pid, tid: t.id + 1, args: { name: t.name } });
  }
  const tidOf = (thread: number) => thread + 1;
  const pidOfThread = (thread: number) => pidOf(trace.threads[thread]?.node);
  for (const s of trace.spans) {
    events.push({ name: s.name, cat: 'mm', ph: 'X', ts: us(s.start), dur: us(s.end - s.start), pid: pidOfThread(s.thread), tid: tidOf(s.thread), args: s.args });
  }
  const lockTracks = new Map<string, number>();
  let nextTid = trace.threads.length + 1000;
  for (const l of trace.locks) {
    const key = `${l.thread}\0${l.lock}`;
    let tid = lockTracks.get(key);
    const pid = pidOfThread(l.thread);
    if (tid === undefined) {
      tid = nextTid++;
      lockTracks.set(key, tid);
      events.push({ name: 'thread_name', ph: 'M', ts: 0, pid, tid, args: { name: `${trace.threads[l.thread]?.name} ⟂ ${l.lock}` } });
    }
    const end = l.acquired ?? trace.endNs;
    if (end > l.requested) events.push({ name: `wait ${l.lock}`, cat: 'lock', ph: 'X', ts: us(l.requested), dur: us(end - l.requested), pid, tid, args: { mode: l.mode } });
    if (l.acquired !== undefined) {
      events.push({ name: `${l.lock} (${l.mode})`, cat: 'lock', ph: 'X', ts: us(l.acquired), dur: us((l.released ?? trace.endNs) - l.acquired), pid, tid, args: { mode: l.mode, range: l.range } });
    }
  }
  for (const c of trace.counters) events.push({ name: c.name, ph: 'C', ts: us(c.t), pid: 0, tid: 0, args: { value: c.value } });
  for (const i of trace.instants) {
    events.push({ name: i.text, cat: i.level, ph: 'i', s: 't', ts: us(i.t), pid: i.thread === undefined ? 0 : pidOfThread(i.thread), tid: i.thread === undefined ? 0 : tidOf(i.thread), args: { level: i.level, code: i.code, lines: i.lines } });
  }
  return { traceEvents: events, displayTimeUnit: 'ns' };
}
