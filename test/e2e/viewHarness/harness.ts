import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FromWebview, SavedState, ToWebview, ViewKind } from '../../../src/protocol/webview';
import type { ViewController } from '../../../src/extension/panels/controller';
import { webviewHtml } from '../../../src/extension/panels/html';
import { parseFromWebview } from '../../../src/extension/panels/validate';
import { THEME_CLASS, themeCss, type ThemeName } from './themes';

export const ROOT = join(__dirname, '..', '..', '..');
/** A fake webview origin: the page loads everything from here, through `page.route`, never the network. */
const ORIGIN = 'https://webview.test';

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface OpenedView {
  page: Page;
  /** What the webview asked the host to do besides requests (reveal, open inspector, compare). */
  actions: FromWebview[];
  /** Problems the page reported: console errors, uncaught exceptions, CSP violations. */
  problems: string[];
  /** Milliseconds the controller took to build the first model, and the model message's JSON size. */
  modelMs: number;
  modelBytes: number;
  /** Waits for the first frame drawn with a model; ms since navigation started. */
  firstPaint(): Promise<number>;
  /** The state the webview saved with setState. */
  state(): Partial<SavedState> | undefined;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.html': 'text/html',
};

/**
 * Opens a view as VS Code would host it: the extension's own HTML (same CSP), the built bundle,
 * a stub `acquireVsCodeApi`, and the real controller answering the webview's messages.
 */
export async function openView(
  browser: Browser,
  view: ViewKind,
  controller: ViewController,
  theme: ThemeName,
  viewport = { width: 1400, height: 900 },
  savedState?: Partial<SavedState>,
): Promise<OpenedView> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const problems: string[] = [];
  const actions: FromWebview[] = [];
  let state: Partial<SavedState> | undefined = savedState;
  let modelMs = 0;
  let modelBytes = 0;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning')
      problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const post = async (message: ToWebview) => {
    // Messages cross as JSON in VS Code's webview transport; make sure ours survive it.
    const json = JSON.stringify(message);
    await page.evaluate((m) => window.postMessage(JSON.parse(m), '*'), json);
    return json.length;
  };
  await page.exposeFunction('__mmToHost', async (json: string) => {
    const message = parseFromWebview(JSON.parse(json));
    if (!message) return problems.push(`host rejected a message: ${json.slice(0, 200)}`);
    switch (message.type) {
      case 'ready': {
        const t0 = performance.now();
        const model = await controller.model();
        modelMs = performance.now() - t0;
        modelBytes = await post(model);
        return;
      }
      case 'request':
        try {
          await post({
            type: 'reply',
            id: message.id,
            reply: await controller.answer(message.request),
          });
        } catch (e) {
          await post({
            type: 'reply',
            id: message.id,
            error: e instanceof Error ? e.message : String(e),
          });
        }
        return;
      case 'compareVariants':
        actions.push(message);
        if (controller.handle?.(message)) await post(await controller.model());
        return;
      case 'revealStep':
      case 'openInspector':
        actions.push(message);
        return;
      default: {
        const never: never = message;
        return problems.push(`unhandled ${JSON.stringify(never)}`);
      }
    }
  });
  await page.exposeFunction('__mmSaveState', (json: string) => {
    state = JSON.parse(json);
  });
  // A string, not a function: the harness runs under tsx, whose transform would leak helpers into the page.
  await page.addInitScript(`(() => {
    let s = ${savedState ? JSON.stringify(JSON.stringify(savedState)) : 'undefined'};
    s = s === undefined ? undefined : JSON.parse(s);
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__mmToHost(JSON.stringify(m)),
      getState: () => s,
      setState: (v) => { s = v; window.__mmSaveState(JSON.stringify(v)); },
    });
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber + ' ' + e.sample));
  })();`);
  const html = webviewHtml({
    view,
    title: `${view} (harness)`,
    cspSource: ORIGIN,
    nonce: 'harnessnonce0123456789',
    scriptUri: `${ORIGIN}/dist/webview/${view}.js`,
    styleUris: [
      `${ORIGIN}/harness/theme-${theme}.css`,
      `${ORIGIN}/media/webview.css`,
      `${ORIGIN}/media/${view}.css`,
    ],
  }).replace(
    '<body ',
    `<body class="${THEME_CLASS[theme]}" data-vscode-theme-kind="${THEME_CLASS[theme]}" `,
  );
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/index.html') return route.fulfill({ body: html, contentType: 'text/html' });
    const theme = /^\/harness\/theme-(\w+)\.css$/.exec(path)?.[1] as ThemeName | undefined;
    if (theme) return route.fulfill({ body: themeCss(theme), contentType: 'text/css' });
    if (!/^\/(dist\/webview|media)\/[\w.-]+$/.test(path)) return route.fulfill({ status: 404 });
    return route.fulfill({
      body: readFileSync(join(ROOT, path)),
      contentType: TYPES[extname(path)] ?? 'application/octet-stream',
    });
  });
  // Anything else would be the network: the views must not use it.
  await page.route(
    (url) => !url.href.startsWith(ORIGIN),
    (route) => {
      problems.push(`network request blocked: ${route.request().url()}`);
      return route.abort();
    },
  );
  await page.goto(`${ORIGIN}/index.html`);
  return {
    page,
    actions,
    problems,
    get modelMs() {
      return modelMs;
    },
    get modelBytes() {
      return modelBytes;
    },
    async firstPaint() {
      await page.waitForFunction(
        () => performance.getEntriesByName('memmap-lab:first-paint').length > 0,
        undefined,
        { timeout: 60_000 },
      );
      return page.evaluate(
        () => performance.getEntriesByName('memmap-lab:first-paint')[0].startTime,
      );
    },
    state: () => state,
  };
}

/** Switches the page to another theme the way VS Code does: new variables, new body class. */
export async function switchTheme(page: Page, theme: ThemeName): Promise<void> {
  await page.evaluate(
    ([t, cls]) => {
      const link = document.querySelector<HTMLLinkElement>('link[href*="/harness/theme-"]')!;
      return new Promise<void>((resolve) => {
        link.addEventListener(
          'load',
          () => {
            document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
            document.body.classList.add(cls);
            document.body.dataset.vscodeThemeKind = cls;
            resolve();
          },
          { once: true },
        );
        link.href = link.href.replace(/theme-\w+\.css/, `theme-${t}.css`);
      });
    },
    [theme, THEME_CLASS[theme]] as const,
  );
  await page.waitForTimeout(100);
}
