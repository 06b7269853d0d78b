/**
 * Memmap Lab in the real VS Code (code-server's workbench in Chromium, as the UI tests drive it),
 * installed from memmap-lab.vsix beside an empty extension that activates on the same event:
 *  - activation time as "Developer: Show Running Extensions" and the Extensions view report it
 *    (code loading + the activate() call), ours beside the empty one's, when a scenario opens;
 *  - time from the "Open Timeline" command (the editor's title button) to the panel's first frame
 *    drawn with the run (its `memmap-lab:first-paint` mark), for the 8-node example, beside the
 *    same for the empty extension's webview (an <h1>, marked after its first frame): what the
 *    workbench itself takes to create a webview. The first webview of a window pays for its
 *    service worker, so each round opens the two in turn, the other one first every other round.
 * A benchmark, not a test: `npm run build && npm run package && node --import tsx bench/vscode.bench.ts`
 * (VSCODE_TEST_DIR as for the UI tests). Prints the rows and writes bench/results/vscode.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeWorkspace, ROOT, Workbench } from '../test/e2e/workbench';

const EIGHT_NODES = 'eight-nodes-3tib.memmap.yaml';
const EMPTY = 'Empty Baseline';
const BASELINE_TAB = 'Baseline webview';
const ROUNDS = Number(process.env.ROUNDS ?? 3);

/** An extension that does nothing, activated by the same event as ours: the host's own cost. */
function emptyExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmempty-'));
  const manifest = {
    name: 'empty-baseline',
    displayName: EMPTY,
    publisher: 'memmap-lab-bench',
    version: '0.0.1',
    engines: { vscode: '^1.85.0' },
    main: './extension.js',
    activationEvents: ['onLanguage:memmap-scenario'],
    contributes: {
      commands: [{ command: 'emptyBaseline.open', title: 'Open Baseline Webview', icon: '$(zap)' }],
      menus: {
        'editor/title': [
          {
            command: 'emptyBaseline.open',
            when: 'resourceFilename =~ /\\.memmap\\./',
            group: 'navigation@9',
          },
        ],
      },
    },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  // The command registered at activation: a panel with a heading, marked after its first frame
  // as our panels mark theirs (webview/shared/firstPaint.ts), opened beside the editor as ours.
  const html =
    '<!DOCTYPE html><html><body data-view="baseline"><h1>Baseline</h1><script>' +
    "requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('memmap-lab:first-paint')));" +
    '</script></body></html>';
  writeFileSync(
    join(dir, 'extension.js'),
    `const vscode = require('vscode');
exports.activate = (context) => {
  context.subscriptions.push(vscode.commands.registerCommand('emptyBaseline.open', () => {
    const panel = vscode.window.createWebviewPanel('emptyBaseline', ${JSON.stringify(BASELINE_TAB)},
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true });
    panel.webview.html = ${JSON.stringify(html)};
  }));
};
`,
  );
  writeFileSync(join(dir, 'README.md'), 'A baseline for bench/vscode.bench.ts.\n');
  const vsce = join(ROOT, 'node_modules', '.bin', 'vsce');
  execFileSync(
    vsce,
    ['package', '--allow-missing-repository', '--skip-license', '--out', 'empty.vsix'],
    { cwd: dir, stdio: 'ignore' },
  );
  return join(dir, 'empty.vsix');
}

/**
 * Activation times (ms) by display name, as the Extensions view shows them beside each installed
 * extension: code loading + the activate() call, the figure "Show Running Extensions" reports.
 */
async function activationTimes(wb: Workbench, names: string[]): Promise<Record<string, number>> {
  await wb.runCommand('Extensions: Show Installed Extensions');
  const entries = names.map(async (name) => {
    const row = wb.page.locator('.extensions-viewlet .monaco-list-row', { hasText: name }).first();
    const time = row.locator('.activation-status', { hasText: /\d+\s*ms/ }).first();
    return [
      name,
      Number(/(\d+)\s*ms/.exec(await time.innerText({ timeout: 30_000 }))![1]),
    ] as const;
  });
  return Object.fromEntries(await Promise.all(entries));
}

/** A panel opened from a button in the editor's title bar, and what marks it drawn. */
interface PanelProbe {
  button: string;
  tab: string;
  view: string;
}

const TIMELINE: PanelProbe = { button: 'Open Timeline', tab: 'Timeline', view: 'timeline' };
const BASELINE: PanelProbe = {
  button: 'Open Baseline Webview',
  tab: BASELINE_TAB,
  view: 'baseline',
};

/**
 * Clicks a title-bar button and waits for its panel's first frame (`memmap-lab:first-paint`):
 * for the timeline, the first frame drawn with the run. Closes the panel after.
 */
async function panelMs(
  wb: Workbench,
  probe: PanelProbe,
): Promise<{ tabMs: number; frameStartMs: number; firstPaintMs: number }> {
  await wb.showEditor(EIGHT_NODES);
  // The editor's title button: the command itself, without the palette's own filtering and ranking.
  const button = wb.page
    .locator(
      `.editor-group-container.active .editor-actions .action-label[aria-label^="${probe.button}"]`,
    )
    .first();
  await button.waitFor();
  const t0 = Date.now();
  await button.click();
  const tab = wb.page.locator('.tabs-container .tab', { hasText: probe.tab }).first();
  await tab.waitFor({ timeout: 30_000 });
  const tabMs = Date.now() - t0;
  const frame = wb.page
    .locator('iframe.webview:visible')
    .first()
    .contentFrame()
    .locator('iframe#active-frame')
    .contentFrame();
  await frame.locator(`body[data-view="${probe.view}"] h1`).first().waitFor({ timeout: 30_000 });
  const body = frame.locator('body');
  for (;;) {
    // timeOrigin + startTime: the mark's wall-clock time, on the machine's clock as Date.now() is.
    const at = await body.evaluate(() => {
      const mark = performance.getEntriesByName('memmap-lab:first-paint')[0];
      return mark ? [performance.timeOrigin, performance.timeOrigin + mark.startTime] : undefined;
    });
    if (at !== undefined) {
      await tab.click({ button: 'middle' }); // closes a tab, as in the browser
      await tab.waitFor({ state: 'detached' });
      return { tabMs, frameStartMs: at[0] - t0, firstPaintMs: at[1] - t0 };
    }
    await wb.page.waitForTimeout(20);
  }
}

async function round(empty: string, timelineFirst: boolean): Promise<Record<string, number>> {
  const wb = await Workbench.start({ workspace: makeWorkspace([EIGHT_NODES]), alongside: [empty] });
  try {
    await wb.openFile(EIGHT_NODES);
    await wb.lensShows('▶ Run');
    const times = await activationTimes(wb, ['Memmap Lab', EMPTY]);
    // The run of the file is in (its expectation's verdict shows), as when a user opens a panel.
    await wb.showEditor(EIGHT_NODES);
    await wb.lensShows('✓ no leaked-pgmap-ref');
    const first = await panelMs(wb, timelineFirst ? TIMELINE : BASELINE);
    const second = await panelMs(wb, timelineFirst ? BASELINE : TIMELINE);
    const [ours, base] = timelineFirst ? [first, second] : [second, first];
    return {
      activationMs: times['Memmap Lab'],
      emptyActivationMs: times[EMPTY],
      timelineFirst: Number(timelineFirst),
      timelinePanelMs: Math.round(ours.firstPaintMs),
      baselinePanelMs: Math.round(base.firstPaintMs),
      tabMs: ours.tabMs,
      baselineTabMs: base.tabMs,
      frameStartMs: Math.round(ours.frameStartMs),
      baselineFrameStartMs: Math.round(base.frameStartMs),
    };
  } catch (e) {
    console.error(`failed; screenshot: ${await wb.screenshot('vscode-bench.failure')}`);
    throw e;
  } finally {
    await wb.close();
  }
}

async function main(): Promise<void> {
  const empty = emptyExtension();
  const rows: Record<string, number>[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    rows.push(await round(empty, i % 2 === 0));
    console.log(JSON.stringify(rows[rows.length - 1]));
  }
  const median = (k: string, of = rows) =>
    [...of.map((r) => r[k])].sort((a, b) => a - b)[Math.floor(of.length / 2)];
  // A panel opened first pays for the window's first webview; the other one does not.
  const opened = (first: boolean) => rows.filter((r) => Boolean(r.timelineFirst) === first);
  const summary = {
    rounds: rows.length,
    activationMs: median('activationMs'),
    emptyActivationMs: median('emptyActivationMs'),
    timelineFirstWebviewMs: median('timelinePanelMs', opened(true)),
    baselineFirstWebviewMs: median('baselinePanelMs', opened(false)),
    timelineSecondWebviewMs: median('timelinePanelMs', opened(false)),
    baselineSecondWebviewMs: median('baselinePanelMs', opened(true)),
  };
  console.table([summary]);
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(ROOT, 'bench', 'results', 'vscode.json'),
    JSON.stringify({ rows, summary }, null, 2) + '\n',
  );
}

void main();
