#!/usr/bin/env node
// Run a VS Code extension's mocha integration suite inside code-server's real (Node 24, server
// side) extension host, using VS Code's official extension-test path for the web workbench:
//
//   code-server ... --vscode-option enable-smoke-test-driver      (makes the built web client honour `payload`;
//   with VSCODE_SERVER_MAIN set, VS Code's own server ... --enable-smoke-test-driver: see minVscode.sh)
//   headless Chromium opens  /?folder=<ws>&payload=[["extensionDevelopmentPath","vscode-remote://..."],
//                                                   ["extensionTestsPath","vscode-remote://.../index.js"]]
//   the workbench loads the dev extension into the server's extension host, calls the test
//   module's run(), stops the extension host and calls window.codeAutomationExit(code, logs),
//   which this script exposes via playwright-core's page.exposeFunction.
//
// Usage: node test/harness/runIntegration.js [--extension DIR] [--tests FILE] [--workspace DIR] [--timeout SEC]
//                          [--env KEY=VALUE]... [--grep RE] [--keep] [--verbose]
//                          [--screenshot-on-failure FILE.png]
// Exit: 0 all passed, 1 tests failed, 2 harness error / timeout.
'use strict';

const fs = require('fs');
const path = require('path');
const H = require('./harness');

function parseArgs(argv) {
  const o = {
    extension: H.ROOT,
    tests: null,
    workspace: null,
    timeout: 300,
    env: {},
    grep: null,
    keep: false,
    verbose: false,
    screenshotOnFailure: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--extension') o.extension = next();
    else if (a === '--tests') o.tests = next();
    else if (a === '--workspace') o.workspace = next();
    else if (a === '--timeout') o.timeout = Number(next());
    else if (a === '--env') {
      const [k, ...v] = next().split('=');
      o.env[k] = v.join('=');
    } else if (a === '--grep') o.grep = next();
    else if (a === '--keep') o.keep = true;
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--screenshot-on-failure') o.screenshotOnFailure = next();
    else if (a === '-h' || a === '--help') {
      console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(1, 17).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  o.extension = path.resolve(o.extension);
  o.tests = path.resolve(o.tests || path.join(o.extension, 'dist/test/integration/index.js'));
  o.workspace = path.resolve(o.workspace || path.join(o.extension, 'test/fixtures/workspace'));
  return o;
}

async function main() {
  const t0 = Date.now();
  const opt = parseArgs(process.argv.slice(2));
  for (const [what, p] of [
    ['extension', path.join(opt.extension, 'package.json')],
    ['tests', opt.tests],
    ['workspace', opt.workspace],
  ]) {
    if (!fs.existsSync(p)) throw new Error(`${what} not found: ${p}`);
  }
  const pw = H.checkInstalled();
  const deadline = t0 + opt.timeout * 1000;
  const remaining = () => Math.max(1000, deadline - Date.now());

  const profile = H.makeTempProfile();
  const resultsFile = path.join(profile.root, 'results.json');
  let server = null;
  let browser = null;
  let page = null;
  let failed = true;
  const consoleLines = [];

  const cleanup = H.installCleanup(async () => {
    await H.closeBrowser(browser);
    if (server) await server.kill();
    if (!opt.keep) H.rmrf(profile.root);
    else H.log(`kept profile, logs and results in ${profile.root}`);
  });

  // Hard watchdog: whatever hangs, we fail with a message and clean up.
  const watchdog = setTimeout(() => {
    H.log(
      `TIMEOUT: no result after ${opt.timeout}s. Last console lines:\n${consoleLines.slice(-40).join('\n')}`,
    );
    if (server)
      H.log(`code-server output tail:\n${server.output().split('\n').slice(-30).join('\n')}`);
    cleanup().finally(() => process.exit(2));
  }, opt.timeout * 1000);
  watchdog.unref();

  try {
    const env = {
      VSCODE_TEST_RESULTS_FILE: resultsFile,
      ...(opt.grep ? { VSCODE_TEST_GREP: opt.grep } : {}),
      ...opt.env,
    };
    H.log(`starting code-server (profile ${profile.root})`);
    server = await H.startCodeServer({
      profile,
      env,
      verbose: opt.verbose,
      timeoutMs: Math.min(60000, remaining()),
      extraArgs: H.SMOKE_TEST_DRIVER_ARGS,
    });
    H.log(`code-server up at ${server.url} (${Date.now() - t0} ms)`);

    browser = await H.launchChromium(pw, { profile, timeoutMs: Math.min(60000, remaining()) });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();

    let resolveExit;
    const exitPromise = new Promise((r) => {
      resolveExit = r;
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      try {
        const dir = path.join(profile.root, 'client-logs');
        for (const l of logs || []) {
          const f = path.join(dir, l.relativePath);
          fs.mkdirSync(path.dirname(f), { recursive: true });
          fs.writeFileSync(f, l.contents);
        }
      } catch (e) {
        H.log('could not save client logs', e.message);
      }
      resolveExit(code);
    });
    page.on('console', async (msg) => {
      const { level, text } = await H.consoleMessageText(msg);
      const line = `[${level}] ${text}`;
      consoleLines.push(line);
      if (opt.verbose) process.stderr.write(`[browser] ${line}\n`);
    });
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));

    const payload = [
      ['extensionDevelopmentPath', H.remoteUri(server, opt.extension)],
      ['extensionTestsPath', H.remoteUri(server, opt.tests)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    // The tests edit, save and create files: they get a copy, so a run never writes into the repo.
    const workspace = path.join(profile.root, 'workspace');
    fs.cpSync(opt.workspace, workspace, { recursive: true });
    const url = H.workbenchUrl(server, { folder: workspace, payload });
    H.log(`opening workbench: ${url}`);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: Math.min(60000, remaining()) });

    const code = await Promise.race([
      exitPromise,
      server.exited.then(({ code: c, sig }) => {
        throw new Error(`code-server exited during the run (code ${c}, signal ${sig})`);
      }),
      new Promise((_, rej) => page.once('crash', () => rej(new Error('browser page crashed')))),
      new Promise((_, rej) => page.once('close', () => rej(new Error('browser page closed')))),
    ]);
    const elapsed = Date.now() - t0;

    // ---- report
    let results = null;
    try {
      results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    } catch {
      /* test module never wrote it */
    }
    if (results) {
      console.log(results.lines.join('\n'));
      if (results.error) console.log(`test module error: ${results.error}`);
      const s = results.stats || {};
      const failures = s.failures || 0;
      if (code !== 0 || failures) {
        for (const t of results.tests.filter((t) => t.state === 'failed'))
          console.log(`FAILED: ${t.title}\n${t.error}\n`);
      }
      closingLine = `${s.passes || 0} passed, ${failures} failed, ${s.pending || 0} skipped`;
    } else {
      console.log(
        `(no mocha results file: the tests module did not write ${path.basename(resultsFile)}; extension-host console follows)`,
      );
      console.log(consoleLines.slice(-60).join('\n'));
    }
    H.log(`extension host test runner exit code ${code}; total ${(elapsed / 1000).toFixed(1)} s`);
    failed = code !== 0;
    if (failed && opt.screenshotOnFailure)
      await page.screenshot({ path: opt.screenshotOnFailure }).catch(() => {});
    return failed ? 1 : 0;
  } catch (e) {
    if (cleanup.started) return 2; // aborted by watchdog/signal: already reported
    H.log(`ERROR: ${e.message}`);
    if (consoleLines.length)
      H.log(`last browser console lines:\n${consoleLines.slice(-30).join('\n')}`);
    if (server)
      H.log(`code-server output tail:\n${server.output().split('\n').slice(-30).join('\n')}`);
    if (page && opt.screenshotOnFailure)
      await page.screenshot({ path: opt.screenshotOnFailure }).catch(() => {});
    return 2;
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

// The test counts are the run's last line, after every harness log, so CI reads them as its verdict.
let closingLine = null;
main().then(
  (code) => {
    if (closingLine) console.log(closingLine);
    process.exit(code);
  },
  (e) => {
    H.log(`ERROR: ${e.stack || e}`);
    process.exit(2);
  },
);
