import { lockFlows } from './lockFlows';
import type { Trace } from './model';

/** One Chrome Trace Event (the JSON Perfetto and chrome://tracing open). */
export interface ChromeEvent {
  name: string;
  ph: 'X' | 'M' | 'C' | 'i' | 's' | 'f';
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  cat?: string;
  s?: 't' | 'p' | 'g';
  /** A flow's id (`s` starts it, `f` ends it). */
  id?: number;
  /** `e`: the flow ends on the enclosing slice, not on the next one. */
  bp?: 'e';
  args?: Record<string, unknown>;
}

/**
 * ns → the format's µs. Perfetto turns µs back into ns by truncating in some releases and by
 * rounding in others; a quarter-nanosecond bias makes both land on the exact integer, so a child
 * slice that ends with its parent never ends a nanosecond after it ("improper nesting").
 */
export const toChromeTs = (ns: number) => (ns + 0.25) / 1000;

/** The inverse, exact for our own files and for other tools' plain µs values. */
export const fromChromeTs = (us: number) => Math.round(us * 1000 - 0.25);

const us = toChromeTs;

/** What `toChromeTrace` writes besides the events: the run's end, so a re-import keeps it. */
export interface ChromeOtherData {
  endNs: number;
  source: Trace['source'];
}

/**
 * Exports a trace as Chrome Trace Event JSON: a process per NUMA node, a thread per kernel
 * thread, `X` spans, lock waits and holds on a track of their own per thread and lock (they
 * overlap spans without nesting, which Perfetto rejects on one track), `C` counters, `i` instants,
 * and an `s`/`f` flow from each release that ended a contended wait to the waiter's hold.
 * No `displayTimeUnit`: some Perfetto releases read `"ns"` there as the unit of `ts`, which is µs.
 */
export function toChromeTrace(trace: Trace): {
  traceEvents: ChromeEvent[];
  otherData: ChromeOtherData;
} {
  const events: ChromeEvent[] = [];
  const pidOf = (node: number | undefined) => (node === undefined ? 0 : node + 1);
  const pids = new Set<number>();
  for (const t of trace.threads) {
    const pid = pidOf(t.node);
    if (!pids.has(pid)) {
      pids.add(pid);
      events.push({
        name: 'process_name',
        ph: 'M',
        ts: 0,
        pid,
        tid: 0,
        args: { name: t.node === undefined ? 'scenario' : `node ${t.node}` },
      });
    }
    events.push({
      name: 'thread_name',
      ph: 'M',
      ts: 0,
      pid,
      tid: t.id + 1,
      args: { name: t.name },
    });
  }
  const tidOf = (thread: number) => thread + 1;
  const pidOfThread = (thread: number) => pidOf(trace.threads[thread]?.node);
  for (const s of trace.spans) {
    // The span's category (its colour on our timeline) as Chrome's `cat`; 'mm' for one without.
    events.push({
      name: s.name,
      cat: s.category ?? 'mm',
      ph: 'X',
      ts: us(s.start),
      dur: us(s.end - s.start),
      pid: pidOfThread(s.thread),
      tid: tidOf(s.thread),
      args: s.args,
    });
  }
  const lockTracks = new Map<string, number>();
  let nextTid = trace.threads.length + 1000;
  /** Each granted lock event's hold slice: where a flow from or to it binds. */
  const holds: ({ ts: number; pid: number; tid: number } | undefined)[] = [];
  for (const l of trace.locks) {
    const key = `${l.thread}\0${l.lock}`;
    let tid = lockTracks.get(key);
    const pid = pidOfThread(l.thread);
    if (tid === undefined) {
      tid = nextTid++;
      lockTracks.set(key, tid);
      // `owner` names the thread exactly: two kernel threads may share a name (rcu_preempt).
      events.push({
        name: 'thread_name',
        ph: 'M',
        ts: 0,
        pid,
        tid,
        args: { name: `${trace.threads[l.thread]?.name} ⟂ ${l.lock}`, owner: tidOf(l.thread) },
      });
    }
    const end = l.acquired ?? trace.endNs;
    if (end > l.requested)
      events.push({
        name: `wait ${l.lock}`,
        cat: 'lock',
        ph: 'X',
        ts: us(l.requested),
        dur: us(end - l.requested),
        pid,
        tid,
        args: { mode: l.mode },
      });
    holds.push(l.acquired === undefined ? undefined : { ts: us(l.acquired), pid, tid });
    if (l.acquired !== undefined) {
      events.push({
        name: `${l.lock} (${l.mode})`,
        cat: 'lock',
        ph: 'X',
        ts: us(l.acquired),
        dur: us((l.released ?? trace.endNs) - l.acquired),
        pid,
        tid,
        args: {
          mode: l.mode,
          range: l.range,
          contended: l.contended,
          open: l.released === undefined ? true : undefined,
        },
      });
    }
  }
  // Perfetto binds a flow's start to the slice open at its ts on its thread, and its end (bp "e")
  // to the enclosing slice; Chrome DevTools binds each to the slice of the same cat, pid, tid and
  // ts. So both sit at the start of a hold slice: the releaser's and the waiter's.
  for (const [n, f] of lockFlows(trace.locks).entries()) {
    const [from, to] = [holds[f.from], holds[f.to]];
    if (!from || !to) continue;
    const flow = { name: `${trace.locks[f.to].lock} handed over`, cat: 'lock', id: n + 1 };
    events.push({ ...flow, ph: 's', ...from }, { ...flow, ph: 'f', bp: 'e', ...to });
  }
  for (const c of trace.counters)
    events.push({ name: c.name, ph: 'C', ts: us(c.t), pid: 0, tid: 0, args: { value: c.value } });
  for (const i of trace.instants) {
    events.push({
      name: i.text,
      cat: i.level,
      ph: 'i',
      s: 't',
      ts: us(i.t),
      pid: i.thread === undefined ? 0 : pidOfThread(i.thread),
      tid: i.thread === undefined ? 0 : tidOf(i.thread),
      args: {
        level: i.level,
        code: i.code,
        lines: i.lines,
        step: i.step,
        device: i.device,
        node: i.node,
        fields: i.fields,
        line: i.line,
      },
    });
  }
  return { traceEvents: events, otherData: { endNs: trace.endNs, source: trace.source } };
}
