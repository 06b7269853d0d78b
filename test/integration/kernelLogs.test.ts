/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Comparison } from '../../src/engine/compare/compareWithLog';
import type { CalibrateOutcome } from '../../src/extension/commands/calibrateFromKernelLog';
import { api, cleanUp, repoFile, scratch, waitFor } from './helpers';

const read = async (uri: vscode.Uri) =>
  new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
const exists = (uri: vscode.Uri) =>
  Promise.resolve(vscode.workspace.fs.stat(uri)).then(
    () => true,
    () => false,
  );

/** The example scenario and the real log it was written from (test/fixtures/README.md). */
const SCENARIO = repoFile('examples', 'calibrate-dl380-devdax-2m.memmap.yaml');
const LOG_2M = repoFile('examples', 'calibrate-dl380-devdax-2m.log');
const REAL_LOG = repoFile('test', 'fixtures', 'logs', 'nvdimm-devdax-5.10-rc3.log');
const LOCK_STAT = repoFile('test', 'fixtures', 'logs', 'lock_stat-vmalloc.txt');

suite('Kernel logs: compare, calibrate, views', () => {
  suiteSetup(() => api());
  teardown(cleanUp);

  test('Compare with Kernel Log: the compare panel shows the run beside the real 5.10 log, matched as the CLI matches', async () => {
    const { panels } = await api();
    const cmp = await vscode.commands.executeCommand<Comparison>(
      'memmapLab.compareWithKernelLog',
      SCENARIO,
      REAL_LOG,
    );
    assert.deepEqual([cmp.matched, cmp.onlyEmulated, cmp.onlyReal], [4, 3, 4]);
    const shown = await waitFor(
      "the compare panel's model",
      () => {
        const m = panels.shown('compare', SCENARIO, REAL_LOG);
        return m?.type === 'compare' && m;
      },
      30_000,
    );
    const { model } = shown;
    assert.equal(model.b.label, 'nvdimm-devdax-5.10-rc3.log');
    assert.deepEqual(
      model.log?.rows.map((r) => [r.kind, r.key, r.real?.line]),
      cmp.rows.map((r) => [r.kind, r.key, r.real?.line]),
    );
    const init = model.inits.find((r) => r.line === 1);
    assert.equal(init?.what, 'dax0 memmap init (zone device #1)');
    assert.equal(init?.bNs, 34e6);
    assert.equal(init?.ratio?.toFixed(2), '0.68');
    assert.equal(model.log?.alignedOn, 'L1 zone-device-init zone device #1');
    assert.equal(model.dmesg.filter((p) => p.a && p.b).length, 4);
    const tab = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .find(
        (t) =>
          t.input instanceof vscode.TabInputWebview &&
          t.input.viewType.endsWith('memmapLab.compare'),
      );
    assert.match(tab?.label ?? '', /calibrate-dl380-devdax-2m vs nvdimm-devdax-5\.10-rc3\.log/);
  });

  test('Calibrate from Kernel Log writes the profile only after a confirmed save, and sets cost: in one undo step', async () => {
    const { runs } = await api();
    const scenario = await scratch('calibrate-dl380-devdax-2m.memmap.yaml', await read(SCENARIO));
    const base = scenario.path
      .split('/')
      .pop()!
      .replace(/\.memmap\.yaml$/, '');
    const profile = vscode.Uri.joinPath(scenario, '..', `${base}.cost.json`);
    try {
      // No save answer: the fit is reported, nothing is written.
      const unsaved = await vscode.commands.executeCommand<CalibrateOutcome>(
        'memmapLab.calibrateFromKernelLog',
        scenario,
        LOG_2M,
        {},
      );
      assert.equal(unsaved.calibration.observations.length, 4);
      assert.equal(unsaved.calibration.rmsRelError.toFixed(3), '0.170');
      assert.equal(unsaved.saved, undefined);
      assert.equal(await exists(profile), false, 'nothing written without a confirmed save');

      // The save dialog's answer, and "yes" to using it.
      const saved = await vscode.commands.executeCommand<CalibrateOutcome>(
        'memmapLab.calibrateFromKernelLog',
        scenario,
        LOG_2M,
        { saveTo: profile, useProfile: true },
      );
      assert.equal(saved.saved?.toString(), profile.toString());
      const file = JSON.parse(await read(profile)) as {
        name: string;
        costs: Record<string, number>;
        calibration: { observations: unknown[] };
      };
      assert.equal(file.name, base);
      assert.deepEqual(Object.keys(file.costs).sort(), [
        'pageInitCpuPageblock',
        'pageblockInit',
        'structPageStorePmem',
      ]);
      assert.equal(file.calibration.observations.length, 4);
      assert.equal(saved.costSet, true);
      const doc = vscode.workspace.textDocuments.find(
        (d) => d.uri.toString() === scenario.toString(),
      )!;
      assert.match(doc.getText(), new RegExp(`\\ncost: ${base}\\.cost\\.json\\n`));
      // The edited scenario runs with the fitted profile: its init line predicts what the fit said (27.3 ms, not 49.8 ms).
      const fitted = await waitFor(
        'a run with the fitted profile',
        () => {
          const r = runs.latest(scenario.toString());
          return r?.version === doc.version && r.trace && r;
        },
        30_000,
      );
      const init = fitted.trace!.spans.find((sp) => sp.name === 'memmap_init_zone_device')!;
      const predicted = saved.calibration.observations[0].afterNs;
      assert.ok(
        Math.abs(init.end - init.start - predicted) < 1e3,
        `${init.end - init.start} ns, fitted ${predicted} ns`,
      );
      assert.ok(Math.abs(predicted / 1e6 - 27.33) < 0.01);

      // One undo step takes the edit back.
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('undo');
      assert.equal(doc.getText(), await read(SCENARIO));
      assert.equal(doc.isDirty, false);
    } finally {
      // A failed assertion may leave the edit in place: revert it, so closing the editor asks nothing.
      const doc = vscode.workspace.textDocuments.find(
        (d) => d.uri.toString() === scenario.toString(),
      );
      if (doc?.isDirty) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
      await vscode.workspace.fs
        .delete(profile, { useTrash: false })
        .then(undefined, () => undefined);
    }
  });

  test('An imported kernel log opens in the timeline, and a /proc/lock_stat in the lock view', async () => {
    const { panels } = await api();
    await vscode.commands.executeCommand('memmapLab.importKernelLog', REAL_LOG);
    await vscode.commands.executeCommand('memmapLab.openKernelLogTimeline', REAL_LOG);
    const timeline = await waitFor(
      "the log's timeline",
      () => {
        const m = panels.shown('timeline', REAL_LOG);
        return m?.type === 'timeline' && m;
      },
      30_000,
    );
    assert.equal(timeline.model.source, 'imported');
    assert.equal(timeline.model.title, 'nvdimm-devdax-5.10-rc3.log (dmesg)');
    assert.equal(timeline.model.spans.id.length, 8);
    assert.ok(
      (timeline.focus?.window?.[0] ?? 0) > 300e9,
      'opened on the records, 303 s after boot',
    );

    await vscode.commands.executeCommand('memmapLab.openKernelLogLocks', LOCK_STAT);
    const locks = await waitFor(
      "the log's lock table",
      () => {
        const m = panels.shown('locks', LOCK_STAT);
        return m?.type === 'locks' && m;
      },
      30_000,
    );
    assert.ok(locks.model.rows.some((r) => r.label === 'vmap_area_lock'));
  });

  test("Cancel stops the worker's import of a large log between chunks, and the extension host serves other commands meanwhile", async function () {
    this.timeout(120_000);
    const { logs } = await api();
    // 48 MiB of a real log: many more chunks than the worker parses before the host hears of the first.
    const dir = mkdtempSync(join(tmpdir(), 'memmap-import-'));
    const big = vscode.Uri.file(join(dir, 'big.log'));
    writeFileSync(big.fsPath, (await read(REAL_LOG)).repeat(Math.ceil((48 << 20) / 3134)));
    try {
      const cts = new vscode.CancellationTokenSource();
      const reads: number[] = [];
      let heard!: () => void;
      const first = new Promise<void>((resolve) => (heard = resolve));
      const importing = logs.load(big, {
        token: cts.token,
        progress: (read) => (reads.push(read), heard()),
      });
      const outcome = importing.then(
        () => 'finished',
        (e: unknown) => (e instanceof vscode.CancellationError ? 'cancelled' : String(e)),
      );
      await first;
      // While the worker reads the big file, another log is imported beside it and the host answers.
      const small = await vscode.commands.executeCommand<{ summary: { events: number } }>(
        'memmapLab.importKernelLog',
        LOCK_STAT,
      );
      assert.ok(small.summary.events > 0);
      cts.cancel();
      assert.equal(await outcome, 'cancelled');
      assert.equal(logs.get(big), undefined, 'a cancelled import is not kept');
      assert.ok(
        reads.at(-1)! < (await vscode.workspace.fs.stat(big)).size,
        `stopped after ${reads.at(-1)} bytes`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
