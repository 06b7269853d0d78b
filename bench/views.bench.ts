/**
 * Views in the real browser (Debian's Chromium, the UI tests' browser): time to first paint and
 * frame times while using each view (zoom and pan the timeline, re-sort the lock table, scrub the
 * inspector through the steps), for the 10k-span run (the step limit's worth of page operations) and the 8 × 3 TiB machine. `npm run build && node --import tsx bench/views.bench.ts` (a benchmark, not a test).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TimelineController } from '../src/extension/panels/timelineController';
import { InspectorController } from '../src/extension/panels/inspectorController';
import { LocksController } from '../src/extension/panels/locksController';
import { EngineRunService } from '../test/e2e/viewHarness/engineRunService';
import { launch, openView, ROOT } from '../test/e2e/viewHarness/harness';
import { example, manyPageOps } from '../test/e2e/viewHarness/scenarios';
import type { ViewController } from '../src/extension/panels/controller';
import type { ViewKind } from '../src/protocol/webview';
import type { Page } from 'playwright-core';

/** Records the interval between animation frames while `act` runs: a long frame is a stall. */
async function frameTimes(page: Page, act: () => Promise<void>): Promise<number[]> {
  await page.evaluate(`(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (t) => { window.__frames.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(tick); };
    window.__stop = false;
    requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
  })()`);
  await act();
  return page.evaluate(`(() => { window.__stop = true; return window.__frames; })()`) as Promise<
    number[]
  >;
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

const frameRow = (frames: number[], interaction: string) => ({
  interaction,
  frames: frames.length,
  frameP50Ms: +pct(frames, 50).toFixed(1),
  frameP95Ms: +pct(frames, 95).toFixed(1),
  frameMaxMs: +Math.max(...frames).toFixed(1),
});

async function main(): Promise<void> {
  const browser = await launch();
  const rows: Record<string, unknown>[] = [];
  const docs = { '10k spans': manyPageOps(), '8 nodes × 3 TiB': example('eight-nodes-3tib') };
  try {
    for (const [name, doc] of Object.entries(docs)) {
      const views: [ViewKind, (r: EngineRunService) => ViewController][] = [
        ['timeline', (r) => new TimelineController(r, doc.uri)],
        ['locks', (r) => new LocksController(r, doc.uri)],
        ['inspector', (r) => new InspectorController(r, doc.uri)],
      ];
      for (const [view, make] of views) {
        const runs = new EngineRunService(new Map([[doc.uri, doc.text]]));
        // The extension has the run already (it ran when the file was opened); paint is what is timed.
        await runs.run(doc.uri);
        const v = await openView(browser, view, make(runs), 'dark');
        const paint = await v.firstPaint();
        const row: Record<string, unknown> = {
          run: name,
          view,
          firstPaintMs: Math.round(paint),
          modelMs: Math.round(v.modelMs),
          modelKiB: Math.round(v.modelBytes / 1024),
        };
        if (view === 'timeline') {
          const canvas = v.page.locator('canvas.lanes');
          const box = (await canvas.boundingBox())!;
          await v.page.mouse.move(box.x + box.width / 2, box.y + 120);
          const frames = await frameTimes(v.page, async () => {
            for (let i = 0; i < 30; i++) await v.page.mouse.wheel(0, -120); // zoom in
            await v.page.mouse.down();
            for (let i = 0; i < 30; i++)
              await v.page.mouse.move(box.x + box.width / 2 - i * 10, box.y + 120); // pan
            await v.page.mouse.up();
            for (let i = 0; i < 30; i++) await v.page.mouse.wheel(0, 120); // zoom out
          });
          Object.assign(row, frameRow(frames, 'zoom + pan'));
        }
        if (view === 'locks') {
          // Re-sort the lock_stat table by every column, both ways: each click re-renders the table.
          const headers = v.page.locator('table').first().locator('th button.sort');
          const n = await headers.count();
          const frames = await frameTimes(v.page, async () => {
            for (let i = 0; i < n; i++) for (let k = 0; k < 2; k++) await headers.nth(i).click();
          });
          Object.assign(row, frameRow(frames, `sort × ${2 * n}`));
        }
        if (view === 'inspector') {
          // Scrub the steps with the keyboard: each step re-fetches the memory map and redraws it.
          const slider = v.page.locator('input[type=range]');
          const max = Number(await slider.getAttribute('max'));
          await slider.focus();
          await v.page.keyboard.press('Home');
          // 60 moves, bouncing between the ends when the run has fewer steps than that.
          const moves = 60;
          let at = 0;
          const frames = await frameTimes(v.page, async () => {
            for (let i = 0; i < moves && max > 0; i++) {
              const forward = Math.floor(i / max) % 2 === 0;
              at += forward ? 1 : -1;
              await v.page.keyboard.press(forward ? 'ArrowRight' : 'ArrowLeft');
            }
            await v.page.waitForFunction(
              `document.querySelector('input[type=range]').value === '${at}'`,
            );
          });
          Object.assign(row, frameRow(frames, `scrub × ${moves} over ${max + 1} steps`));
        }
        if (v.problems.length) row.problems = v.problems.join('; ');
        rows.push(row);
        await v.page.close();
      }
    }
  } finally {
    await browser.close();
  }
  console.table(rows);
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(ROOT, 'bench', 'results', 'views.json'),
    JSON.stringify({ date: new Date().toISOString(), rows }, null, 2),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
