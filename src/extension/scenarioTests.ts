import * as vscode from 'vscode';
import { expectationLabel } from '../engine/editor/lenses';
import type { Scenario } from '../engine/scenario/model';
import { toRange } from './convert';
import { SCENARIO_GLOB, scenarioBaseName, type ScenarioDocuments } from './documents';
import type { PanelCommands } from './panelCommands';
import type { RunSnapshot } from './runService';
import type { ScenarioRuns } from './runs/scenarioRuns';

/**
 * The Testing view: each scenario with an `expect:` block is a test, each expectation a child at
 * its own line (so the gutter can run it). A test run is the scenario's own run; a failure shows
 * the expectation's "expected … got …" at its line. The debug profile also opens the timeline.
 */
export class ScenarioTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('memmapLab', 'Memmap Lab scenarios');
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly runs: ScenarioRuns,
    private readonly docs: ScenarioDocuments,
    private readonly panels: PanelCommands,
  ) {
    const c = this.controller;
    c.resolveHandler = async (item) => {
      if (!item) await this.discover();
    };
    c.refreshHandler = () => this.discover();
    c.createRunProfile(
      'Run scenarios',
      vscode.TestRunProfileKind.Run,
      (req, token) => this.run(req, token, false),
      true,
    );
    c.createRunProfile(
      'Run scenarios and open the timeline',
      vscode.TestRunProfileKind.Debug,
      (req, token) => this.run(req, token, true),
      true,
    );
    const watcher = vscode.workspace.createFileSystemWatcher(SCENARIO_GLOB);
    this.subscriptions = [
      watcher,
      watcher.onDidCreate((uri) => this.load(uri)),
      watcher.onDidChange((uri) => this.load(uri)),
      watcher.onDidDelete((uri) => c.items.delete(uri.toString())),
      docs.onDidSettle(({ doc, parse }) => this.update(doc.uri, doc.getText(), parse.scenario)),
    ];
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.controller.dispose();
  }

  private async discover(): Promise<void> {
    const files = await this.docs.find();
    await Promise.all(files.map((uri) => this.load(uri)));
  }

  private async load(uri: vscode.Uri): Promise<void> {
    const { text } = await this.docs.read(uri);
    this.update(uri, text, (await this.docs.parseText(text)).scenario);
  }

  /** (Re)builds a scenario's test item from its parse: children follow the expectations' lines. */
  private update(uri: vscode.Uri, text: string, s: Scenario | undefined): void {
    const id = uri.toString();
    if (!s || s.expect.length === 0) {
      if (s) this.controller.items.delete(id); // a half-typed file keeps its tests
      return;
    }
    const item =
      this.controller.items.get(id) ??
      this.controller.createTestItem(id, scenarioBaseName(uri), uri);
    item.description = s.name;
    item.range = new vscode.Range(0, 0, 0, 0);
    item.children.replace(
      s.expect.map((e) => {
        const child = this.controller.createTestItem(
          `${id}#${e.index}`,
          expectationLabel(text, e.span),
          uri,
        );
        child.range = toRange(e.span);
        return child;
      }),
    );
    this.controller.items.add(item);
  }

  private async run(
    request: vscode.TestRunRequest,
    token: vscode.CancellationToken,
    debug: boolean,
  ): Promise<void> {
    if (!request.include) await this.discover();
    const run = this.controller.createTestRun(request);
    const scenarios = new Map<string, { item: vscode.TestItem; only?: Set<string> }>();
    for (const item of request.include ?? [...gather(this.controller.items)]) {
      const parent = item.parent ?? item;
      const entry = scenarios.get(parent.id) ?? {
        item: parent,
        only: item.parent ? new Set() : undefined,
      };
      if (item.parent) entry.only?.add(item.id);
      else entry.only = undefined;
      scenarios.set(parent.id, entry);
    }
    const excluded = new Set((request.exclude ?? []).map((i) => i.id));
    for (const { item, only } of scenarios.values()) {
      if (token.isCancellationRequested || excluded.has(item.id)) {
        run.skipped(item);
        continue;
      }
      const children = [...gather(item.children)].filter(
        (c) => (!only || only.has(c.id)) && !excluded.has(c.id),
      );
      run.started(item);
      children.forEach((c) => run.started(c));
      try {
        const snapshot = await this.runs.run(item.uri!.toString(), {}, token);
        report(run, item, children, snapshot);
        if (debug && snapshot) await this.panels.openTimeline(item.uri!);
      } catch (e) {
        // The worker failed or died on this scenario (it is restarted for the next one): say so, then go on.
        run.errored(
          item,
          new vscode.TestMessage(
            `the emulator failed: ${e instanceof Error ? e.message : String(e)}`,
          ),
        );
        children.forEach((c) => run.skipped(c));
      }
    }
    run.end();
  }
}

/** A test run's verdicts from a snapshot: each expectation passed or failed at its own line. */
function report(
  run: vscode.TestRun,
  item: vscode.TestItem,
  children: vscode.TestItem[],
  s: RunSnapshot | undefined,
): void {
  if (!s) {
    run.skipped(item);
    children.forEach((c) => run.skipped(c));
    return;
  }
  if (!s.summary) {
    const errors = s.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => message(`${d.code}: ${d.message}`, item.uri!, toRange(d.span)));
    run.errored(
      item,
      errors.length ? errors : [new vscode.TestMessage('the scenario did not run')],
      s.wallMs,
    );
    children.forEach((c) => run.skipped(c));
    return;
  }
  let failed = false;
  for (const c of children) {
    const r = s.expectations.find((e) => `${item.id}#${e.index}` === c.id);
    if (!r) {
      run.skipped(c);
      continue;
    }
    // The measured value beside the bound, in the Testing view and in the run's output.
    c.description = r.verdict;
    run.appendOutput(
      `${r.pass ? '✓' : '✗'} ${r.verdict}\r\n`,
      new vscode.Location(item.uri!, toRange(r.span)),
      c,
    );
    if (r.pass) run.passed(c);
    else {
      failed = true;
      run.failed(c, message(r.message, item.uri!, toRange(r.span)));
    }
  }
  if (failed) run.failed(item, [], s.wallMs);
  else run.passed(item, s.wallMs);
}

function message(text: string, uri: vscode.Uri, range: vscode.Range): vscode.TestMessage {
  const m = new vscode.TestMessage(text);
  m.location = new vscode.Location(uri, range);
  return m;
}

function* gather(items: vscode.TestItemCollection): Iterable<vscode.TestItem> {
  for (const [, item] of items) yield item;
}
