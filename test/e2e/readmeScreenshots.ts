/**
 * The README's pictures, taken from the real VS Code (code-server's workbench in Chromium) with
 * the packaged extension, by the same harness as the UI tests, so they never drift from the
 * product: `npm run screenshots` → media/screenshots/*.jpg. They ship in the .vsix beside the
 * README, so they are small: JPEGs of a 1280×800 window, the panels cropped to their editor group.
 * `npm run screenshots -- features` (or `panels`) takes one of the two sets.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { ROOT, Workbench, type ThemeLabel } from './workbench';

const OUT = join(ROOT, 'media', 'screenshots');
const VIEWPORT = { width: 1280, height: 800 };
const QUALITY = 75;
const EXAMPLE = 'three-tib-per-node.memmap.yaml';
/** A scenario whose run reports an error diagnostic (the lost percpu_ref_get) and expects it. */
const DIAGNOSED = 'missing-ref-regression.memmap.yaml';
/** A scenario with a live error that has three quick fixes (seed 001, vmemmap optimisation). */
const FIXABLE = 'compound-devdax.memmap.yaml';
/** The integration fixture whose time expectation fails: the Testing view shows a failure too. */
const FAILING = 'leaked-ref.memmap.yaml';

/** A throw-away workspace: every file of examples/ (what a user of the README sees), plus `fixtures`. */
function exampleWorkspace(fixtures: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmshots-'));
  for (const f of readdirSync(join(ROOT, 'examples')))
    copyFileSync(join(ROOT, 'examples', f), join(dir, f));
  for (const f of fixtures)
    copyFileSync(join(ROOT, 'test', 'fixtures', 'workspace', f), join(dir, f));
  return dir;
}

type Clip = { x: number; y: number; width: number; height: number };

/** Saves media/screenshots/<name>.jpg (the window, or `clip` of it) with no toast or palette over it. */
async function save(wb: Workbench, name: string, clip?: () => Promise<Clip>): Promise<void> {
  await wb.runCommand('Notifications: Clear All Notifications');
  await wb.page
    .locator('.notifications-toasts .notification-toast')
    .first()
    .waitFor({ state: 'detached' });
  await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await shot(wb, name, clip && (await clip()));
}

/** Saves media/screenshots/<name>.jpg as the page is now (a hover or menu may be open). */
async function shot(wb: Workbench, name: string, clip?: Clip): Promise<void> {
  await unchanged(wb);
  const path = join(OUT, `${name}.jpg`);
  await wb.page.screenshot({ path, type: 'jpeg', quality: QUALITY, clip });
  console.log(`  ${path}  ${Math.round(statSync(path).size / 1024)} KB`);
}

/** The window from its top down to `widget` and a margin below it. */
async function downTo(widget: Locator, margin = 48): Promise<Clip> {
  const b = await widget.boundingBox();
  if (!b) throw new Error('nothing to crop to: the widget is not shown');
  return {
    x: 0,
    y: 0,
    width: VIEWPORT.width,
    height: Math.min(VIEWPORT.height, Math.ceil(b.y + b.height + margin)),
  };
}

/** The editor group that holds the tab titled `title` (a panel beside its scenario): its tabs and its page. */
function groupOf(wb: Workbench, title: string): () => Promise<Clip> {
  return async () => {
    const b = await wb.page
      .locator('.editor-group-container', { has: wb.page.locator('.tab', { hasText: title }) })
      .first()
      .boundingBox();
    if (!b) throw new Error(`no editor group with the tab "${title}"`);
    return {
      x: Math.floor(b.x),
      y: Math.floor(b.y),
      width: Math.ceil(b.width),
      height: Math.ceil(b.height),
    };
  };
}

/** The example as it is in examples/: a key the editor got instead of a widget would show as an unsaved change. */
async function unchanged(wb: Workbench): Promise<void> {
  if (await wb.page.locator('.tabs-container .tab.dirty').count())
    throw new Error('an editor has unsaved changes: a key press went to the editor');
}

/** Drags the sash on `edge` of the workbench part `part` by `by` pixels (right or down). */
async function dragEdge(
  wb: Workbench,
  part: string,
  edge: 'right' | 'top',
  by: number,
): Promise<void> {
  const p = await wb.page.locator(part).first().boundingBox();
  if (!p) throw new Error(`${part} is not shown`);
  const vertical = edge === 'right';
  for (const sash of await wb.page
    .locator(`.monaco-sash.${vertical ? 'vertical' : 'horizontal'}:visible`)
    .all()) {
    const b = await sash.boundingBox();
    if (!b) continue;
    const [x, y] = [b.x + b.width / 2, b.y + b.height / 2];
    if (
      vertical
        ? Math.abs(x - (p.x + p.width)) > 4 || y < p.y || y > p.y + p.height
        : Math.abs(y - p.y) > 4 || x < p.x || x > p.x + p.width
    )
      continue;
    await wb.page.mouse.move(x, y);
    await wb.page.mouse.down();
    await wb.page.mouse.move(vertical ? x + by : x, vertical ? y : y + by, { steps: 8 });
    await wb.page.mouse.up();
    return;
  }
  throw new Error(`no sash on the ${edge} of ${part}`);
}

/**
 * Memmap Lab: Compare Variants… from the palette, `a` against `b`. A panel that takes the focus
 * back a moment after the palette closes cancels the command's quick pick: then it runs again.
 */
async function compareVariants(wb: Workbench, a: string, b: string): Promise<void> {
  const title = (t: string) =>
    wb.page.locator('.quick-input-widget .quick-input-title', { hasText: t });
  for (let attempt = 1; ; attempt++) {
    await wb.runCommand('Memmap Lab: Compare Variants…');
    try {
      await title('Compare Variants… (1/2)').waitFor({ timeout: 5000 });
      await wb.pick('Compare Variants… (1/2)', a);
      await title('Compare Variants… (2/2)').waitFor({ timeout: 5000 });
      await wb.pick('Compare Variants… (2/2)', b);
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      if (await wb.page.locator('.quick-input-widget').isVisible())
        await wb.page.keyboard.press('Escape');
    }
  }
}

/** The four panels on the 3 TiB example, beside its scenario. */
async function panels(theme: ThemeLabel, suffix: string): Promise<void> {
  const wb = await Workbench.start({ workspace: exampleWorkspace(), theme, viewport: VIEWPORT });
  try {
    // The scenario and the panel share the window.
    await wb.runCommand('View: Close Primary Side Bar');
    await wb.openFile(EXAMPLE);
    await wb.codeLens('▶ Run').waitFor();
    await wb.codeLens('▶ Run').click();
    await wb.lensShows('✓ no leaked-pgmap-ref');
    await wb.runCommand('Memmap Lab: Open Timeline');
    await wb.webview('Init timeline: three-tib-per-node', 'timeline');
    // The README's first picture: the whole window, the scenario beside its timeline.
    if (suffix === 'light') await save(wb, 'vscode-timeline-light');
    await save(wb, `timeline-${suffix}`, groupOf(wb, 'Init timeline: three-tib-per-node'));
    await wb.showEditor(EXAMPLE);
    await wb.runCommand('Memmap Lab: Open Lock Analysis');
    await wb.webview('Lock hold durations: three-tib-per-node', 'locks');
    await save(wb, `locks-${suffix}`, groupOf(wb, 'Lock hold durations: three-tib-per-node'));
    await wb.showEditor(EXAMPLE);
    await wb.codeLens('Inspect pages').click();
    const inspector = await wb.webview('Page inspector: three-tib-per-node', 'inspector');
    // After the probe (step 1), when pmem0's pages have their struct pages.
    const slider = inspector.locator('input[type=range]');
    await slider.focus();
    await slider.press('Home');
    await slider.press('ArrowRight');
    await inspector.locator('.step-label', { hasText: 'after step 1' }).waitFor();
    await save(wb, `inspector-${suffix}`, groupOf(wb, 'Page inspector: three-tib-per-node'));
    // The kernel before 966cf44f637e against the one with it, from the palette.
    await wb.showEditor(EXAMPLE);
    await compareVariants(wb, 'v4.18', 'v4.20');
    const compare = await wb.webview('Compare: three-tib-per-node', 'compare');
    await compare.locator('h1', { hasText: 'A: v4.18  vs  B: v4.20' }).waitFor();
    await compare
      .locator('section', { hasText: 'lock_stat, A vs B' })
      .locator('tr', { hasText: 'mem_hotplug_lock' })
      .waitFor();
    await save(wb, `compare-${suffix}`, groupOf(wb, 'Compare: three-tib-per-node'));
  } catch (e) {
    console.error(
      `  failed; the page as it was: ${await wb.screenshot(`readme-panels-${suffix}.failure`)}`,
    );
    throw e;
  } finally {
    await wb.close();
  }
}

/** The editor features: hover, quick fix, diagnostics with the Problems panel, the Testing view. */
async function features(theme: ThemeLabel, suffix: string): Promise<void> {
  const wb = await Workbench.start({
    workspace: exampleWorkspace([FAILING]),
    theme,
    viewport: VIEWPORT,
  });
  try {
    // The editor (and the Problems panel) get the width until the Testing view.
    await wb.runCommand('View: Close Primary Side Bar');
    // A hover on a size: pages, sections, the memmap it needs, where it is placed.
    await wb.openFile(EXAMPLE);
    await wb.codeLens('▶ Run').click();
    await wb.lensShows('✓ no leaked-pgmap-ref');
    await wb.clearNotifications();
    const size = wb
      .editor()
      .locator('.view-line', { hasText: '- { ram: 384GiB, cpus: 28, pmem: 3TiB }' })
      .first()
      .locator('span span', { hasText: /^3TiB$/ })
      .first();
    await size.hover();
    const hover = wb.page.locator('.monaco-hover:visible', {
      hasText: '805,306,368 pages of 4 KiB',
    });
    await hover.waitFor();
    await shot(wb, `hover-${suffix}`, await downTo(size));
    await wb.page.keyboard.press('Escape');
    await wb.page.mouse.move(1, VIEWPORT.height / 2);
    await wb.page
      .locator('.monaco-hover:visible')
      .first()
      .waitFor({ state: 'detached' })
      .catch(() => undefined);

    // The quick fixes of a live error: the lightbulb menu at the diagnostic.
    await wb.runCommand('View: Close All Editor Groups');
    await wb.openFile(FIXABLE);
    await wb.editor().locator('.squiggly-error').first().waitFor();
    // The cursor into the squiggle, as a click puts it there.
    const box = await wb.editor().locator('.squiggly-error').first().boundingBox();
    if (!box) throw new Error(`no squiggle in ${FIXABLE}`);
    await wb.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await wb.page.keyboard.press('Control+.');
    const menu = wb.page.locator('.action-widget:not(.action-list-submenu-panel)');
    await menu
      .locator('.monaco-list-row.action', { hasText: 'Switch the kernel to v6.4' })
      .waitFor();
    await shot(wb, `quick-fix-${suffix}`, await downTo(menu));
    await wb.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });

    // A run's error diagnostic: its squiggle, the expectations' lenses, the Problems panel.
    await wb.runCommand('View: Close All Editor Groups');
    await wb.openFile(DIAGNOSED);
    await wb.codeLens('▶ Run').click();
    await wb.lensShows('✓ pgmap-ref-underflow');
    // Its key (Ctrl+Shift+M) opens the Problems panel: no palette whose Enter could reach the editor.
    await wb.page.keyboard.press('Control+Shift+M');
    await wb.page
      .locator('.markers-panel .monaco-list-row', {
        hasText: 'percpu ref (blk_queue_usage_counter_release) <= 0',
      })
      .first()
      .waitFor();
    await wb.editor().locator('.squiggly-error').first().waitFor();
    // A lower panel: the whole scenario shows above its two problems.
    await dragEdge(wb, '.part.panel', 'top', 90);
    await wb.lensShows('✓ no leaked-pgmap-ref');
    await save(wb, `diagnostics-${suffix}`);

    // The Testing view after Run Tests: every scenario with expect: is a test.
    await wb.runCommand('View: Hide Panel');
    await wb.runCommand('View: Close All Editor Groups');
    await wb.openFile(FAILING);
    await wb.openTesting();
    await wb.runAllTests();
    await wb.testRows(
      (r) =>
        r.some((x) => x.includes('(Failed)')) &&
        !r.some((x) => /Not yet run|Running|Queued/.test(x)),
      'a finished run with a failure',
    );
    await wb.expandTest('Leaked pgmap reference');
    // The run opens Test Results ("did not record any output"): the editor's marks say more.
    await wb.runCommand('View: Hide Panel');
    // A wider Testing view, for the expectations' names.
    await dragEdge(wb, '.part.sidebar', 'right', 180);
    // Down to the failed expectation's message; below it the editor is empty.
    await save(wb, `testing-${suffix}`, () =>
      downTo(wb.editor().locator('.view-line', { hasText: 'below: 1ms' }).first(), 60),
    );
  } catch (e) {
    console.error(
      `  failed; the page as it was: ${await wb.screenshot(`readme-features-${suffix}.failure`)}`,
    );
    throw e;
  } finally {
    await wb.close();
  }
}

/** A session, and once more in a fresh workbench if it fails (the UI journey's rule for a flake). */
async function twice(session: () => Promise<void>): Promise<void> {
  try {
    await session();
  } catch (e) {
    console.error(
      `  ${e instanceof Error ? e.message.split('\n')[0] : e}\n  once more, in a fresh workbench`,
    );
    await session();
  }
}

async function main(): Promise<void> {
  const only = process.argv[2];
  mkdirSync(OUT, { recursive: true });
  if (only !== 'features') {
    await twice(() => panels('Light Modern', 'light'));
    await twice(() => panels('Dark Modern', 'dark'));
  }
  if (only !== 'panels') await twice(() => features('Dark Modern', 'dark'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
