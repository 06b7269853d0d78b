import { EventHeap } from './heap';
import type { Lock } from './lock';
import type { LockMode } from '../trace/model';
import type { Recorder } from '../trace/recorder';

/** What a kernel thread asks of the virtual machine it runs on. */
export type Action =
  | { kind: 'work'; ns: number }
  | { kind: 'acquire'; lock: Lock; mode: LockMode; range?: [number, number]; overheadNs: number }
  | { kind: 'release'; lock: Lock }
  | {
      kind: 'spawn';
      name: string;
      node?: number;
      body: (t: KThread) => Generator<Action, void, unknown>;
    }
  | { kind: 'join'; threads: KThread[] }
  | { kind: 'wait'; completion: Completion }
  | { kind: 'complete'; completion: Completion };

export type Body = Generator<Action, void, unknown>;

/** A kernel thread on the virtual clock. */
export interface KThread {
  id: number;
  name: string;
  node?: number;
  finished: boolean;
  /** Time it started waiting on something that never came (lock, completion, join). */
  blockedSince?: number;
  blockedOn?: string;
  /** Set when the thread died in an oops. */
  dead?: string;
}

/** Thrown inside a kernel path: the thread dies (BUG/oops), holding whatever it held. */
export class KernelOops extends Error {}

/** struct completion: wait_for_completion() blocks until complete() fires. */
export class Completion {
  done = false;
  readonly waiters: KThread[] = [];
  constructor(readonly name: string) {}
}

interface Runnable {
  thread: KThread;
  body: Body;
  resume?: unknown;
}

/**
 * Discrete-event scheduler: threads are generators yielding Actions; work advances a thread's
 * clock, locks queue threads, and lock waits and totals emerge from the interleaving.
 */
export class Scheduler {
  private readonly queue = new EventHeap<Runnable>();
  private readonly threads: KThread[] = [];
  private readonly bodies = new Map<number, Body>();
  private readonly joiners = new Map<number, { thread: KThread; waitingFor: KThread[] }[]>();
  private readonly lockWaiters = new Map<
    number,
    { thread: KThread; overheadNs: number; lock: Lock }
  >();

  /** The virtual clock, shared with the recorder. */
  constructor(
    private readonly recorder: Recorder,
    private readonly clock: { now: number },
  ) {}

  get now(): number {
    return this.clock.now;
  }

  spawn(
    name: string,
    node: number | undefined,
    body: (t: KThread) => Body,
    at = this.now,
  ): KThread {
    const thread: KThread = { id: this.recorder.thread(name, node), name, node, finished: false };
    this.threads.push(thread);
    const gen = body(thread);
    this.bodies.set(thread.id, gen);
    this.queue.push(at, { thread, body: gen });
    return thread;
  }

  /** Runs until every thread has finished or is blocked for good. */
  run(): void {
    for (let next = this.queue.pop(); next; next = this.queue.pop()) {
      this.clock.now = Math.max(this.clock.now, next.time);
      this.step(next.value);
    }
  }

  /** Threads that never finished: blocked on a lock, a completion or a join forever. */
  blocked(): KThread[] {
    return this.threads.filter((t) => !t.finished);
  }

  /** Threads an oops killed. */
  dead(): KThread[] {
    return this.threads.filter((t) => t.dead !== undefined);
  }

  private step(r: Runnable): void {
    const { thread, body } = r;
    thread.blockedSince = undefined;
    thread.blockedOn = undefined;
    let resume = r.resume;
    for (;;) {
      let res: IteratorResult<Action, void>;
      try {
        res = body.next(resume);
      } catch (e) {
        if (!(e instanceof KernelOops)) throw e;
        // An oops kills the task where it stands; locks it held stay held, as in the kernel.
        thread.dead = e.message;
        this.finish(thread);
        return;
      }
      resume = undefined;
      if (res.done) {
        this.finish(thread);
        return;
      }
      const a = res.value;
      switch (a.kind) {
        case 'work':
          this.queue.push(this.now + Math.max(0, a.ns), { thread, body });
          return;
        case 'acquire': {
          const event = this.recorder.lockRequested(
            a.lock.name,
            a.mode,
            thread.id,
            this.now,
            a.range,
          );
          if (a.lock.request({ thread: thread.id, mode: a.mode, range: a.range, event })) {
            this.recorder.lockAcquired(event, this.now + a.overheadNs, false);
            this.queue.push(this.now + a.overheadNs, { thread, body });
            return;
          }
          this.lockWaiters.set(event, { thread, overheadNs: a.overheadNs, lock: a.lock });
          this.block(thread, a.lock.name);
          return;
        }
        case 'release': {
          const held = a.lock.holders.find((h) => h.thread === thread.id);
          if (held) this.recorder.lockReleased(held.event, this.now);
          for (const granted of a.lock.release(thread.id)) {
            const w = this.lockWaiters.get(granted.event)!;
            this.lockWaiters.delete(granted.event);
            this.recorder.lockAcquired(granted.event, this.now + w.overheadNs, true);
            this.queue.push(this.now + w.overheadNs, {
              thread: w.thread,
              body: this.bodies.get(w.thread.id)!,
            });
          }
          continue;
        }
        case 'spawn':
          resume = this.spawn(a.name, a.node, a.body);
          continue;
        case 'join': {
          const waitingFor = a.threads.filter((t) => !t.finished);
          if (waitingFor.length === 0) continue;
          for (const t of waitingFor) {
            const list = this.joiners.get(t.id) ?? [];
            list.push({ thread, waitingFor });
            this.joiners.set(t.id, list);
          }
          this.block(thread, `join ${waitingFor.map((t) => t.name).join(', ')}`);
          return;
        }
        case 'wait':
          if (a.completion.done) continue;
          a.completion.waiters.push(thread);
          this.block(thread, a.completion.name);
          return;
        case 'complete':
          a.completion.done = true;
          for (const w of a.completion.waiters.splice(0)) this.wake(w);
          continue;
      }
    }
  }

  private block(thread: KThread, on: string): void {
    thread.blockedSince = this.now;
    thread.blockedOn = on;
  }

  private wake(thread: KThread): void {
    this.queue.push(this.now, { thread, body: this.bodies.get(thread.id)! });
  }

  private finish(thread: KThread): void {
    thread.finished = true;
    this.bodies.delete(thread.id);
    for (const j of this.joiners.get(thread.id) ?? []) {
      if (
        j.waitingFor.every((t) => t.finished) &&
        !j.thread.finished &&
        j.thread.blockedOn?.startsWith('join')
      ) {
        j.thread.blockedOn = undefined;
        this.wake(j.thread);
      }
    }
    this.joiners.delete(thread.id);
  }
}
