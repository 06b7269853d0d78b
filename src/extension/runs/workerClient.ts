import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import { PendingReplies } from '../../protocol/replies';
import type {
  CalibrateDone,
  CalibrateRequest,
  FromWorker,
  ImportDone,
  ImportRequest,
  ParseRequest,
  QueryAnswer,
  QueryRequest,
  RunPayload,
  RunRequest,
  ToWorker,
} from '../../protocol/worker';
import type { ParseResult } from '../../engine/parse/parseScenario';

type Request = RunRequest | ParseRequest | QueryRequest | CalibrateRequest | ImportRequest;

/** Distributes Omit over a union, so each request keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * The host's end of the run worker: request/reply by id, started lazily. The engine is
 * synchronous, so a run the worker has begun can only be stopped by terminating the worker;
 * the requests still queued are then sent again to a fresh one (its stored results are gone,
 * and queries say `missing` until the next run). A cancelled request resolves undefined; a failed
 * one, or one still waiting when the client is disposed, rejects. An import is different: the
 * worker stops it between chunks on a cancel message and answers that it did.
 */
export class WorkerClient implements vscode.Disposable {
  private worker?: Worker;
  private readonly replies = new PendingReplies<FromWorker | undefined>();
  /** What was posted and not yet answered, to post again to a fresh worker. */
  private readonly queued = new Map<number, Request>();
  private executing?: number;
  /** Progress listeners of the imports under way. */
  private readonly importing = new Map<number, (read: number, size: number) => void>();
  /** Imports asked to stop, not yet answered: a fresh worker is not given them again. */
  private readonly stopping = new Set<number>();

  constructor(
    private readonly script: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Posts a run; `id` is for `cancel`, `done` resolves with the payload, or undefined if cancelled. */
  run(message: WithoutId<RunRequest>): { id: number; done: Promise<RunPayload | undefined> } {
    const { id, reply } = this.request(message);
    return { id, done: reply.then((m) => (m?.type === 'done' ? m.payload : undefined)) };
  }

  /** Posts a calibration; like a run, `cancel(id)` stops it and `done` then resolves undefined. */
  calibrate(message: WithoutId<CalibrateRequest>): {
    id: number;
    done: Promise<CalibrateDone | undefined>;
  } {
    const { id, reply } = this.request(message);
    return { id, done: reply.then((m) => (m?.type === 'calibrated' ? m : undefined)) };
  }

  /**
   * Posts an import; `progress` hears each chunk the worker parsed. `cancel(id)` stops it at the
   * worker's next chunk, and `done` then resolves with `cancelled`.
   */
  import(
    message: WithoutId<ImportRequest>,
    progress?: (read: number, size: number) => void,
  ): { id: number; done: Promise<ImportDone> } {
    const { id, reply } = this.request(message);
    if (progress) this.importing.set(id, progress);
    const done = reply.then((m) => {
      if (m?.type !== 'imported') throw new Error('the run worker stopped before answering');
      return m;
    });
    return { id, done: done.finally(() => this.importing.delete(id)) };
  }

  /** Parses a scenario text in the worker (before the runs queued there). */
  async parse(text: string): Promise<ParseResult> {
    const m = await this.request({ type: 'parse', text }).reply;
    if (m?.type !== 'parsed') throw new Error('the run worker stopped before answering');
    return m.result;
  }

  async query(message: WithoutId<QueryRequest>): Promise<QueryAnswer> {
    const m = await this.request(message).reply;
    if (m?.type !== 'answer') throw new Error('the run worker stopped before answering');
    return m;
  }

  /** Drops a request: a queued one is removed, a running one stops with its worker, an import when the worker says. */
  cancel(id: number): void {
    if (this.queued.get(id)?.type === 'import') {
      this.stopping.add(id);
      this.worker?.postMessage({ type: 'cancel', id } satisfies ToWorker);
      return;
    }
    if (!this.queued.delete(id)) return;
    this.replies.resolve(id, undefined);
    if (this.executing === id) this.restart();
    else this.worker?.postMessage({ type: 'cancel', id } satisfies ToWorker);
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    this.queued.clear();
    this.stopping.clear();
    this.replies.rejectAll(new Error('the run worker was disposed'));
  }

  private request(message: WithoutId<Request>): {
    id: number;
    reply: Promise<FromWorker | undefined>;
  } {
    const { id, reply } = this.replies.open();
    const full = { ...message, id } as Request;
    this.queued.set(id, full);
    this.ensure().postMessage(full);
    return { id, reply };
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.on('message', (m: FromWorker) => this.receive(m));
    worker.on('error', (e) => this.crashed(worker, e));
    worker.on('exit', (code) =>
      this.crashed(worker, new Error(`run worker exited with code ${code}`)),
    );
    this.worker = worker;
    return worker;
  }

  private receive(m: FromWorker): void {
    if (m.type === 'importing') return this.importing.get(m.id)?.(m.read, m.size);
    this.stopping.delete(m.id);
    if (m.type === 'started') {
      this.executing = m.id;
      return;
    }
    if (this.executing === m.id) this.executing = undefined;
    if (!this.queued.delete(m.id)) return;
    if (m.type === 'failed') {
      this.log(`run worker: request ${m.id} failed: ${m.message}`);
      this.replies.reject(m.id, new Error(m.message.split('\n')[0]));
    } else this.replies.resolve(m.id, m);
  }

  /** Terminates the worker and hands what was queued to a new one. */
  private restart(): void {
    const old = this.worker;
    this.worker = undefined;
    this.executing = undefined;
    void old?.terminate();
    for (const id of this.stopping) {
      this.queued.delete(id);
      this.replies.resolve(id, { type: 'imported', id, cancelled: true });
    }
    this.stopping.clear();
    for (const message of this.queued.values()) this.ensure().postMessage(message);
  }

  private crashed(worker: Worker, e: Error): void {
    if (worker !== this.worker) return; // a worker we terminated on purpose
    this.worker = undefined;
    this.executing = undefined;
    this.log(`run worker stopped: ${e.message}`);
    this.queued.clear();
    this.stopping.clear();
    this.replies.rejectAll(e);
  }
}
