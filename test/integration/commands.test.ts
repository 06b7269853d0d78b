/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunSnapshot } from '../../src/extension/runService';
import type { ImportedLog } from '../../src/engine/trace/import/types';
import { api, cleanUp, fixture, ours, repoFile, scratch, waitFor } from './helpers';
import { parseRecording, sectionsNamed } from '../kernel/recording';

const read = async (uri: vscode.Uri) =>
  new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));

suite('Commands', () => {
  suiteSetup(() => api());
  teardown(cleanUp);

  test('every palette command is registered', async () => {
    const ids = new Set(await vscode.commands.getCommands(true));
    const pkg = vscode.extensions.getExtension('memmap-lab.memmap-lab')!.packageJSON as {
      contributes: { commands: { command: string }[] };
    };
    for (const { command } of pkg.contributes.commands) assert.ok(ids.has(command), command);
  });

  test('Run Scenario runs the file with its own kernel; with a variant, the variant is kept apart', async () => {
    const { runs } = await api();
    const uri = fixture('leaked-ref.memmap.yaml');
    const own = await vscode.commands.executeCommand<RunSnapshot>('memmapLab.run', uri);
    assert.equal(own.variant, 'v5.10');
    assert.ok(own.summary && own.summary.totalNs > 0);
    const other = await vscode.commands.executeCommand<RunSnapshot>(
      'memmapLab.runWithVariant',
      uri,
      'v4.18',
    );
    assert.equal(other.variant, 'v4.18');
    assert.equal(runs.latest(uri.toString())?.variant, 'v5.10');
    assert.deepEqual(
      runs.all(uri.toString()).map((r) => r.variant),
      ['v5.10', 'v4.18'],
    );
  });

  test('the defaultVariant setting runs every scenario with that kernel instead of its own', async () => {
    const { runs } = await api();
    const uri = fixture('leaked-ref.memmap.yaml');
    const config = vscode.workspace.getConfiguration('memmapLab');
    await config.update('defaultVariant', 'v4.18', vscode.ConfigurationTarget.Workspace);
    try {
      // The setting change re-runs open scenarios, which may supersede this run: read the store.
      void vscode.commands.executeCommand('memmapLab.run', uri);
      const r = await waitFor(
        "a run with the setting's kernel",
        () => runs.latest(uri.toString())?.variant === 'v4.18' && runs.latest(uri.toString()),
      );
      assert.ok(
        r.trace!.spans.some((s) => s.name === 'devm_memremap_pages'),
        "v4.18's own function names",
      );
    } finally {
      await config.update('defaultVariant', undefined, vscode.ConfigurationTarget.Workspace);
    }
    void vscode.commands.executeCommand('memmapLab.run', uri);
    await waitFor(
      "back to the file's own kernel",
      () => runs.latest(uri.toString())?.variant === 'v5.10',
    );
  });

  test('Export Trace writes Perfetto JSON, lock_stat text and dmesg text', async () => {
    const uri = fixture('leaked-ref.memmap.yaml');
    const perfetto = await scratch('export.trace.json', '');
    await vscode.commands.executeCommand('memmapLab.exportTrace', uri, 'chrome', perfetto);
    const trace = JSON.parse(await read(perfetto)) as { traceEvents: { name: string }[] };
    assert.ok(trace.traceEvents.some((e) => e.name === 'memmap_init_zone_device'));
    const lockStat = await scratch('export.lock_stat.txt', '');
    await vscode.commands.executeCommand('memmapLab.exportTrace', uri, 'lock_stat', lockStat);
    assert.match(await read(lockStat), /^lock_stat version 0\.4\n/);
    assert.match(await read(lockStat), /^\s+mem_hotplug_lock\S*:/m);
    const dmesg = await scratch('export.dmesg.txt', '');
    await vscode.commands.executeCommand('memmapLab.exportTrace', uri, 'dmesg', dmesg);
    assert.match(await read(dmesg), /^\[\s+\d+\.\d{6}\] /m);
  });

  test('a command that fails says why instead of throwing at the user (export onto a folder)', async () => {
    const uri = fixture('leaked-ref.memmap.yaml');
    const folder = vscode.Uri.joinPath(uri, '..');
    assert.equal(
      await vscode.commands.executeCommand('memmapLab.exportTrace', uri, 'chrome', folder),
      undefined,
    );
    // The extension is still alive and working after it.
    assert.ok((await vscode.commands.executeCommand<RunSnapshot>('memmapLab.run', uri)).summary);
  });

  test('New Scenario from Example copies the example and opens it', async () => {
    const target = await scratch('from-example.memmap.yaml', '');
    await vscode.commands.executeCommand(
      'memmapLab.newScenarioFromExample',
      'three-tib-per-node',
      target,
    );
    assert.equal(
      await read(target),
      await read(repoFile('examples', 'three-tib-per-node.memmap.yaml')),
    );
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), target.toString());
  });

  test('New Scenario from a Machine builds the twin of a recorded machine, saves it and opens it', async () => {
    // The files a real kernel printed (test/fixtures/kernels: devdax of 1 GiB held by kmem, not onlined).
    const kernels = repoFile('test', 'fixtures', 'kernels');
    const release = (await vscode.workspace.fs.readDirectory(kernels))
      .map(([n]) => n)
      .sort()
      .at(-1)!;
    const rec = parseRecording(await read(vscode.Uri.joinPath(kernels, release, 'kmem.txt')));
    const body = (name: string) =>
      sectionsNamed(rec, name).find((x) => x.label === undefined || x.label === 'reconfigured')!
        .body;
    const inputs = [
      await scratch('dmesg.txt', body('dmesg')),
      await scratch('ndctl.json', body('ndctl')),
      await scratch('iomem.txt', body('iomem')),
      await scratch('daxctl.json', body('daxctl')),
    ];
    const target = await scratch('machine.memmap.yaml', '');
    const saved = await vscode.commands.executeCommand<vscode.Uri>(
      'memmapLab.newScenarioFromMachine',
      inputs,
      target,
    );
    assert.equal(saved?.toString(), target.toString());
    const text = await read(target);
    assert.match(
      text,
      new RegExp(
        `^kernel: ${release.replace(/[+.]/g, '\\$&')} {2}# \\S*dmesg\\.txt:\\d+ "Linux version`,
        'm',
      ),
    );
    assert.match(
      text,
      /^ {2}- reconfigure: \{ device: namespace0\.0, mode: system-ram, online: none \} {2}# \S*daxctl\.json:\d+/m,
    );
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), target.toString());
    // The twin is a scenario the extension runs like any other.
    const run = await vscode.commands.executeCommand<RunSnapshot>('memmapLab.run', target);
    assert.ok(run.summary && run.summary.totalNs > 0);
    // An input that is none of the machine's outputs: the command says so and writes nothing.
    const other = await scratch('other.memmap.yaml', '');
    const notes = await scratch('notes.txt', 'shopping list\nmilk\n');
    assert.equal(
      await vscode.commands.executeCommand('memmapLab.newScenarioFromMachine', [notes], other),
      undefined,
    );
    assert.equal(await read(other), '');
  });

  test('New Scenario from a Machine asks for what no input gives, and says where each value came from', async () => {
    const kernels = repoFile('test', 'fixtures', 'kernels');
    const release = (await vscode.workspace.fs.readDirectory(kernels)).map(([n]) => n).sort()[0];
    const rec = parseRecording(
      await read(vscode.Uri.joinPath(kernels, release, 'fsdax-1g-dev.txt')),
    );
    const body = (name: string) =>
      sectionsNamed(rec, name).find((x) => x.label === undefined || x.label === 'end')!.body;
    // No boot log: neither the architecture nor the release is known.
    const inputs = [
      await scratch('asked-ndctl.json', body('ndctl')),
      await scratch('asked-iomem.txt', body('iomem')),
    ];
    const asked = await scratch('asked.memmap.yaml', '');
    let done = false;
    const command = vscode.commands
      .executeCommand<vscode.Uri>('memmapLab.newScenarioFromMachine', inputs, asked)
      .then((uri) => ((done = true), uri));
    // Without questions the twin of two small files is written well within this.
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(done, false, 'the command waits for an answer');
    // The questions taken as offered (Enter): each value stays a commented default.
    await waitFor('the questions answered', async () => {
      if (!done)
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return done;
    });
    assert.equal((await command)?.toString(), asked.toString());
    const text = await read(asked);
    assert.match(text, /^arch: x86_64 {2}# default: no boot log line names the architecture$/m);
    assert.match(text, /^kernel: v[\d.]+ {2}# default: no "Linux version" line/m);

    // Given values (as the questions return them) are used and said to be given.
    const given = await scratch('given.memmap.yaml', '');
    await vscode.commands.executeCommand('memmapLab.newScenarioFromMachine', inputs, given, {
      kernel: '6.1',
    });
    assert.match(
      await read(given),
      /^kernel: 6\.1 {2}# given when the twin was built \(no input names it\)$/m,
    );
  });

  test('Import Kernel Log reads a real dmesg: the percpu-ref underflow WARN becomes a diagnostic on the log', async () => {
    const log = repoFile('test', 'fixtures', 'logs', 'seed000-percpu-ref-underflow.txt');
    const imported = await vscode.commands.executeCommand<ImportedLog>(
      'memmapLab.importKernelLog',
      log,
    );
    assert.equal(imported.format, 'dmesg');
    const ds = await waitFor('log diagnostics', () => ours(log).length > 0 && ours(log));
    assert.deepEqual(
      ds.map((d) => [d.code, d.range.start.line]),
      [
        ['pgmap-ref-underflow', 3],
        ['pgmap-ref-underflow', 39],
      ],
    );
  });

  test('Open Timeline, Lock Analysis and Page Inspector open their panels', async () => {
    const uri = fixture('leaked-ref.memmap.yaml');
    await vscode.commands.executeCommand('memmapLab.openTimeline', uri);
    await vscode.commands.executeCommand('memmapLab.openLocks', uri);
    await vscode.commands.executeCommand('memmapLab.openInspector', uri, 'pmem0+0x1000');
    const viewTypes = () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .map((t) => (t.input instanceof vscode.TabInputWebview ? t.input.viewType : ''));
    for (const view of ['memmapLab.timeline', 'memmapLab.locks', 'memmapLab.inspector']) {
      await waitFor(`a ${view} panel`, () => viewTypes().some((v) => v.endsWith(view)));
    }
  });
});
