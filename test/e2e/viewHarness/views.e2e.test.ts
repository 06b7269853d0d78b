/**
 * The four views clicked through in Chromium, with the extension's HTML and CSP, the built
 * bundles and the real controllers over real engine runs (no VS Code yet: that harness comes
 * with the core). Run: `npm run build && node --import tsx --test test/e2e/viewHarness/views.e2e.test.ts`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { SavedState, ViewKind } from '../../../src/protocol/webview';
import type { ViewController } from '../../../src/extension/panels/controller';
import { TimelineController } from '../../../src/extension/panels/timelineController';
import { LocksController } from '../../../src/extension/panels/locksController';
import { InspectorController } from '../../../src/extension/panels/inspectorController';
import { CompareController } from '../../../src/extension/panels/compareController';
import {
  LogLocksController,
  LogTimelineController,
} from '../../../src/extension/panels/logControllers';
import { importLogText } from '../../../src/engine/trace/import/importLog';
import { EngineRunService } from './engineRunService';
import { launch, openView, ROOT, switchTheme, type OpenedView } from './harness';
import { example } from './scenarios';
import type { ThemeName } from './themes';
import { gutterWidth } from '../../../webview/shared/timelineLayout';

let browser: Browser;
before(async () => (browser = await launch()));
after(() => browser.close());

const doc = example('three-tib-per-node');

async function open(
  view: ViewKind,
  make: (runs: EngineRunService) => ViewController,
  opts: {
    theme?: ThemeName;
    saved?: Partial<SavedState>;
    viewport?: { width: number; height: number };
    doc?: { uri: string; text: string };
  } = {},
): Promise<OpenedView> {
  const d = opts.doc ?? doc;
  const runs = new EngineRunService(new Map([[d.uri, d.text]]));
  const v = await openView(
    browser,
    view,
    make(runs),
    opts.theme ?? 'light',
    opts.viewport,
    opts.saved,
  );
  await v.firstPaint();
  return v;
}

function clean(v: OpenedView): void {
  assert.deepEqual(v.problems, [], 'no console errors, CSP violations or network requests');
}

test('timeline: search steps through matches, details with cost terms, reveal the step', async () => {
  const v = await open('timeline', (r) => new TimelineController(r, doc.uri));
  const p = v.page;
  await p.getByText('Spans in view, as a table').click();
  const inView = p.locator('caption', { hasText: 'in view' });
  const before = await inView.textContent();
  const search = p.getByRole('textbox', { name: 'Search spans by function, device or thread' });
  await search.fill('pgdatinit');
  assert.equal(await p.locator('.count').textContent(), '2 matches · Enter steps through them');
  assert.equal(await inView.textContent(), before, 'highlighted, not filtered');
  await search.press('Enter');
  assert.equal(await p.locator('.count').textContent(), '1 of 2', 'a thread name matches too');
  await p.waitForSelector('.details dl');
  assert.equal(await p.locator('.details h2').textContent(), 'deferred_init_memmap');
  await search.fill('memmap_init_zone_device');
  assert.equal(await p.locator('.count').textContent(), '2 matches · Enter steps through them');
  await search.press('Shift+Enter');
  assert.equal(await p.locator('.count').textContent(), '2 of 2', 'Shift+Enter wraps to the last');
  await search.press('Enter');
  assert.equal(await p.locator('.count').textContent(), '1 of 2');
  await p.waitForSelector('.details table.cost');
  assert.equal(await p.locator('.details h2').textContent(), 'memmap_init_zone_device');
  const dd = await p.locator('.details dd').allTextContents();
  assert.ok(dd.includes('0x6c00200 – 0x35ffffff'), dd.join(' | '));
  assert.ok(dd.includes('792,722,944'));
  assert.deepEqual(await p.locator('.details table.cost tbody td:first-child').allTextContents(), [
    'structPageStorePmem',
    'pageInitCpu',
    'pageblockInit',
  ]);
  await p.getByText('Reveal in scenario').click();
  await p.getByText('Inspect first pfn').click();
  assert.deepEqual(v.actions, [
    { type: 'revealStep', step: 1 },
    { type: 'openInspector', text: '0x6c00200' },
  ]);
  await p.keyboard.press('Home');
  await p.locator('canvas.lanes').focus();
  await p.keyboard.press('Shift+A');
  await p.keyboard.press('b');
  assert.match(
    (await p.locator('.markers').textContent()) ?? '',
    /^A 5\.53 s · B 29\.7 s · Δ 24\.2 s$/,
  );
  assert.equal(v.state()?.search, 'memmap_init_zone_device');
  clean(v);
  await p.close();
});

/** The three-TiB timeline, its lanes canvas and where the canvas is on the page (for the mouse). */
async function openLanes() {
  const v = await open('timeline', (r) => new TimelineController(r, doc.uri));
  const canvas = v.page.locator('canvas.lanes');
  return { v, p: v.page, canvas, box: (await canvas.boundingBox())! };
}

test('timeline: W/S zoom around the pointer and A/D pan, as in Perfetto', async () => {
  const { v, p, canvas, box } = await openLanes();
  const whole = v.state()!.window!;
  const width = ([a, b]: [number, number]) => b - a;
  // The pointer over the plot, three quarters of the way across.
  await p.mouse.move(box.x + box.width * 0.75, box.y + 40);
  const [t0, t1] = whole;
  const gutter = gutterWidth(box.width);
  const under = t0 + ((box.width * 0.75 - gutter) / (box.width - gutter)) * (t1 - t0);
  await canvas.focus();
  await p.keyboard.press('w');
  const zoomed = v.state()!.window!;
  assert.ok(width(zoomed) < width(whole) * 0.8, 'W zooms in');
  const at = zoomed[0] + ((box.width * 0.75 - gutter) / (box.width - gutter)) * width(zoomed);
  assert.ok(Math.abs(at - under) < width(whole) * 1e-6, 'the time under the pointer stays put');
  await p.keyboard.press('d');
  const panned = v.state()!.window!;
  assert.ok(panned[0] > zoomed[0] && Math.abs(width(panned) - width(zoomed)) < 1, 'D pans right');
  await p.keyboard.press('a');
  assert.ok(Math.abs(v.state()!.window![0] - zoomed[0]) < 1, 'A pans back');
  await p.keyboard.press('s');
  assert.ok(width(v.state()!.window!) > width(zoomed) * 1.2, 'S zooms out');
  assert.equal(await p.locator('.markers').textContent(), '', 'A pans: no marker set');
  clean(v);
  await p.close();
});

test('timeline: an area (Shift+drag, or between markers) sums count, total and self time per function', async () => {
  const { v, p, canvas, box } = await openLanes();
  await p.keyboard.down('Shift');
  await p.mouse.move(box.x + gutterWidth(box.width) + 5, box.y + 30);
  await p.mouse.down();
  await p.mouse.move(box.x + box.width - 10, box.y + box.height - 10, { steps: 5 });
  await p.mouse.up();
  await p.keyboard.up('Shift');
  assert.match((await p.locator('.details h2').textContent()) ?? '', /^Area: .+ × 6 threads$/);
  const table = p.locator('.details table.data');
  const row = await table
    .locator('tbody tr', { hasText: 'memmap_init_zone_device' })
    .locator('td')
    .allTextContents();
  assert.equal(row[0], 'memmap_init_zone_device');
  assert.equal(row[3], '2', 'both inits');
  assert.equal(row[1], row[2], 'a leaf: its time is its own');
  assert.equal(
    await table.locator('tbody tr').first().locator('td').first().textContent(),
    'memmap_init_zone_device',
    'the largest self time first',
  );
  // The keyboard's way: markers A and B, then Summarise A–B, over the threads shown.
  await canvas.focus();
  await p.mouse.move(box.x + gutterWidth(box.width) + 2, box.y + 30);
  await p.keyboard.press('Shift+A');
  await p.mouse.move(box.x + box.width - 2, box.y + 30);
  await p.keyboard.press('b');
  await p.getByRole('button', { name: 'Summarise A–B' }).click();
  assert.match((await p.locator('.details h2').textContent()) ?? '', /^Area: .+ × 6 threads$/);
  clean(v);
  await p.close();
});

test('timeline: the spans table and the kernel messages are the keyboard path', async () => {
  const v = await open('timeline', (r) => new TimelineController(r, doc.uri));
  const p = v.page;
  await p.getByText('Kernel messages (5)').click();
  const messages = await p
    .locator('details.alternative')
    .nth(1)
    .locator('tbody td:nth-child(4)')
    .allTextContents();
  assert.ok(
    messages.includes('pfn1.0 initialised, 792722944 pages in 24165ms'),
    messages.join('\n'),
  );
  await p.getByText('Spans in view, as a table').click();
  const row = p
    .locator('details.alternative')
    .first()
    .locator('tbody tr')
    .filter({ hasText: 'arch_add_memory' })
    .first();
  await row.focus();
  await p.keyboard.press('Enter');
  await p.waitForSelector('.details h2');
  assert.equal(await p.locator('.details h2').textContent(), 'arch_add_memory');
  clean(v);
  await p.close();
});

test('timeline: a CodeLens focus on a device selects its spans; a reload restores window and search', async () => {
  const v = await open('timeline', (r) => new TimelineController(r, doc.uri, { device: 'pmem1' }));
  await v.page.waitForSelector('.details dl');
  assert.equal(await v.page.locator('.details h2').textContent(), 'nd_pmem_probe');
  assert.ok((await v.page.locator('.details dd').allTextContents()).includes('pmem1'));
  const saved = v.state();
  await v.page.close();
  const again = await open('timeline', (r) => new TimelineController(r, doc.uri), {
    saved: { ...saved, search: 'arch_add_memory' },
  });
  assert.equal(
    await again.page.locator('.count').textContent(),
    '2 matches · Enter steps through them',
  );
  assert.deepEqual(again.state()?.window, saved?.window);
  clean(again);
  await again.page.close();
});

test('timeline: at a 770 px panel the lanes get most of the width; the details pane resizes and closes', async () => {
  const v = await open('timeline', (r) => new TimelineController(r, doc.uri, { device: 'pmem1' }), {
    viewport: { width: 770, height: 700 },
  });
  const p = v.page;
  await p.waitForSelector('.details dl');
  const width = (selector: string) =>
    p.locator(selector).evaluate((e) => e.getBoundingClientRect().width);
  const lanes = await width('canvas.lanes');
  const plot = lanes - gutterWidth(lanes);
  assert.ok(plot > 770 / 2, `the plot is ${plot} px of 770`);
  assert.ok(plot > (await width('.details')), 'wider than the details');
  const splitter = p.getByRole('separator', { name: /^Resize span details/ });
  const before = Number(await splitter.getAttribute('aria-valuenow'));
  await splitter.focus();
  await p.keyboard.press('ArrowLeft');
  await p.keyboard.press('ArrowLeft');
  assert.equal(Number(await splitter.getAttribute('aria-valuenow')), before + 32);
  assert.equal(await width('.details'), before + 32);
  assert.equal(v.state()?.details?.width, before + 32);
  await p.getByRole('button', { name: 'Close span details' }).click();
  assert.equal(await p.locator('.details').isHidden(), true);
  assert.ok((await width('canvas.lanes')) > lanes + before, 'the lanes take the room');
  await p.getByRole('button', { name: 'Show details' }).click();
  assert.equal(await p.locator('.details h2').textContent(), 'nd_pmem_probe', 'still selected');
  assert.equal(await width('.details'), before + 32, 'opens as wide as it was');
  assert.equal(await p.getByRole('button', { name: 'Hide details' }).count(), 1);
  clean(v);
  await p.close();
});

test('timeline: the selected span and the pane survive a tab switch (the webview reloads)', async () => {
  const v = await open('timeline', (r) => new TimelineController(r, doc.uri));
  await v.page.locator('canvas.lanes').focus();
  await v.page.keyboard.press(']');
  await v.page.keyboard.press(']');
  await v.page.waitForSelector('.details dl');
  const name = await v.page.locator('.details h2').textContent();
  const dd = await v.page.locator('.details dd').allTextContents();
  await v.page.getByRole('button', { name: 'Close span details' }).click();
  const saved = v.state();
  await v.page.close();
  const again = await open('timeline', (r) => new TimelineController(r, doc.uri), { saved });
  const p = again.page;
  assert.equal(await p.locator('.details').isHidden(), true, 'still closed');
  await p.getByRole('button', { name: 'Show details' }).click();
  await p.waitForSelector('.details dl');
  assert.equal(await p.locator('.details h2').textContent(), name);
  assert.deepEqual(await p.locator('.details dd').allTextContents(), dd);
  assert.deepEqual(again.state()?.window, saved?.window);
  clean(again);
  await p.close();
});

test('timeline: eight nodes in groups, the 224 padata helpers folded; unfold and pin from the keyboard', async () => {
  const eight = example('eight-nodes-3tib');
  const v = await open('timeline', (r) => new TimelineController(r, eight.uri), {
    doc: eight,
  });
  const p = v.page;
  const shown = p.locator('.shown');
  assert.equal(await shown.textContent(), '18 of 242 threads shown · 224 folded');
  await p.getByText('Threads: fold groups, pin threads to the top').click();
  const helpers = p.getByRole('button', { name: '▸ padata3/* (28 threads)' });
  await helpers.focus();
  await p.keyboard.press('Enter');
  assert.equal(await shown.textContent(), '46 of 242 threads shown · 196 folded');
  const unfolded = p.getByRole('button', { name: '▾ padata3/* (28 threads)' });
  assert.equal(await unfolded.getAttribute('aria-expanded'), 'true');
  assert.equal(await unfolded.evaluate((b) => b === document.activeElement), true, 'focus kept');
  const pin = p.getByRole('button', { name: 'Pin probe/5:pmem5 to the top' });
  await pin.focus();
  await p.keyboard.press('Enter');
  assert.equal(await pin.getAttribute('aria-pressed'), 'true');
  assert.deepEqual(v.state()?.lanes?.pinned, ['probe/5:pmem5']);
  const saved = v.state();
  clean(v);
  await p.close();
  const again = await open('timeline', (r) => new TimelineController(r, eight.uri), {
    doc: eight,
    saved,
  });
  assert.equal(
    await again.page.locator('.shown').textContent(),
    '46 of 242 threads shown · 196 folded',
  );
  await again.page.getByText('Threads: fold groups, pin threads to the top').click();
  assert.equal(
    await again.page
      .getByRole('button', { name: 'Pin probe/5:pmem5 to the top' })
      .getAttribute('aria-pressed'),
    'true',
  );
  clean(again);
  await again.page.close();
});

test('locks: lock_stat table sorts; histogram and gantt have table alternatives; charts follow the theme', async () => {
  const v418 = { uri: doc.uri, text: doc.text.replace('kernel: v4.20', 'kernel: v4.18') };
  const runs = new EngineRunService(new Map([[v418.uri, v418.text]]));
  const v = await openView(browser, 'locks', new LocksController(runs, v418.uri), 'light');
  await v.firstPaint();
  const p = v.page;
  const table = p.locator('table.data').first();
  const names = () => table.locator('tbody td:first-child').allTextContents();
  assert.equal((await names())[0], 'cpu_hotplug_lock-R', 'sorted by holdtime-max, longest first');
  assert.equal(await table.locator('tr.warn td:first-child').textContent(), 'mem_hotplug_lock');
  await table.getByRole('button', { name: /^class name/ }).click();
  assert.deepEqual(await names(), [
    'cpu_hotplug_lock-R',
    'mem_hotplug_lock',
    'pgdat_resize_lock',
    'zone_span_seqlock',
  ]);
  assert.equal(await table.locator('th').first().getAttribute('aria-sort'), 'ascending');
  await p.getByText('Histogram as a table').click();
  assert.equal(await p.locator('details.alternative').first().locator('tbody tr').count(), 20);
  await p.getByText('Holders and waiters as a table').click();
  const holders = await p
    .locator('details.alternative')
    .nth(1)
    .locator('tbody tr')
    .allTextContents();
  assert.ok(
    holders.some((r) => r.includes('probe/1:pmem1') && r.includes('waits')),
    holders.join('\n'),
  );
  const chart = p.locator('.chart canvas').first();
  const light = await chart.screenshot();
  await switchTheme(p, 'dark');
  await p.waitForTimeout(200);
  assert.notDeepEqual(await chart.screenshot(), light, 'the histogram redraws in the dark theme');
  clean(v);
  await p.close();
});

/** An imported log (a real fixture, test/fixtures/README.md) as the extension's log source serves it. */
const logSource = (name: string) => {
  const log = importLogText(readFileSync(join(ROOT, 'test', 'fixtures', 'logs', name), 'utf8'), {
    name,
  });
  return { uri: `file:///${name}`, logs: { load: async () => log } };
};

test('locks: an imported /proc/lock_stat as printed: bounces, µs, -W/-R, call sites, no threshold', async () => {
  const { uri, logs } = logSource('lock_stat-tasklist-rw.txt');
  const v = await openView(
    browser,
    'locks',
    new LogLocksController(logs, uri, () => undefined),
    'light',
  );
  await v.firstPaint();
  const p = v.page;
  const table = p.locator('table.data').first();
  const cells = await table
    .locator('tbody tr', { hasText: 'tasklist_lock-W' })
    .locator('td')
    .allTextContents();
  assert.deepEqual(cells, [
    'tasklist_lock-W',
    '56291',
    '56830',
    '0.23',
    '3352084.59',
    '3191025005.50',
    '56150.36',
    '86555',
    '110489',
    '0.60',
    '65916.78',
    '50226089.66',
    '454.58',
  ]);
  assert.equal(await p.getByText(/long-hold threshold/).count(), 0, 'no threshold set, none shown');
  const sites = p.locator('section', { hasText: 'Call sites' }).locator('tbody tr');
  assert.equal(await sites.count(), 8);
  assert.deepEqual(await sites.first().locator('td').allTextContents(), [
    'tasklist_lock-R',
    'waited here (contention)',
    '21879',
    '[<000000004337def3>]',
    'exit_notify+0x86/0x790',
  ]);
  clean(v);
  await p.close();
});

test('timeline: an imported dmesg -H splat lists the time it printed', async () => {
  const { uri, logs } = logSource('ice-list-corruption-dmesg-H.txt');
  const v = await openView(browser, 'timeline', new LogTimelineController(logs, uri), 'light');
  await v.firstPaint();
  const p = v.page;
  await p.getByText(/^Kernel messages/).click();
  const row = p
    .locator('details.alternative')
    .nth(1)
    .locator('tbody tr', { hasText: 'kernel BUG at' });
  assert.equal(await row.locator('td').first().textContent(), '+0.000015 s');
  clean(v);
  await p.close();
});

test('timeline: an imported log opens on its events (303–369 s), not on the axis from 0', async () => {
  const { uri, logs } = logSource('nvdimm-devdax-5.10-rc3.log');
  const v = await openView(browser, 'timeline', new LogTimelineController(logs, uri), 'light');
  await v.firstPaint();
  const [t0, t1] = v.state()?.window ?? [0, 0];
  assert.ok(t0 > 299e9 && t0 < 303.4e9, `opens at ${t0} ns`);
  assert.ok(t1 > 368.7e9 && t1 < 373e9, `up to the BUG at 368.8 s: ${t1} ns`);
  await v.page.getByText('Spans in view, as a table').click();
  assert.equal(
    await v.page.locator('caption', { hasText: 'in view' }).textContent(),
    '8 spans in view',
  );
  clean(v);
  await v.page.close();
});

test('inspector: a pfn typed as device+offset, scrubbed through the steps, a page clicked', async () => {
  const v = await open('inspector', (r) => new InspectorController(r, doc.uri, 'pmem0+0'));
  const p = v.page;
  await p.waitForSelector('.page-pane dl');
  const field = async (name: string) =>
    p
      .locator('.page-pane dt', { hasText: new RegExp(`^${name.replace(/[()]/g, '\\$&')}$`) })
      .locator('xpath=following-sibling::dd[1]')
      .textContent();
  // Opened on pmem0: at the step after the probe that made it live, not at the end of the run.
  await p.waitForFunction(() =>
    document.querySelector('.page-pane .muted')?.textContent?.startsWith('after step 1'),
  );
  assert.equal(await field('memmap'), 'initialised');
  const slider = p.locator('input[type=range]');
  await slider.focus();
  await slider.press('End');
  await p.waitForFunction(
    () => !document.querySelector('.page-pane .muted')?.textContent?.startsWith('after step 1'),
  );
  assert.equal(await field('memmap'), 'no-memmap', 'the end of the run: the namespace is gone');
  await slider.press('Home');
  await slider.press('ArrowRight');
  await p.waitForFunction(() =>
    document.querySelector('.page-pane .muted')?.textContent?.startsWith('after step 1'),
  );
  assert.equal(await field('pfn'), '0x6c00200 (pmem0+0x0)');
  assert.equal(await field('zone'), 'Device');
  assert.equal(await field('refcount'), '1');
  assert.equal(await field('initialised by'), 'memmap_init_zone_device at 5.53 s (step 1)');
  assert.equal(await field('pfn_to_online_page()'), 'NULL');
  assert.match(
    (await field('shared with')) ?? '',
    /^pfns 0x6c00200–0x6c0023f \(64 struct pages per vmemmap page\)/,
  );
  await p.waitForSelector('.section-detail');
  assert.match((await p.locator('.section-detail h2').textContent()) ?? '', /^Section 3456 /);
  assert.equal(await p.locator('.section-detail .cells').first().locator('.cell').count(), 64);
  await p.locator('.section-detail .cells.small .cell').nth(5).click();
  await p.waitForFunction(
    () => document.querySelector('.page-pane h2')?.textContent === 'struct page for pfn 0x6c00205',
  );
  // Named for a screen reader by what they do, not by their symbols.
  assert.equal(await p.getByRole('button', { name: 'Previous step' }).count(), 1);
  assert.equal(await p.getByRole('button', { name: 'Next step' }).count(), 1);
  assert.equal(await p.getByRole('button', { name: /[◀▶]/ }).count(), 0);
  await p.getByRole('textbox', { name: 'pfn or device+offset' }).fill('pmem9+0');
  await p.keyboard.press('Enter');
  await p.waitForFunction(() =>
    document.querySelector('.inspector .error')?.textContent?.includes("no device named 'pmem9'"),
  );
  assert.equal(v.state()?.afterStep, 1);
  clean(v);
  await p.close();
});

test('inspector kmem -p: the rows of a pfn range as crash prints them, a bare pfn read as hex, copied as text', async () => {
  const v = await open('inspector', (r) => new InspectorController(r, doc.uri, 'pmem0+0'));
  const p = v.page;
  await p.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  // Offered the inspected pfn, at the step after the probe.
  await p.waitForFunction(() =>
    document.querySelector('.kmem-text')?.textContent?.includes('ffffea01b0008000'),
  );
  const text = async () => ((await p.locator('.kmem-text').textContent()) ?? '').split('\n');
  assert.equal(
    (await text())[0],
    '      PAGE          PHYSICAL      MAPPING       INDEX CNT FLAGS',
  );
  assert.equal(
    (await text())[1],
    'ffffea01b0008000  6c00200000      -------       -----   1 1000 reserved',
  );
  await p.getByRole('textbox', { name: /^kmem -p start/ }).fill('6c001fe');
  await p.getByRole('textbox', { name: /^struct pages/ }).fill('4');
  await p.keyboard.press('Enter');
  await p.waitForFunction(() =>
    document.querySelector('.kmem-text')?.textContent?.includes('ffffea01b0007f80'),
  );
  const lines = await text();
  assert.deepEqual(
    lines.slice(1, 5).map((l) => l.slice(0, 16)),
    ['ffffea01b0007f80', 'ffffea01b0007fc0', 'ffffea01b0008000', 'ffffea01b0008040'],
    'four struct pages from pfn 0x6c001fe, 64 bytes apart',
  );
  assert.match(
    (await p.locator('.kmem .notes').textContent()) ?? '',
    /MAPPING and INDEX are not modelled/,
  );
  await p.getByRole('button', { name: 'Copy kmem -p text' }).click();
  await p.waitForFunction(() =>
    document.querySelector('.kmem .muted')?.textContent?.startsWith('Copied 4 row'),
  );
  assert.equal(await p.evaluate(() => navigator.clipboard.readText()), lines.join('\n'));
  await p.getByRole('textbox', { name: /^kmem -p start/ }).fill('6c00200x');
  await p.keyboard.press('Enter');
  await p.waitForFunction(() =>
    document.querySelector('.kmem .error')?.textContent?.includes('is not a pfn: hex'),
  );
  clean(v);
  await p.close();
});

test('compare: per-node init, lock deltas, dmesg of both; choosing variants asks the host', async () => {
  const v = await open('compare', (r) => new CompareController(r, doc.uri, ['v4.18', 'v4.20']));
  const p = v.page;
  assert.equal(await p.locator('h1').textContent(), 'A: v4.18  vs  B: v4.20');
  const lock = await p
    .locator('section', { hasText: 'lock_stat, A vs B' })
    .locator('tr', { hasText: 'mem_hotplug_lock' })
    .locator('td')
    .allTextContents();
  assert.match(lock[3], /^25\.9 s → 1\.70 s \(−24\.2 s \(−93%\)\)$/);
  const dmesg = await p.locator('table.dmesg tbody tr').allTextContents();
  assert.equal(dmesg.length, 5);
  assert.equal(
    await p.locator('table.dmesg tr.alone').count(),
    2,
    'only v4.20 prints the device init lines',
  );
  await p.locator('vscode-dropdown').nth(1).click();
  await p.locator('vscode-option', { hasText: 'v4.20-pageblock' }).nth(1).click();
  await p.getByText('Compare', { exact: true }).click();
  await p.waitForFunction(() =>
    document.querySelector('h1')?.textContent?.includes('v4.20-pageblock'),
  );
  assert.deepEqual(v.actions, [{ type: 'compareVariants', a: 'v4.18', b: 'v4.20-pageblock' }]);
  assert.deepEqual(v.state()?.variants, ['v4.18', 'v4.20-pageblock']);
  clean(v);
  await p.close();
});
