// Shared helpers: start code-server (Node 24) on a free loopback port, launch Debian's Chromium
// through playwright-core, build workbench URLs, and tear everything down reliably.
// Everything is time-bounded; nothing uses fixed sleeps.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const util = require('util');
const { spawn } = require('child_process');

/** The repository root: .vscode-test/ (git-ignored) holds Node 24 and code-server. */
const ROOT = path.resolve(__dirname, '..', '..');
const VSCODE_TEST_DIR = process.env.VSCODE_TEST_DIR || path.join(ROOT, '.vscode-test');
const NODE24_BIN =
  process.env.NODE24_BIN || path.join(VSCODE_TEST_DIR, 'node24/node_modules/node/bin/node');
const CODE_SERVER_ENTRY =
  process.env.CODE_SERVER_ENTRY ||
  path.join(VSCODE_TEST_DIR, 'code-server/node_modules/code-server/out/node/entry.js');
/**
 * VS Code's own server (`out/server-main.js` of a VS Code server build, such as the one inside an
 * older code-server) instead of code-server: the minimum VS Code the manifest claims, whose
 * code-server has no `--vscode-option` to pass the smoke-test driver flag through.
 */
const VSCODE_SERVER_MAIN = process.env.VSCODE_SERVER_MAIN || '';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // No network here anyway: make every non-loopback host fail instantly instead of waiting on DNS.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

// Quiet, deterministic user settings for the test/screenshot profile.
const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
  'window.commandCenter': true,
};

const log = (...a) =>
  process.stderr.write(
    `[harness ${new Date().toISOString().slice(11, 23)}] ${util.format(...a)}\n`,
  );

function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([
    promise,
    new Promise((_, rej) => {
      t = setTimeout(() => rej(new Error(`Timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(t));
}

function checkInstalled() {
  const missing = [NODE24_BIN, VSCODE_SERVER_MAIN || CODE_SERVER_ENTRY, CHROMIUM].filter(
    (p) => !fs.existsSync(p),
  );
  let pw = null;
  try {
    pw = require('playwright-core');
  } catch {
    missing.push('playwright-core (npm)');
  }
  if (missing.length) {
    throw new Error(
      `Missing: ${missing.join(', ')}. Run: bash ${path.join(__dirname, 'install.sh')}`,
    );
  }
  return pw;
}

/** Make a short temp dir (code-server puts a unix socket in user-data-dir: 108-char path limit). */
function makeTempProfile(settings = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsct-'));
  const userDataDir = path.join(root, 'ud');
  const extensionsDir = path.join(root, 'ext');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  // code-server's agent host / git / tsserver put IPC sockets in $TMPDIR: keep them in the profile
  fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
  // User settings for code-server; VS Code's own server keeps a web client's user settings in the
  // browser, so the same settings also go in as the remote's (machine) settings.
  for (const scope of ['User', 'Machine']) {
    fs.mkdirSync(path.join(userDataDir, scope), { recursive: true });
    fs.writeFileSync(
      path.join(userDataDir, scope, 'settings.json'),
      JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2),
    );
  }
  const configFile = path.join(root, 'config.yaml');
  fs.writeFileSync(
    configFile,
    '# options are passed on the command line; this file only stops code-server reading ~/.config\nauth: none\n',
  );
  return { root, userDataDir, extensionsDir, configFile };
}

/**
 * Start code-server on 127.0.0.1 with an OS-assigned port (--bind-addr 127.0.0.1:0) and parse
 * the real port from its "HTTP server listening on" line: no port race.
 * Returns { url, port, proc, output(), kill() }. The process is its own process group so kill()
 * also ends the extension host, pty host and agent host children.
 */
async function startCodeServer({
  profile,
  extraArgs = [],
  env = {},
  timeoutMs = 60000,
  verbose = false,
}) {
  const args = VSCODE_SERVER_MAIN
    ? [
        VSCODE_SERVER_MAIN,
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--without-connection-token',
        '--accept-server-license-terms',
        '--disable-telemetry',
        '--disable-workspace-trust',
        '--user-data-dir',
        profile.userDataDir,
        '--server-data-dir',
        profile.userDataDir,
        '--extensions-dir',
        profile.extensionsDir,
        ...extraArgs,
      ]
    : [
        CODE_SERVER_ENTRY,
        '--config',
        profile.configFile,
        '--bind-addr',
        '127.0.0.1:0',
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--user-data-dir',
        profile.userDataDir,
        '--extensions-dir',
        profile.extensionsDir,
        ...extraArgs,
      ];
  if (verbose) log('spawn', NODE24_BIN, args.join(' '));
  const proc = spawn(NODE24_BIN, args, {
    cwd: profile.root,
    env: {
      ...process.env,
      // keep code-server from touching ~/.config/code-server and ~/.local/share/code-server
      XDG_CONFIG_HOME: path.join(profile.root, 'xdg-config'),
      XDG_DATA_HOME: path.join(profile.root, 'xdg-data'),
      XDG_CACHE_HOME: path.join(profile.root, 'xdg-cache'),
      TMPDIR: path.join(profile.root, 'tmp'),
      // no parent VS Code IPC leaking in
      VSCODE_IPC_HOOK_CLI: '',
      ...env,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const onData = (d) => {
    out += d;
    if (verbose) process.stderr.write(`[code-server] ${d}`);
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const exited = new Promise((res) => proc.once('exit', (code, sig) => res({ code, sig })));

  const kill = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    try {
      process.kill(-proc.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    const ok = await Promise.race([
      exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 5000)),
    ]);
    if (!ok) {
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      await exited;
    }
    // stray children of the group (extension host, pty host) that ignored SIGTERM
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      /* none left */
    }
  };

  const port = await withTimeout(
    new Promise((resolve, reject) => {
      const check = () => {
        const m =
          /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)|Extension host agent listening on (\d+)/.exec(
            out,
          );
        if (m) {
          cleanup();
          resolve(Number(m[1] ?? m[2]));
        }
      };
      const onExit = ({ code, sig }) => {
        cleanup();
        reject(new Error(`code-server exited early (code ${code}, signal ${sig}):\n${out}`));
      };
      const cleanup = () => {
        proc.stdout.off('data', check);
        proc.stderr.off('data', check);
      };
      proc.stdout.on('data', check);
      proc.stderr.on('data', check);
      exited.then(onExit);
      check();
    }),
    timeoutMs,
    'code-server to listen',
  ).catch(async (e) => {
    await kill();
    throw e;
  });

  const url = `http://127.0.0.1:${port}`;
  // health check: the HTTP server really answers
  await withTimeout(
    new Promise((resolve, reject) => {
      http
        .get(`${url}/${VSCODE_SERVER_MAIN ? '' : 'healthz'}`, (res) => {
          res.resume();
          if (res.statusCode === 200) resolve();
          else reject(new Error(`healthz ${res.statusCode}`));
        })
        .on('error', reject);
    }),
    10000,
    'code-server /healthz',
  ).catch(async (e) => {
    await kill();
    throw e;
  });

  return { url, port, proc, exited, output: () => out, kill };
}

/**
 * Workbench URL. `folder` is a path on the server. `payload` is VS Code web's list of
 * [key, value] pairs (extensionDevelopmentPath, extensionTestsPath, ...). Server-side paths in
 * the payload must be vscode-remote://<authority><path> URIs so they resolve on the server.
 */
/** The server flag that makes the web client honour `payload` (extension tests, smoke driver). */
const SMOKE_TEST_DRIVER_ARGS = VSCODE_SERVER_MAIN
  ? ['--enable-smoke-test-driver']
  : ['--vscode-option', 'enable-smoke-test-driver'];

/** `code-server --install-extension FILE.vsix` into the profile's --extensions-dir (time-bounded). */
function installVsix(profile, vsix, timeoutMs = 60000) {
  const { spawnSync } = require('child_process');
  const r = spawnSync(
    NODE24_BIN,
    [
      CODE_SERVER_ENTRY,
      '--config',
      profile.configFile,
      '--user-data-dir',
      profile.userDataDir,
      '--extensions-dir',
      profile.extensionsDir,
      '--install-extension',
      path.resolve(vsix),
      '--force',
    ],
    {
      encoding: 'utf8',
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(profile.root, 'xdg-config'),
        XDG_DATA_HOME: path.join(profile.root, 'xdg-data'),
        XDG_CACHE_HOME: path.join(profile.root, 'xdg-cache'),
        TMPDIR: path.join(profile.root, 'tmp'),
      },
    },
  );
  if (r.status !== 0 || !/successfully installed/.test(r.stdout + r.stderr)) {
    throw new Error(
      `--install-extension ${vsix} failed (status ${r.status}, ${r.error || ''}):\n${r.stdout}${r.stderr}`,
    );
  }
}

function workbenchUrl(server, { folder, payload } = {}) {
  const q = [];
  if (folder) q.push(`folder=${encodeURIComponent(folder)}`);
  if (payload && payload.length) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.url}/${q.length ? '?' + q.join('&') : ''}`;
}
const remoteUri = (server, p) => `vscode-remote://127.0.0.1:${server.port}${path.resolve(p)}`;

async function launchChromium(pw, { timeoutMs = 60000, profile = null } = {}) {
  return pw.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: timeoutMs,
    // keep chromium's crashpad/config out of $HOME
    env: profile
      ? {
          ...process.env,
          XDG_CONFIG_HOME: path.join(profile.root, 'xdg-config'),
          XDG_CACHE_HOME: path.join(profile.root, 'xdg-cache'),
          TMPDIR: path.join(profile.root, 'tmp'),
        }
      : process.env,
  });
}

/** Close the browser, but never hang on it: fall back to SIGKILL of the chromium process. */
async function closeBrowser(browser) {
  if (!browser) return;
  const proc = browser.process && browser.process();
  try {
    await withTimeout(browser.close(), 10000, 'browser.close');
  } catch (e) {
    log(`browser.close failed (${e.message}); killing chromium`);
  }
  if (proc && proc.exitCode === null && proc.signalCode === null) {
    try {
      proc.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/**
 * VS Code's ConsoleLogger prints "%c INFO", "color: #33f", <format>, ...args. Rebuild the
 * plain text the extension host (or workbench) logged.
 */
async function consoleMessageText(msg) {
  try {
    const args = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => String(a))));
    if (typeof args[0] === 'string' && args[0].startsWith('%c')) {
      const level = args[0].slice(2).trim();
      const rest = args.slice(2);
      return { level, text: rest.length ? util.format(...rest) : '' };
    }
    return { level: msg.type(), text: args.length ? util.format(...args) : msg.text() };
  } catch {
    return { level: msg.type(), text: msg.text() };
  }
}

/** Register cleanup to run on SIGINT/SIGTERM/uncaught errors and before exit. */
function installCleanup(fn) {
  let running = null;
  const run = () => {
    run.started = true;
    return (running =
      running ||
      Promise.resolve()
        .then(fn)
        .catch((e) => log('cleanup error', e)));
  };
  run.started = false;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      log(`got ${sig}, cleaning up`);
      run().finally(() => process.exit(130));
    });
  }
  process.once('uncaughtException', (e) => {
    log('uncaught', e);
    run().finally(() => process.exit(2));
  });
  process.once('unhandledRejection', (e) => {
    log('unhandled rejection', e);
    run().finally(() => process.exit(2));
  });
  return run;
}

function rmrf(p) {
  try {
    fs.rmSync(p, { recursive: true, force: true });
  } catch {
    /* ignore */
  }
}

module.exports = {
  ROOT,
  VSCODE_TEST_DIR,
  NODE24_BIN,
  CODE_SERVER_ENTRY,
  CHROMIUM,
  CHROMIUM_ARGS,
  DEFAULT_SETTINGS,
  log,
  withTimeout,
  checkInstalled,
  makeTempProfile,
  startCodeServer,
  SMOKE_TEST_DRIVER_ARGS,
  installVsix,
  workbenchUrl,
  remoteUri,
  launchChromium,
  closeBrowser,
  consoleMessageText,
  installCleanup,
  rmrf,
};
