/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, cleanUp, repoFile, scratch } from './helpers';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents: string[];
}

const read = async (uri: vscode.Uri) =>
  new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));

suite('Walkthrough', () => {
  suiteSetup(() => api());
  teardown(cleanUp);

  const ext = () => vscode.extensions.getExtension('memmap-lab.memmap-lab')!;
  const steps = () =>
    (ext().packageJSON as { contributes: { walkthroughs: { steps: Step[] }[] } }).contributes
      .walkthroughs[0].steps;

  test('each step completes on a registered command, its button runs that command, its page exists', async () => {
    const ids = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      steps().map((s) => s.title),
      [
        'Open the 3 TiB-per-node example',
        'Run it',
        'Read the timeline',
        'Inspect a page',
        'Import your own dmesg',
        'Emulate your own machine',
      ],
    );
    for (const step of steps()) {
      const done = step.completionEvents.map((e) => /^onCommand:(.+)$/.exec(e)?.[1]);
      assert.ok(done.length > 0 && done.every((c) => c && ids.has(c)), `${step.id}: ${done}`);
      const links = [...step.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]);
      assert.ok(
        links.every((c) => ids.has(c)),
        `${step.id}: every button's command is registered: ${links}`,
      );
      assert.ok(links.includes(done[0]!), `${step.id}: a button runs ${done[0]}`);
      const page = await read(vscode.Uri.joinPath(ext().extensionUri, step.media.markdown!));
      assert.match(page, /^# /, `${step.id}: ${step.media.markdown} is a page`);
    }
  });

  test("the first step's button opens the three-TiB example, as its arguments say", async () => {
    const first = steps()[0];
    const m = /\(command:memmapLab\.newScenarioFromExample\?([^)]+)\)/.exec(first.description);
    assert.ok(m, first.description);
    const args = JSON.parse(decodeURIComponent(m[1])) as string[];
    assert.deepEqual(args, ['three-tib-per-node']);
    const target = await scratch('walkthrough.memmap.yaml', '');
    await vscode.commands.executeCommand('memmapLab.newScenarioFromExample', ...args, target);
    assert.equal(
      await read(target),
      await read(repoFile('examples', 'three-tib-per-node.memmap.yaml')),
    );
  });

  test('the walkthrough opens in the Welcome page', async () => {
    await vscode.commands.executeCommand(
      'workbench.action.openWalkthrough',
      'memmap-lab.memmap-lab#memmapLab.start',
      false,
    );
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.equal(tab?.label, 'Welcome');
  });
});
