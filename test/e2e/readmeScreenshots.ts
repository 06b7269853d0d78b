/**
 * The README's pictures, taken from the real VS Code (code-server's workbench in Chromium) with
 * the packaged extension, by the same harness as the UI tests, so they never drift from the
 * product: `npm run screenshots` → media/screenshots/*.png.
 */
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { makeWorkspace, ROOT, Workbench, type ThemeLabel } from './workbench';

const OUT = join(ROOT, 'media', 'screenshots');
const EXAMPLE = 'three-tib-per-node.memmap.yaml';

async function shoot(theme: ThemeLabel, suffix: string): Promise<void> {
  const wb = await Workbench.start({ workspace: makeWorkspace([EXAMPLE]), theme, viewport: { width: 1600, height: 900 } });
  try {
    /** The scenario beside the panel, with no toast or palette over either. */
    const save = async (name: string) => {
      await wb.runCommand('Notifications: Clear All Notifications');
      await wb.page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached' });
      await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      renameSync(await wb.screenshot(`readme-${name}-${suffix}`), join(OUT, `${name}-${suffix}.png`));
    };
    await wb.openFile(EXAMPLE);
    await wb.codeLens('▶ Run').waitFor();
    await wb.codeLens('▶ Run').click();
    await wb.lensShows('✓ no leaked-pgmap-ref');
    await wb.runCommand('Memmap Lab: Open Timeline');
    await wb.webview('Init timeline: three-tib-per-node', 'timeline');
    await save('timeline');
    await wb.showEditor(EXAMPLE);
    await wb.runCommand('Memmap Lab: Open Lock Analysis');
    await wb.webview('Lock hold durations: three-tib-per-node', 'locks');
    await save('locks');
    await wb.showEditor(EXAMPLE);
    await wb.codeLens('Inspect pages').click();
    const inspector = await wb.webview('Page inspector: three-tib-per-node', 'inspector');
    // After the probe (step 1), when pmem0's pages have their struct pages.
    const slider = inspector.locator('input[type=range]');
    await slider.focus();
    await slider.press('Home');
    await slider.press('ArrowRight');
    await inspector.locator('.step-label', { hasText: 'after step 1' }).waitFor();
    await save('inspector');
  } finally {
    await wb.close();
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await shoot('Light Modern', 'light');
  await shoot('Dark Modern', 'dark');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
