import * as vscode from 'vscode';
import type { Queries, QueryName } from '../../engine/views/queries';
import type { LogEvent } from '../../engine/trace/import/types';
import type { CalibrateDone, RunRequest } from '../../protocol/worker';
import type { Config } from '../config';
import type { ScenarioDocuments } from '../documents';
import type { RunService, RunSnapshot } from '../runService';
import type { WorkerClient } from './workerClient';

/** The store key of a document's own run (its `kernel:`, or the default-variant setting). */
const OWN = '';

type Request = Omit<RunRequest, 'id' | 'type'>;

/**
 * The one store of runs: the latest snapshot per document and variant, fed by the worker.
 * CodeLens, diagnostics, hovers, the tree, the tests, the status bar and the panels all read it
 * and refresh on `onDidRun`. A run supersedes (cancels) the previous run of the same document and
 * variant; a cancelled run never reaches the store, so it leaves nothing behind.
 */
export class ScenarioRuns implements RunService, vscode.Disposable {
  private readonly store = new Map<string, Map<string, RunSnapshot>>();
  private readonly inflight = new Map<
    string,
    { id: number; done: Promise<RunSnapshot | undefined> }
  >();
  /** Bumped by every run() call per key; a run whose generation is stale is dropped. */
  private readonly generation = new Map<string, number>();
  /** The last request per key, to rebuild the worker's result after it restarted. */
  private readonly requests = new Map<string, Request>();
  private readonly emitter = new vscode.EventEmitter<RunSnapshot>();
  readonly onDidRun = this.emitter.event;

  constructor(
    private readonly worker: WorkerClient,
    private readonly config: Config,
    private readonly docs: ScenarioDocuments,
  ) {}

  latest(uri: string): RunSnapshot | undefined {
    return this.store.get(uri)?.get(OWN);
  }

  /** Every variant's latest run of a document, its own first. */
  all(uri: string): RunSnapshot[] {
    const runs = this.store.get(uri);
    return runs
      ? [...runs.entries()]
          .sort(([a], [b]) => (a === OWN ? -1 : b === OWN ? 1 : a.localeCompare(b)))
          .map(([, s]) => s)
      : [];
  }

  async run(
    uri: string,
    options: { variant?: string } = {},
    token?: vscode.CancellationToken,
  ): Promise<RunSnapshot | undefined> {
    const variantKey = this.variantKey(uri, options.variant);
    const key = `${uri}\n${variantKey}`;
    this.cancelKey(key);
    const generation = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, generation);
    const { text, version } = await this.docs.read(vscode.Uri.parse(uri));
    const request: Request = {
      key,
      text,
      variant: options.variant ?? this.config.settings.defaultVariant,
      scenarioFile: onDisk(uri),
      settings: this.config.settings,
    };
    if (this.generation.get(key) !== generation || token?.isCancellationRequested) return undefined;
    const { id, done } = this.worker.run({ type: 'run', ...request });
    const snapshot = done
      .then((payload) => {
        if (!payload || this.generation.get(key) !== generation) return undefined;
        const s: RunSnapshot = { uri, version, ...payload };
        this.requests.set(key, request);
        if (!this.store.has(uri)) this.store.set(uri, new Map());
        this.store.get(uri)!.set(variantKey, s);
        this.emitter.fire(s);
        return s;
      })
      .finally(() => {
        if (this.inflight.get(key)?.id === id) this.inflight.delete(key);
      });
    this.inflight.set(key, { id, done: snapshot });
    const cancel = token?.onCancellationRequested(() => this.cancelKey(key));
    try {
      return await snapshot;
    } finally {
      cancel?.dispose();
    }
  }

  async query<K extends QueryName>(
    uri: string,
    name: K,
    args: Queries[K]['args'],
    variant?: string,
  ): Promise<Queries[K]['result']> {
    const key = `${uri}\n${this.variantKey(uri, variant)}`;
    await this.inflight.get(key)?.done;
    if (!this.requests.has(key) && !(await this.run(uri, { variant })))
      throw new Error(`${uri} has no run of ${variant ?? 'its kernel'}`);
    const ask = () =>
      this.worker.query({ type: 'query', key, name, args } as Parameters<WorkerClient['query']>[0]);
    let answer = await ask();
    if (answer.missing) {
      // The worker restarted (a run was cancelled mid-way) or evicted the run: rebuild it quietly.
      await this.worker.run({ type: 'run', ...this.requests.get(key)! }).done;
      answer = await ask();
    }
    if (answer.missing) throw new Error(`the run of ${uri} is no longer available`);
    return answer.result as Queries[K]['result'];
  }

  /**
   * Fits the scenario's cost model to a real log's events in the worker (its text as the editor
   * has it, its own cost profile, the settings). Undefined when cancelled.
   */
  async calibrate(
    uri: string,
    events: LogEvent[],
    name: string,
    token?: vscode.CancellationToken,
  ): Promise<CalibrateDone | undefined> {
    const { text } = await this.docs.read(vscode.Uri.parse(uri));
    const { settings } = this.config;
    if (token?.isCancellationRequested) return undefined;
    const { id, done } = this.worker.calibrate({
      type: 'calibrate',
      text,
      variant: settings.defaultVariant,
      scenarioFile: onDisk(uri),
      settings,
      events,
      name,
    });
    const cancel = token?.onCancellationRequested(() => this.worker.cancel(id));
    try {
      return await done;
    } finally {
      cancel?.dispose();
    }
  }

  /** Cancels a document's run in flight (its own, unless a variant is named). */
  cancel(uri: string, variant?: string): void {
    this.cancelKey(`${uri}\n${this.variantKey(uri, variant)}`);
  }

  dispose(): void {
    this.emitter.dispose();
  }

  private cancelKey(key: string): void {
    const running = this.inflight.get(key);
    if (!running) return;
    this.generation.set(key, (this.generation.get(key) ?? 0) + 1);
    this.inflight.delete(key);
    this.worker.cancel(running.id);
  }

  /** Own run unless another preset is asked for: naming the preset the own run used is the own run. */
  private variantKey(uri: string, variant: string | undefined): string {
    return variant === undefined || variant === this.latest(uri)?.variant ? OWN : variant;
  }
}

/** A document's path on disk, where the worker looks up its cost profile (none for other schemes). */
function onDisk(uri: string): string | undefined {
  const u = vscode.Uri.parse(uri);
  return u.scheme === 'file' ? u.fsPath : undefined;
}
