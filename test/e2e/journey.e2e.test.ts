/**
 * A new user's first session, in the real VS Code (code-server's workbench in Chromium) with
 * Memmap Lab installed from memmap-lab.vsix: open an example, run it from its CodeLens, read the
 * Problems panel, open the timeline, locks, inspector and compare panels and check they show that
 * run, apply a quick fix, run the Testing view, switch to a dark theme. Each test leaves a
 * screenshot in test/e2e/artifacts/ (and `<name>.failure.png` when it fails).
 * Run: `npm run test:e2e` (builds and packages first).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeWorkspace, problemText, ROOT, Workbench, type Problem } from './workbench';
import { analyse } from '../../src/engine/analyse';
import { buildTimeline } from '../../src/engine/views/timelineModel';

const EXAMPLE = 'three-tib-per-node.memmap.yaml';
/** The example with its put_dev_pagemap forgotten: a leaked reference, quick-fixable. */
const FORGOT_PUT = 'three-tib-forgot-put.memmap.yaml';

let wb: Workbench;

before(async () => {
  const workspace = makeWorkspace([EXAMPLE]);
  const example = readFileSync(join(ROOT, 'examples', EXAMPLE), 'utf8');
  const forgot = example
    .replace(/^ {2}- put_dev_pagemap: .*\n/m, '')
    .replace(/^name: .*$/m, 'name: Three TiB, one put_dev_pagemap forgotten');
  assert.notEqual(forgot, example, `${EXAMPLE} has no put_dev_pagemap step to forget`);
  writeFileSync(join(workspace, FORGOT_PUT), forgot);
  wb = await Workbench.start({ workspace });
});

after(() => wb?.close());

/** A UI test: a screenshot of what it failed on, with the browser's last errors, when it fails. */
function uiTest(name: string, shot: string, fn: () => Promise<void>): void {
  test(name, { timeout: 120_000 }, async () => {
    try {
      await fn();
    } catch (e) {
      const path = await wb.screenshot(`${shot}.failure`).catch(() => '(no screenshot)');
      const errors = wb.console
        .filter((l) => !/ENOTFOUND|ERR_NAME_NOT_RESOLVED|404|vsda/.test(l))
        .slice(-5);
      if (e instanceof Error)
        e.message += `\n  screenshot: ${path}${errors.length ? `\n  browser errors:\n    ${errors.join('\n    ')}` : ''}`;
      throw e;
    }
  });
}

const has = (rows: Problem[], code: string, line: string) =>
  rows.some((r) => r.code === code && r.line === line);

uiTest(
  'an example opens with its CodeLens; ▶ Run reports the run; the Problems panel lists its diagnostics',
  'run-example',
  async () => {
    await wb.openFile(EXAMPLE);
    const expected = [
      '▶ Run',
      '⇄ Compare variants…',
      'Export trace',
      'Inspect pages',
      'Show in timeline',
      'Run to here',
    ];
    const lenses = await wb.codeLensTitles('▶ Run', expected);
    for (const t of expected)
      assert.ok(lenses.includes(t), `CodeLens "${t}" in ${lenses.join(' | ')}`);
    await wb.codeLens('▶ Run').click();
    const toast = wb.toast('Three TiB of pmem per node on v4.20');
    await toast.waitFor();
    assert.match(
      await toast.innerText(),
      /Three TiB of pmem per node on v4\.20: 43\.37 s emulated, 0 error\(s\), 5\/5 expectations passed/,
    );
    // the expectations' lenses carry the run's verdicts
    for (const t of [
      '✓ no leaked-pgmap-ref',
      '✓ page pmem0+0',
      '✓ time pmem0 init',
      '✓ lock mem_hotplug_lock',
    ])
      await wb.lensShows(t);
    const rows = await wb.problems(
      EXAMPLE,
      (r) => r.length === 2,
      'two reserved-dax-pages infos, on the two devices',
    );
    assert.ok(
      has(rows, 'reserved-dax-pages', '[Ln 13, Col 35]') &&
        has(rows, 'reserved-dax-pages', '[Ln 14, Col 35]'),
      rows.map(problemText).join('\n'),
    );
    assert.ok(rows.every((r) => r.severity === 'info'));
    assert.match(
      rows[0].message,
      /^pmem0: 792722944 fsdax pages are PG_reserved; KVM will treat them as MMIO$/,
    );
    await wb.screenshot('run-example');
  },
);

uiTest(
  "the timeline opens from the palette and from a device's CodeLens, with the run's threads and spans",
  'timeline',
  async () => {
    await wb.showEditor(EXAMPLE);
    await wb.runCommand('Memmap Lab: Open Timeline');
    const view = await wb.webview('Init timeline: three-tib-per-node', 'timeline');
    assert.equal(await view.locator('h1').textContent(), 'Three TiB of pmem per node — v4.20');
    // What the engine gives for the example, run here in the test: the panel must show that run.
    const model = buildTimeline(
      analyse(readFileSync(join(ROOT, 'examples', EXAMPLE), 'utf8')).run!.trace,
      '',
    );
    assert.equal(
      await view.locator('header .meta').textContent(),
      `emulated · 43.4 s · ${model.lanes.length} threads · ${model.spans.id.length} spans`,
    );
    // the lanes are drawn on a canvas; its table alternative names them
    await view.getByText('Spans in view, as a table').click();
    const rows = view.locator('details.alternative').first().locator('tbody tr');
    await rows.first().waitFor();
    const threads = new Set(await rows.locator('td:first-child').allTextContents());
    for (const lane of [
      'scenario',
      'swapper/0',
      'pgdatinit0',
      'pgdatinit1',
      'probe/0:pmem0',
      'probe/1:pmem1',
    ])
      assert.ok(threads.has(lane), `lane ${lane} in ${[...threads].join(', ')}`);
    // the canvas gets the panel's width, not what the details pane leaves of it
    const widths = await view
      .locator('body')
      .evaluate(() => [
        document.querySelector('canvas.lanes')!.clientWidth,
        document.body.clientWidth,
      ]);
    assert.ok(
      widths[0] >= widths[1] * 0.6,
      `lanes canvas ${widths[0]} px wide in a ${widths[1]} px panel`,
    );
    await wb.screenshot('timeline-palette');

    await wb.showEditor(EXAMPLE);
    await wb.codeLens('Show in timeline', 1).click();
    const focused = await wb.webview('Init timeline: three-tib-per-node', 'timeline');
    await focused.locator('.details h2', { hasText: 'nd_pmem_probe' }).waitFor();
    assert.ok(
      (await focused.locator('.details dd').allTextContents()).includes('pmem1'),
      "the CodeLens selected pmem1's probe",
    );
    await wb.screenshot('timeline');
  },
);

uiTest(
  "the lock analysis opens from the palette with the run's lock_stat rows",
  'locks',
  async () => {
    await wb.clearNotifications();
    await wb.showEditor(EXAMPLE);
    await wb.runCommand('Memmap Lab: Open Lock Analysis');
    const view = await wb.webview('Lock hold durations: three-tib-per-node', 'locks');
    const row = view
      .locator('table.data')
      .first()
      .locator('tbody tr', { hasText: 'mem_hotplug_lock' });
    await row.waitFor();
    const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
    assert.equal(cells[0], 'mem_hotplug_lock');
    assert.ok(
      cells.includes('1.70 s'),
      `mem_hotplug_lock holds 1.70 s at most in this run: ${cells.join(' | ')}`,
    );
    const names = await view
      .locator('table.data')
      .first()
      .locator('tbody td:first-child')
      .allTextContents();
    assert.deepEqual([...names].sort(), [
      'cpu_hotplug_lock-R',
      'mem_hotplug_lock',
      'pgdat_resize_lock',
      'zone_span_seqlock',
    ]);
    await wb.screenshot('locks');
  },
);

uiTest(
  "the page inspector opens from the palette on a pfn the user types, and from a device's CodeLens",
  'inspector',
  async () => {
    await wb.showEditor(EXAMPLE);
    await wb.runCommand('Memmap Lab: Open Page Inspector');
    await wb.answer('Open Page Inspector', 'pmem0+0x1000');
    const view = await wb.webview('Page inspector: three-tib-per-node', 'inspector');
    await view.locator('.page-pane h2', { hasText: 'struct page for pfn 0x6c01200' }).waitFor();
    // scrub back to the step after the probe: the page as the probe left it
    const slider = view.locator('input[type=range]');
    await slider.focus();
    await slider.press('Home');
    await slider.press('ArrowRight');
    await view.locator('.page-pane .muted', { hasText: /^after step 1/ }).waitFor();
    const field = async (name: string) =>
      (
        await view
          .locator('.page-pane dt', { hasText: new RegExp(`^${name.replace(/[()]/g, '\\$&')}$`) })
          .locator('xpath=following-sibling::dd[1]')
          .textContent()
      )?.trim();
    assert.equal(await field('pfn'), '0x6c01200 (pmem0+0x1000)');
    assert.equal(await field('memmap'), 'initialised');
    assert.equal(await field('zone'), 'Device');
    assert.equal(await field('refcount'), '1');
    assert.equal(await field('pfn_to_online_page()'), 'NULL');
    assert.match(
      (await field('initialised by')) ?? '',
      /^memmap_init_zone_device at .* \(step 1\)$/,
    );
    await wb.screenshot('inspector-palette');

    await wb.showEditor(EXAMPLE);
    await wb.codeLens('Inspect pages', 1).click();
    await view.locator('.page-pane h2', { hasText: /^struct page for pfn 0x/ }).waitFor();
    await view.locator('.page-pane dd', { hasText: /\(pmem1\+0x0\)$/ }).waitFor();
    await wb.screenshot('inspector');
  },
);

uiTest(
  'Compare variants… from the CodeLens asks for two kernels and shows both runs',
  'compare',
  async () => {
    await wb.showEditor(EXAMPLE);
    await wb.codeLens('⇄ Compare variants…').click();
    await wb.pick('Compare Variants… (1/2)', 'v4.18');
    await wb.pick('Compare Variants… (2/2)', 'v4.20');
    const view = await wb.webview('Compare: three-tib-per-node', 'compare');
    await view.locator('h1', { hasText: 'A: v4.18  vs  B: v4.20' }).waitFor();
    const lock = await view
      .locator('section', { hasText: 'lock_stat, A vs B' })
      // A write-only class: lock_stat names it bare, without -W (lockdep_proc.c seq_stats()).
      .locator('tr')
      .filter({ has: view.locator('td', { hasText: /^mem_hotplug_lock$/ }) })
      .locator('td')
      .allTextContents();
    assert.match(lock[3] ?? '', /^25\.9 s → 1\.70 s/, lock.join(' | '));
    await wb.screenshot('compare');
  },
);

uiTest(
  'a quick fix adds the forgotten put_dev_pagemap: the problem, its squiggle and the failed expectation go',
  'quick-fix',
  async () => {
    // One editor, the whole width: the panels of the earlier tests are closed first.
    await wb.runCommand('View: Close All Editor Groups');
    await wb.openFile(FORGOT_PUT);
    const before = await wb.problems(
      FORGOT_PUT,
      (r) => r.some((p) => p.code === 'leaked-pgmap-ref'),
      'a leaked-pgmap-ref error',
    );
    const leak = before.find((p) => p.code === 'leaked-pgmap-ref')!;
    assert.equal(leak.severity, 'error');
    assert.equal(leak.line, '[Ln 19, Col 5]', 'on the remove that waits forever');
    assert.match(
      leak.message,
      /^memunmap_pages\(\) of pmem0 waits forever for pgmap->done: 4 reference\(s\) never put/,
    );
    // From the Problems panel to the remove step: the cursor lands on the diagnostic's range (where
    // the fix is offered), and the editor scrolls to it (squiggles and lenses are drawn only in view).
    await wb.openProblem(/memunmap_pages\(\) of pmem0 waits forever/);
    await wb.lensShows('✗ no leaked-pgmap-ref: 1 reported');
    await wb.editor().locator('.squiggly-error').first().waitFor();
    await wb.screenshot('quick-fix-before');

    await wb.quickFixFromProblem(
      /memunmap_pages\(\) of pmem0 waits forever/,
      'Add the missing put_dev_pagemap(pmem0, 4) before this remove',
    );
    await wb
      .editor()
      .locator('.view-line', { hasText: '- put_dev_pagemap: { device: pmem0, count: 4 }' })
      .waitFor();
    await wb.problems(
      FORGOT_PUT,
      (r) => !r.some((p) => p.code === 'leaked-pgmap-ref' || p.severity === 'error'),
      'no leaked-pgmap-ref, no error, after the fix',
    );
    await wb.lensShows('✓ no leaked-pgmap-ref');
    await wb.editor().locator('.squiggly-error').first().waitFor({ state: 'detached' });
    await wb.save();
    await wb.screenshot('quick-fix');
  },
);

uiTest(
  "the Testing view runs every scenario's expectations: the passing and the failing ones",
  'testing',
  async () => {
    await wb.openTesting();
    await wb.runAllTests();
    const rows = await wb.testRows(
      (r) =>
        r.some((x) => x.includes('(Failed)')) &&
        !r.some((x) => /Not yet run|Running|Queued/.test(x)),
      'a finished run with a failure',
    );
    const verdict = (name: string) => rows.find((r) => r.startsWith(`${name} (`));
    assert.match(verdict('Three TiB of pmem per node') ?? '', /\(Passed\)/, rows.join('\n'));
    assert.match(
      verdict('Three TiB, one put_dev_pagemap forgotten') ?? '',
      /\(Passed\)/,
      'fixed and saved: passes',
    );
    assert.match(
      verdict('Leaked pgmap reference') ?? '',
      /\(Failed\)/,
      'its time expectation fails',
    );
    // the failing scenario's children say which expectation failed, with the value the run measured
    const children = await wb.expandTest('Leaked pgmap reference');
    assert.ok(
      children.some((c) => /^time pmem0 init [\d.]+ ms ≥ 1 ms \(Failed\)/.test(c)),
      children.join('\n'),
    );
    assert.ok(
      children.some((c) => c.startsWith('leaked-pgmap-ref (Passed)')),
      children.join('\n'),
    );
    await wb.screenshot('testing');
  },
);

uiTest(
  "the Get Started walkthrough shows its steps and the first step's page, with its button to the three-TiB example",
  'walkthrough',
  async () => {
    await wb.runCommand('Welcome: Open Walkthrough...');
    await wb.page
      .locator('.quick-input-widget .monaco-list-row', { hasText: 'Get Started with Memmap Lab' })
      .first()
      .click();
    const walkthrough = wb.page.locator('.gettingStartedContainer');
    const steps = walkthrough.locator('.getting-started-step .step-title');
    await steps.first().waitFor();
    // The steps the package contributes (their titles and order are checked in the integration tier).
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { walkthroughs: { steps: { title: string }[] }[] };
    };
    assert.deepEqual(
      (await steps.allTextContents()).map((t) => t.trim()),
      pkg.contributes.walkthroughs[0].steps.map((st) => st.title),
    );
    await walkthrough.getByRole('button', { name: 'Open the Example' }).waitFor();
    // The step's page (its markdown media) shows beside the steps when the editor area is wide.
    await wb.page.keyboard.press('Control+B');
    try {
      const media = wb.page
        .locator('iframe.webview:visible')
        .first()
        .contentFrame()
        .locator('iframe#active-frame')
        .contentFrame();
      await media.getByRole('heading', { name: 'The 3 TiB-per-node machine' }).waitFor();
      await wb.screenshot('walkthrough');
    } finally {
      await wb.page.keyboard.press('Control+B');
    }
  },
);

uiTest('Dark Modern recolours the open panels', 'dark-theme', async () => {
  await wb.showExplorer();
  await wb.openFile(EXAMPLE);
  await wb.runCommand('Memmap Lab: Open Lock Analysis');
  const view = await wb.webview('Lock hold durations: three-tib-per-node', 'locks');
  const colours = () =>
    view.locator('body').evaluate(() => {
      const s = getComputedStyle(document.body);
      return {
        background: s.backgroundColor,
        color: s.color,
        kind: document.body.dataset.vscodeThemeKind,
      };
    });
  const light = await colours();
  const chart = view.locator('.chart canvas').first();
  const lightChart = await chart.screenshot();
  assert.equal(light.kind, 'vscode-light');
  await wb.setTheme('Dark Modern');
  await view.locator('body[data-vscode-theme-kind="vscode-dark"]').waitFor();
  const dark = await colours();
  assert.notEqual(dark.background, light.background, 'the panel background follows the theme');
  assert.notEqual(dark.color, light.color, 'the panel text follows the theme');
  assert.equal(dark.background, 'rgb(31, 31, 31)', "Dark Modern's editor background");
  assert.notDeepEqual(
    await chart.screenshot(),
    lightChart,
    'the histogram is redrawn in the dark colours',
  );
  await wb.screenshot('dark-theme');
});
