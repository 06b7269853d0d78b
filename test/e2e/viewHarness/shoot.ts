/**
 * Screenshots and time-to-first-paint of the four views on real engine runs, in a light and a
 * dark theme: `npm run build && node --import tsx test/e2e/viewHarness/shoot.ts [view…]`.
 * Pictures go to test/e2e/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { SavedState, ViewKind } from '../../../src/protocol/webview';
import type { ViewController } from '../../../src/extension/panels/controller';
import { TimelineController } from '../../../src/extension/panels/timelineController';
import { LocksController } from '../../../src/extension/panels/locksController';
import { InspectorController } from '../../../src/extension/panels/inspectorController';
import { CompareController } from '../../../src/extension/panels/compareController';
import { EngineRunService } from './engineRunService';
import { launch, openView, ROOT, type OpenedView } from './harness';
import { example, manyPageOps } from './scenarios';
import type { ThemeName } from './themes';

const OUT = join(ROOT, 'test', 'e2e', 'artifacts');

interface Shot {
  name: string;
  view: ViewKind;
  doc: { uri: string; text: string };
  controller: (runs: EngineRunService, uri: string) => ViewController;
  themes: ThemeName[];
  /** Interaction before the picture. */
  act?: (v: OpenedView) => Promise<void>;
  /** State the webview starts with, as after a window reload. */
  saved?: (runs: EngineRunService, uri: string) => Partial<SavedState>;
  /** The panel's size, if not 1400 × 900. */
  viewport?: { width: number; height: number };
}

const threeTib = example('three-tib-per-node');
const threeTibOld = {
  uri: threeTib.uri.replace('.memmap.yaml', '-v4.18.memmap.yaml'),
  text: threeTib.text.replace('kernel: v4.20', 'kernel: v4.18'),
};
const manyOps = manyPageOps();

/** Moves the inspector's step scrubber to a step and waits for the page to follow. */
async function scrubTo(v: OpenedView, step: number): Promise<void> {
  await v.page.waitForSelector('.page-pane dl');
  const slider = v.page.locator('input[type=range]');
  await slider.focus();
  await slider.press('Home');
  for (let i = 0; i < step; i++) await slider.press('ArrowRight');
  await v.page.waitForFunction(
    (s) => document.querySelector('.step-label')?.textContent?.startsWith(`after step ${s}:`),
    step,
  );
  await v.page.waitForTimeout(300);
}
const SHOTS: Shot[] = [
  {
    name: 'timeline-three-tib',
    view: 'timeline',
    doc: threeTib,
    themes: ['light', 'dark'],
    controller: (r, u) => new TimelineController(r, u, { device: 'pmem1' }),
    act: async (v) => {
      await v.page.waitForSelector('.details dl');
    },
  },
  {
    name: 'timeline-search',
    view: 'timeline',
    doc: threeTib,
    themes: ['light', 'hc'],
    controller: (r, u) => new TimelineController(r, u),
    act: async (v) => {
      await v.page.locator('input.text-field').fill('memmap_init_zone_device');
      await v.page.locator('input.text-field').press('Enter');
      await v.page.waitForSelector('.details table.cost');
      await v.page.locator('canvas.lanes').focus();
      await v.page.keyboard.press('Shift+A');
      await v.page.keyboard.press('b');
    },
  },
  {
    name: 'timeline-eight-nodes',
    view: 'timeline',
    doc: example('eight-nodes-3tib'),
    themes: ['dark'],
    controller: (r, u) => new TimelineController(r, u),
  },
  {
    name: 'timeline-eight-nodes-770',
    view: 'timeline',
    doc: example('eight-nodes-3tib'),
    themes: ['light', 'dark'],
    viewport: { width: 770, height: 800 },
    controller: (r, u) => new TimelineController(r, u, { device: 'pmem3' }),
    act: async (v) => {
      await v.page.locator('input.text-field').fill('padata3');
      await v.page.locator('input.text-field').press('Enter');
      await v.page.waitForSelector('.details dl');
    },
  },
  {
    name: 'timeline-10k-spans',
    view: 'timeline',
    doc: manyOps,
    themes: ['light'],
    controller: (r, u) => new TimelineController(r, u),
  },
  {
    name: 'timeline-10k-zoomed',
    view: 'timeline',
    doc: manyOps,
    themes: ['dark'],
    controller: (r, u) => new TimelineController(r, u),
    saved: (r, u) => {
      const steps = r.latest(u)!.summary!.steps;
      return { view: 'timeline', uri: u, window: [steps[1].endNs! - 2e5, steps[1].endNs! + 3e6] };
    },
  },
  {
    name: 'locks-three-tib-v4.18',
    view: 'locks',
    doc: threeTibOld,
    themes: ['light', 'dark', 'hc'],
    controller: (r, u) => new LocksController(r, u),
  },
  {
    name: 'inspector-three-tib',
    view: 'inspector',
    doc: threeTib,
    themes: ['light', 'dark'],
    controller: (r, u) => new InspectorController(r, u, 'pmem0+0x1000'),
    act: (v) => scrubTo(v, 1),
  },
  {
    name: 'inspector-kmem',
    view: 'inspector',
    doc: threeTib,
    themes: ['light', 'dark'],
    controller: (r, u) => new InspectorController(r, u, 'pmem0+0'),
    act: async (v) => {
      await scrubTo(v, 1);
      await v.page.getByRole('textbox', { name: /^kmem -p start/ }).fill('6c001fc');
      await v.page.getByRole('textbox', { name: /^struct pages/ }).fill('8');
      await v.page.keyboard.press('Enter');
      await v.page.waitForFunction(() =>
        document.querySelector('.kmem-text')?.textContent?.includes('ffffea01b0007f00'),
      );
    },
  },
  {
    name: 'inspector-eight-nodes',
    view: 'inspector',
    doc: example('eight-nodes-3tib'),
    themes: ['dark'],
    controller: (r, u) => new InspectorController(r, u, 'pmem3+0x200'),
    act: (v) => scrubTo(v, 1),
  },
  {
    name: 'inspector-cxl',
    view: 'inspector',
    doc: example('cxl-ram-hotplug'),
    themes: ['light'],
    controller: (r, u) => new InspectorController(r, u, '0x10000000'),
    act: (v) => scrubTo(v, 4),
  },
  {
    name: 'compare-three-tib',
    view: 'compare',
    doc: threeTib,
    themes: ['light', 'dark'],
    controller: (r, u) => new CompareController(r, u, ['v4.18', 'v4.20']),
  },
];

async function shoot(browser: Browser, shot: Shot, theme: ThemeName): Promise<void> {
  const runs = new EngineRunService(new Map([[shot.doc.uri, shot.doc.text]]));
  const t0 = performance.now();
  await runs.run(shot.doc.uri);
  const runMs = performance.now() - t0;
  const v = await openView(
    browser,
    shot.view,
    shot.controller(runs, shot.doc.uri),
    theme,
    shot.viewport,
    shot.saved?.(runs, shot.doc.uri),
  );
  const paint = await v.firstPaint();
  await shot.act?.(v);
  const file = join(OUT, `${shot.name}-${theme}.png`);
  await v.page.screenshot({ path: file, fullPage: true });
  console.log(
    `${shot.name} (${theme}): engine run ${runMs.toFixed(0)} ms, model ${v.modelMs.toFixed(0)} ms / ${(v.modelBytes / 1024).toFixed(0)} KiB, first paint ${paint.toFixed(0)} ms after navigation → ${file}`,
  );
  for (const p of v.problems) console.log(`  ! ${p}`);
  await v.page.close();
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const only = process.argv.slice(2);
  const browser = await launch();
  try {
    for (const shot of SHOTS.filter((s) => !only.length || only.some((o) => s.name.includes(o)))) {
      for (const theme of shot.themes) await shoot(browser, shot, theme);
    }
  } finally {
    await browser.close();
  }
}

void main();
