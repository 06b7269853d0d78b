import type * as vscode from 'vscode';
import { analyse } from '../../../src/engine/analyse';
import type { RunResult } from '../../../src/engine/run/runScenario';
import { summarize } from '../../../src/engine/run/summary';
import { QUERIES, type Queries, type QueryName } from '../../../src/engine/views/queries';
import type { RunService, RunSnapshot } from '../../../src/extension/runService';

/**
 * A RunService that runs the engine in-process: what the extension core does in its worker,
 * without VS Code. The browser harness and the panel tests drive the real controllers with it.
 */
export class EngineRunService implements RunService {
  private readonly runs = new Map<string, { snapshot: RunSnapshot; run?: RunResult }>();
  private readonly listeners = new Set<(run: RunSnapshot) => void>();
  /** Runs started, for tests that check a view does not re-run in a loop. */
  started = 0;

  /** `texts`: scenario text by document URI. */
  constructor(private readonly texts: Map<string, string>) {}

  readonly onDidRun: vscode.Event<RunSnapshot> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  latest(uri: string): RunSnapshot | undefined {
    return this.runs.get(`${uri}\0`)?.snapshot;
  }

  async run(uri: string, options: { variant?: string } = {}): Promise<RunSnapshot | undefined> {
    const text = this.texts.get(uri);
    if (text === undefined) return undefined;
    this.started++;
    const t0 = performance.now();
    const a = analyse(text, { variant: options.variant });
    const own = !options.variant || options.variant === a.scenario?.kernel.name;
    const snapshot: RunSnapshot = {
      uri,
      version: 1,
      variant: a.run?.variant ?? options.variant ?? a.scenario?.kernel.name ?? '?',
      scenario: a.scenario,
      summary: a.run && summarize(a.run, a.diagnostics, a.expectations),
      trace: a.run?.trace,
      diagnostics: a.diagnostics,
      expectations: a.expectations,
      wallMs: performance.now() - t0,
    };
    this.runs.set(`${uri}\0${own ? '' : snapshot.variant}`, { snapshot, run: a.run });
    for (const l of this.listeners) l(snapshot);
    return snapshot;
  }

  async query<K extends QueryName>(
    uri: string,
    name: K,
    args: Queries[K]['args'],
    variant?: string,
  ): Promise<Queries[K]['result']> {
    const own = this.runs.get(`${uri}\0`);
    const entry =
      !variant || variant === own?.snapshot.variant ? own : this.runs.get(`${uri}\0${variant}`);
    if (!entry?.run) throw new Error(`no run of ${uri}${variant ? ` (${variant})` : ''}`);
    return QUERIES[name](entry.run, args);
  }
}
