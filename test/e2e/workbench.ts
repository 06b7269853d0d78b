/**
 * The real VS Code workbench (code-server's, test/harness) in Debian's Chromium, with Memmap Lab
 * installed from the packaged .vsix the way a user installs it, driven through what a user sees:
 * the palette, Quick Open, CodeLens, the Problems panel, notifications and the panels' webviews.
 * Every wait is bounded and says what it waited for; nothing sleeps.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import * as H from '../harness/harness.js';

export const ROOT = H.ROOT;
export const ARTIFACTS = join(ROOT, 'test', 'e2e', 'artifacts');
export const VSIX = join(ROOT, 'memmap-lab.vsix');
/** The bound of one UI step (a selector appearing, a panel loading). */
export const STEP_MS = 30_000;

/** A theme as the Color Theme picker lists it. */
export type ThemeLabel = 'Light Modern' | 'Dark Modern';

/**
 * A throw-away workspace: the fixture scenarios (test/fixtures/workspace) and the examples the
 * journeys open, copied fresh so the tests can edit and save them.
 */
export function makeWorkspace(examples: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmws-'));
  const fixtures = join(ROOT, 'test', 'fixtures', 'workspace');
  // scratch-* are the integration suite's throw-away copies, never fixtures.
  for (const f of readdirSync(fixtures).filter(
    (f) => /\.memmap\.(ya?ml|json)$/.test(f) && !f.startsWith('scratch-'),
  ))
    copyFileSync(join(fixtures, f), join(dir, f));
  for (const e of examples) copyFileSync(join(ROOT, 'examples', e), join(dir, e));
  return dir;
}

/** `fn`, or fail with `what` and the first line of the underlying error. */
async function bounded<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const detail = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new Error(`${what}: ${detail}`);
  }
}

export class Workbench {
  /** Browser console errors and page errors, for a failure's report. */
  readonly console: string[] = [];

  private constructor(
    readonly page: Page,
    readonly workspace: string,
    private readonly browser: Browser,
    private readonly server: H.CodeServer,
    private readonly profile: H.Profile,
  ) {}

  /**
   * code-server on a fresh profile with the .vsix installed (and `alongside`, other packaged
   * extensions), Chromium on the workspace; waits for the explorer.
   */
  static async start(options: {
    workspace: string;
    theme?: ThemeLabel;
    viewport?: { width: number; height: number };
    alongside?: string[];
  }): Promise<Workbench> {
    const pw = H.checkInstalled();
    if (!existsSync(VSIX))
      throw new Error(`${VSIX} is missing: run \`npm run package\` (npm run test:e2e does)`);
    const profile = H.makeTempProfile({
      'workbench.colorTheme': options.theme ?? 'Light Modern',
      'editor.minimap.enabled': false,
      'workbench.editor.enablePreview': false,
      'window.commandCenter': false,
      'workbench.layoutControl.enabled': false,
      'editor.lightbulb.enabled': 'on',
    });
    let server: H.CodeServer | undefined;
    let browser: Browser | undefined;
    try {
      for (const vsix of [VSIX, ...(options.alongside ?? [])]) H.installVsix(profile, vsix);
      // No enable-smoke-test-driver here: that is the integration tier's switch, and it hides toasts.
      server = await H.startCodeServer({ profile });
      browser = await H.launchChromium(pw, { profile });
      const context = await browser.newContext({
        viewport: options.viewport ?? { width: 1280, height: 800 },
        deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_MS);
      const wb = new Workbench(page, options.workspace, browser, server, profile);
      page.on('console', (m) => m.type() === 'error' && wb.console.push(m.text()));
      page.on('pageerror', (e) => wb.console.push(`page error: ${e.message}`));
      await bounded('the workbench did not load', async () => {
        await page.goto(H.workbenchUrl(server!, { folder: options.workspace }), {
          waitUntil: 'domcontentloaded',
        });
        await page.locator('.monaco-workbench').waitFor();
        await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
      });
      return wb;
    } catch (e) {
      await H.closeBrowser(browser);
      await server?.kill();
      H.rmrf(profile.root);
      throw e;
    }
  }

  /** Closes Chromium, ends code-server's process group, deletes the profile and the workspace. */
  async close(): Promise<void> {
    await H.closeBrowser(this.browser);
    await this.server.kill();
    H.rmrf(this.profile.root);
    H.rmrf(this.workspace);
  }

  /** The log of code-server, for a failure's report. */
  serverOutput(): string {
    return this.server.output();
  }

  /** Saves test/e2e/artifacts/<name>.png. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** The palette (from the editor area, Ctrl+Shift+P), a command by its title. */
  async runCommand(title: string): Promise<void> {
    await bounded(`running "${title}" from the command palette`, () =>
      this.quickInput('Control+Shift+P', title, '>'),
    );
  }

  /**
   * Opens the quick input with `keys` and accepts `label`. A webview that takes the focus back
   * (panels focus their frame a moment after they are revealed) closes the widget under us:
   * then we start over, at most three times. Nothing runs before the final Enter or click.
   */
  private async quickInput(keys: string, label: string, prefix: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.openQuickInput(keys);
      try {
        return await this.choose(label, prefix);
      } catch (e) {
        if (attempt === 3 || !(e instanceof QuickInputClosed)) throw e;
      }
    }
  }

  /**
   * Puts `prefix + label` into the open quick input and accepts the row labelled exactly `label`.
   * The text is set, not typed: the palette may still be setting itself up and drop keystrokes
   * (then its filter is set again).
   */
  private async choose(label: string, prefix = ''): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('input').first();
    const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const row = widget
      .locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: exact }) })
      .first();
    const deadline = Date.now() + STEP_MS;
    for (;;) {
      if (!(await widget.isVisible())) throw new QuickInputClosed(label);
      await input.fill(prefix + label, { timeout: 5000 }).catch(async (e) => {
        throw (await widget.isVisible()) ? e : new QuickInputClosed(label);
      });
      try {
        await row.waitFor({ timeout: 3000 });
        if ((await input.inputValue()) === prefix + label) break;
      } catch (e) {
        if (!(await widget.isVisible())) throw new QuickInputClosed(label);
        if (Date.now() > deadline) {
          const rows = await widget
            .locator('.monaco-list-row .label-name')
            .allTextContents()
            .catch(() => []);
          throw new Error(
            `no row "${label}" (filter "${await input.inputValue()}", rows: ${rows.slice(0, 5).join(' | ') || 'none'}): ${e instanceof Error ? e.message.split('\n')[0] : e}`,
          );
        }
      }
    }
    // Accept with the keyboard once the row is the focused one: a click can land on another row
    // while the filtered list is still re-rendering.
    const focused = widget
      .locator('.monaco-list-row.focused', {
        has: this.page.locator('.label-name', { hasText: exact }),
      })
      .first();
    try {
      await focused.waitFor({ timeout: 5000 });
    } catch {
      // Not focused: something took the focus (the widget closed), or another row is first.
      if (!(await widget.isVisible())) throw new QuickInputClosed(label);
      await row.click({ timeout: 5000 }).catch(async (e) => {
        throw (await widget.isVisible()) ? e : new QuickInputClosed(label);
      });
      return;
    }
    // Into the quick input itself: an Enter on the page could reach the editor if the widget went.
    await input.press('Enter', { timeout: 5000 }).catch(async (e) => {
      throw (await widget.isVisible()) ? e : new QuickInputClosed(label);
    });
  }

  /**
   * Opens the quick input with `keys` and waits until its input has the focus (so nothing typed
   * next lands in the editor). The keyboard comes from a text editor's tab when one shows (a
   * focused webview would take the focus back and close the widget), else from the active tab.
   * A key press the workbench dropped is pressed again, at most three times.
   */
  async openQuickInput(keys: string): Promise<Locator> {
    const textTab = this.page
      .locator('.editor-group-container', {
        has: this.page.locator('.editor-container .monaco-editor:visible'),
      })
      .locator('.tab.active')
      .first();
    const activeTab = this.page.locator('.editor-group-container.active .tab.active').first();
    // force: the tab's own hover (its path) can keep Playwright waiting for the tab to be "stable".
    if (await textTab.isVisible()) await textTab.click({ force: true });
    else if (await activeTab.isVisible()) await activeTab.click({ force: true });
    else await this.page.locator('.monaco-workbench .part.editor').first().click({ force: true });
    const widget = this.page.locator('.quick-input-widget');
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press(keys);
      try {
        await widget.locator('input:focus').first().waitFor({ state: 'visible', timeout: 5000 });
        return widget;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
  }

  /** Picks `label` in a quick pick the extension shows (waits for its title). */
  async pick(title: string, label: string): Promise<void> {
    await bounded(`picking "${label}" in "${title}"`, async () => {
      await this.page
        .locator('.quick-input-widget .quick-input-title', { hasText: title })
        .waitFor();
      await this.choose(label);
    });
  }

  /** Answers an input box the extension shows (waits for its title). */
  async answer(title: string, text: string): Promise<void> {
    await bounded(`answering "${title}" with "${text}"`, async () => {
      const widget = this.page.locator('.quick-input-widget');
      await widget.locator('.quick-input-title', { hasText: title }).waitFor();
      const input = widget.locator('input:focus');
      await input.fill(text);
      await input.press('Enter');
      await widget.waitFor({ state: 'hidden' });
    });
  }

  /** Opens a workspace file with Quick Open and waits for its editor. */
  async openFile(name: string): Promise<void> {
    await bounded(`opening ${name}`, async () => {
      await this.quickInput('Control+P', name, '');
      await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
      await this.editor().locator('.view-lines').waitFor();
    });
  }

  /** Brings an open file's editor to the front by its tab. */
  async showEditor(name: string): Promise<void> {
    await bounded(`showing ${name}`, async () => {
      await this.page
        .locator('.tabs-container .tab', { hasText: name })
        .first()
        .click({ force: true });
      await this.page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor();
      await this.editor().locator('.view-lines').waitFor();
    });
  }

  /** The active text editor. */
  editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** The `nth` CodeLens of the active editor titled `title`. */
  codeLens(title: string, nth = 0): Locator {
    return this.editor().locator('.codelens-decoration a', { hasText: title }).nth(nth);
  }

  /**
   * Waits for a CodeLens titled `title` (a prefix of it) in the active editor, also on a line
   * scrolled out of view (the editor keeps the lenses of lines near the viewport in the DOM).
   */
  async lensShows(title: string): Promise<void> {
    await bounded(`CodeLens "${title}"`, () => this.codeLens(title).waitFor({ state: 'attached' }));
  }

  /**
   * Every CodeLens title of the active editor, once the one titled `first` shows and, within 30 s,
   * every title of `all`: the editor redraws its lenses when a run replaces them, and a read in the
   * middle of a redraw sees some or none.
   */
  async codeLensTitles(first: string, all: string[] = [first]): Promise<string[]> {
    await bounded(`CodeLens "${first}"`, () => this.codeLens(first).waitFor());
    const lenses = this.editor().locator('.codelens-decoration a');
    const deadline = Date.now() + 30_000;
    let titles = await lenses.allTextContents();
    while (!all.every((t) => titles.includes(t)) && Date.now() < deadline) {
      await this.page.waitForTimeout(200);
      titles = await lenses.allTextContents();
    }
    return titles;
  }

  /** Puts the cursor on a 1-based line with Go to Line. */
  async goToLine(line: number, column = 1): Promise<void> {
    await bounded(`going to line ${line}`, async () => {
      const widget = await this.openQuickInput('Control+G');
      const input = widget.locator('input').first();
      await input.fill(`:${line}:${column}`);
      await input.press('Enter');
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    });
  }

  /** Ctrl+. at the cursor and applies the quick fix titled `title`. */
  async quickFix(title: string): Promise<void> {
    await bounded(`the quick fix "${title}"`, async () => {
      await this.editor()
        .locator('.view-lines')
        .click({ position: { x: 1, y: 1 }, trial: true });
      await this.page.keyboard.press('Control+.');
      const menu = this.page.locator('.action-widget:not(.action-list-submenu-panel)');
      await menu.waitFor();
      await menu.locator('.monaco-list-row.action', { hasText: title }).first().click();
      await menu.waitFor({ state: 'hidden' });
    });
  }

  /** File: Save on the active editor; waits for its tab to lose the dirty mark. */
  async save(): Promise<void> {
    await bounded('saving', async () => {
      await this.page.keyboard.press('Control+S');
      await this.page
        .locator('.editor-group-container.active .tab.active.dirty')
        .waitFor({ state: 'detached' });
    });
  }

  /** The Explorer view (its activity bar entry). */
  async showExplorer(): Promise<void> {
    await this.activity('Explorer', '.explorer-folders-view');
  }

  /** The Testing view (its activity bar entry), once it lists the discovered tests. */
  async openTesting(): Promise<void> {
    await this.activity('Testing', '.test-explorer');
    await bounded('the Test Explorer', () =>
      this.page.locator('.test-explorer .monaco-list-row').first().waitFor(),
    );
  }

  private async activity(name: string, view: string): Promise<void> {
    await bounded(`the ${name} view`, async () => {
      const item = this.page.locator(`.activitybar .action-item a[aria-label^="${name}"]`).first();
      if (!(await this.page.locator(view).first().isVisible())) await item.click({ force: true });
      await this.page.locator(view).first().waitFor();
    });
  }

  /** The Test Explorer's Run Tests button. */
  async runAllTests(): Promise<void> {
    await bounded('Run Tests', () =>
      this.page.locator('.part.sidebar a.action-label[aria-label^="Run Tests"]').first().click(),
    );
  }

  /** The Test Explorer's rows (their accessible names: "name (Passed), in 5ms"), once `until` holds. */
  async testRows(until: (rows: string[]) => boolean, what: string): Promise<string[]> {
    const rows = () =>
      this.page
        .locator('.test-explorer .monaco-list-row')
        .evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label') ?? ''));
    let last: string[] = [];
    await this.page.waitForFunction(() => true);
    const deadline = Date.now() + STEP_MS;
    while (!until((last = await rows()))) {
      if (Date.now() > deadline)
        throw new Error(`Test Explorer: ${what}; it shows:\n  ${last.join('\n  ')}`);
      await this.page.locator('.test-explorer').evaluate(
        (el) =>
          new Promise<void>((resolve) => {
            const o = new MutationObserver(() => (o.disconnect(), resolve()));
            o.observe(el, { subtree: true, childList: true, attributes: true });
            setTimeout(() => (o.disconnect(), resolve()), 1000);
          }),
      );
    }
    return last;
  }

  /** Expands a test in the Test Explorer; its children's accessible names. */
  async expandTest(name: string): Promise<string[]> {
    return bounded(`expanding test "${name}"`, async () => {
      const row = this.page
        .locator(`.test-explorer .monaco-list-row[aria-label^="${name} ("]`)
        .first();
      if ((await row.getAttribute('aria-expanded')) !== 'true')
        await row.locator('.monaco-tl-twistie').click();
      await this.page
        .locator(`.test-explorer .monaco-list-row[aria-label^="${name} ("][aria-expanded="true"]`)
        .first()
        .waitFor();
      const level = Number(await row.getAttribute('aria-level'));
      return this.page
        .locator(`.test-explorer .monaco-list-row[aria-level="${level + 1}"]`)
        .evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label') ?? ''));
    });
  }

  /** Preferences: Color Theme, then the theme by its label. */
  async setTheme(label: ThemeLabel): Promise<void> {
    await bounded(`switching to ${label}`, async () => {
      await this.runCommand('Preferences: Color Theme');
      await this.page.locator('.quick-input-widget .monaco-list-row').first().waitFor();
      await this.choose(label);
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      const dark = label.startsWith('Dark');
      await this.page.locator(`.monaco-workbench.${dark ? 'vs-dark' : 'vs'}`).waitFor();
    });
  }

  /** A notification toast with `text`. */
  toast(text: string | RegExp): Locator {
    return this.page
      .locator('.notifications-toasts .notification-toast', { hasText: text })
      .first();
  }

  /** Clears every notification, so toasts cover nothing in the next screenshot. */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page
      .locator('.notifications-toasts .notification-toast')
      .first()
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
  }

  /**
   * The Problems panel's rows for `file`, as a user reads them, once `until` holds for them
   * (the panel follows each run: the wait is bounded by STEP_MS).
   */
  async problems(
    file: string,
    until: (rows: Problem[]) => boolean,
    what: string,
  ): Promise<Problem[]> {
    await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    const view = this.page.locator('.markers-panel');
    await bounded('the Problems panel', () => view.waitFor());
    const deadline = Date.now() + STEP_MS;
    let rows: Problem[] = [];
    for (;;) {
      rows = await this.problemRows(file);
      if (until(rows)) return rows;
      if (Date.now() > deadline) break;
      // the tree re-renders on each marker change: wait for the next change, at most 1 s
      await view.evaluate(
        (el) =>
          new Promise<void>((resolve) => {
            const o = new MutationObserver(() => (o.disconnect(), resolve()));
            o.observe(el, {
              subtree: true,
              childList: true,
              characterData: true,
              attributes: true,
            });
            setTimeout(() => (o.disconnect(), resolve()), 1000);
          }),
      );
    }
    throw new Error(
      `Problems panel, ${file}: ${what}; it shows:\n  ${rows.map(problemText).join('\n  ') || '(no problems)'}`,
    );
  }

  /**
   * Opens a problem from the Problems panel the way a user does (double-click its row): the
   * editor comes to the front with the cursor on the diagnostic's range.
   */
  async openProblem(message: RegExp): Promise<void> {
    await bounded(`opening the problem ${message}`, async () => {
      await this.page
        .locator('.markers-panel .monaco-list-row', { hasText: message })
        .first()
        .dblclick();
      await this.editor().locator('.cursors-layer .cursor').first().waitFor();
    });
  }

  /** Applies a quick fix from a problem's lightbulb in the Problems panel. */
  async quickFixFromProblem(message: RegExp, title: string): Promise<void> {
    await bounded(`the quick fix "${title}" from the Problems panel`, async () => {
      const row = this.page
        .locator('.markers-panel .monaco-list-row', { hasText: message })
        .first();
      await row.click();
      await row
        .locator('.codicon-lightbulb, .codicon-light-bulb, .codicon-lightbulb-autofix')
        .first()
        .click();
      // The Problems panel lists a marker's fixes in a context menu.
      const item = this.page.locator('.context-view').getByText(title, { exact: true }).first();
      await item.waitFor();
      // The menu has the keyboard: with one fix, the first item is it.
      await this.page.keyboard.press('ArrowDown');
      await this.page.keyboard.press('Enter');
      await item.waitFor({ state: 'detached' });
    });
  }

  private problemRows(file: string): Promise<Problem[]> {
    // No named functions in here: under tsx they would call a helper the page does not have.
    return this.page.locator('.markers-panel .monaco-list-row').evaluateAll((rows, file) => {
      let current = '';
      const out: Problem[] = [];
      for (const r of rows) {
        const [label, message, code, line] = [
          '.monaco-icon-label .label-name',
          '.marker-message',
          '.marker-code',
          '.marker-line',
        ].map((sel) => r.querySelector(sel)?.textContent?.trim() ?? '');
        if (r.getAttribute('aria-level') === '1')
          current = label || (r.getAttribute('aria-label') ?? '');
        const icon = r.querySelector('.marker-icon');
        if (!icon || !current.includes(file)) continue;
        out.push({
          severity: ['error', 'warning', 'info'].find((s) => icon.classList.contains(s)) ?? 'hint',
          message,
          code,
          line,
        });
      }
      return out;
    }, file);
  }

  /**
   * The page of the panel whose tab is titled `title` (brought to the front): the workbench's
   * <iframe class="webview"> hosts VS Code's webview shell, whose #active-frame holds our page.
   * Waits until the page shows a model (its <body data-view> and a heading).
   */
  async webview(title: string, view: string): Promise<FrameLocator> {
    return bounded(`the "${title}" panel`, async () => {
      const tab = this.page.locator('.tabs-container .tab', { hasText: title }).first();
      await tab.waitFor();
      await tab.click();
      const frame = this.page
        .locator('iframe.webview:visible')
        .first()
        .contentFrame()
        .locator('iframe#active-frame')
        .contentFrame();
      await frame
        .locator(`body[data-view="${view}"] h1`)
        .first()
        .waitFor()
        .catch(async (e) => {
          // Say what the panel shows instead: "Loading…", a failure status, or nothing at all.
          const shows = await frame
            .locator('body')
            .innerText({ timeout: 2000 })
            .catch(() => '(no page)');
          throw new Error(
            `no ${view} model shown; the panel reads "${shows.trim().slice(0, 200)}": ${e instanceof Error ? e.message.split('\n')[0] : e}`,
          );
        });
      return frame;
    });
  }
}

/** The quick input closed before we chose (something else took the focus). */
class QuickInputClosed extends Error {
  constructor(label: string) {
    super(`the quick input closed before "${label}" could be chosen`);
  }
}

/** One row of the Problems panel. */
export interface Problem {
  severity: string;
  message: string;
  /** The diagnostic's code, as the panel shows it (`reserved-dax-pages`). */
  code: string;
  /** Where, as the panel shows it (`[Ln 13, Col 35]`). */
  line: string;
}

export const problemText = (p: Problem): string => `${p.severity} ${p.code} ${p.line} ${p.message}`;
