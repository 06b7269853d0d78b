import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import type { CalibrateDone, CalibrateRequest, FromWorker, QueryAnswer, QueryRequest, RunPayload, RunRequest, ToWorker } from '../../protocol/worker';

type Request = RunRequest | QueryRequest | CalibrateRequest;
type Pending = { message: Request; resolve: (m: FromWorker | undefined) => void; reject: (e: Error) => void };

/** Distributes Omit over a union, so each request keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * The host's end of the run worker: request/reply by id, started lazily. The engine is
 * synchronous, so a run the worker has begun can only be stopped by terminating the worker;
 * the requests still queued are then sent again to a fresh one (its stored results are gone,
 * and queries say `missing` until the next run).
 */
export class WorkerClient implements vscode.Disposable {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private executing?: number;

  constructor(private readonly script: string, private readonly log: (line: string) => void) {}

  /** Posts a run; `id` is for `cancel`, `done` resolves with the payload, or undefined if cancelled. */
  run(message: WithoutId<RunRequest>): { id: number; done: Promise<RunPayload | undefined> } {
    const { id, reply } = this.request(message);
    return { id, done: reply.then((m) => (m?.type === 'done' ? m.payload : undefined)) };
  }

  /** Posts a calibration; like a run, `cancel(id)` stops it and `done` then resolves undefined. */
  calibrate(message: WithoutId<CalibrateRequest>): { id: number; done: Promise<CalibrateDone | undefined> } {
    const { id, reply } = this.request(message);
    return { id, done: reply.then((m) => (m?.type === 'calibrated' ? m : undefined)) };
  }

  async query(message: WithoutId<QueryRequest>): Promise<QueryAnswer> {
    const m = await this.request(message).reply;
    if (m?.type !== 'answer') throw new Error('the run worker stopped before answering');
    return m;
  }

  /** Drops a request: a queued one is removed, a running one stops with its worker. */
  cancel(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.resolve(undefined);
    if (this.executing === id) this.restart();
    else this.worker?.postMessage({ type: 'cancel', id } satisfies ToWorker);
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    for (const p of this.pending.values()) p.resolve(undefined);
    this.pending.clear();
  }

  private request(message: WithoutId<Request>): { id: number; reply: Promise<FromWorker | undefined> } {
    const id = this.nextId++;
    const full = { ...message, id } as Request;
    const reply = new Promise<FromWorker | undefined>((resolve, reject) => this.pending.set(id, { message: full, resolve, reject }));
    this.ensure().postMessage(full);
    return { id, reply };
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.on('message', (m: FromWorker) => this.receive(m));
    worker.on('error', (e) => this.crashed(worker, e));
    worker.on('exit', (code) => this.crashed(worker, new Error(`run worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private receive(m: FromWorker): void {
    if (m.type === 'started') {
      this.executing = m.id;
      return;
    }
    if (this.executing === m.id) this.executing = undefined;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.type === 'failed') {
      this.log(`run worker: request ${m.id} failed: ${m.message}`);
      p.reject(new Error(m.message.split('\n')[0]));
    } else p.resolve(m);
  }

  /** Terminates the worker and hands what was queued to a new one. */
  private restart(): void {
    const old = this.worker;
    this.worker = undefined;
    this.executing = undefined;
    void old?.terminate();
    for (const p of this.pending.values()) this.ensure().postMessage(p.message);
  }

  private crashed(worker: Worker, e: Error): void {
    if (worker !== this.worker) return; // a worker we terminated on purpose
    this.worker = undefined;
    this.executing = undefined;
    this.log(`run worker stopped: ${e.message}`);
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
