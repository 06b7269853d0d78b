// One build script for every target: the extension host and CLI (node, CommonJS) and the webviews
// (browser IIFE). esbuild does not type-check: `npm run typecheck` does.
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const nodeTargets = [
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  // The extension, and the parts it loads on first use (src/extension/lazy.ts), each a bundle of
  // its own beside it so that activation evaluates only the wiring.
  {
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode', './extension*.js'],
  },
  { entryPoints: ['src/extension/logFormats.ts'], outfile: 'dist/extensionImport.js' },
  { entryPoints: ['src/extension/editorFeatures.ts'], outfile: 'dist/extensionEditor.js' },
  {
    entryPoints: ['src/extension/panels/controllers.ts'],
    outfile: 'dist/extensionPanels.js',
    external: ['vscode', './extension*.js'],
  },
  {
    entryPoints: ['src/extension/commands/quickTable.ts'],
    outfile: 'dist/extensionQuickCommands.js',
    external: ['vscode', './extension*.js'],
  },
  {
    entryPoints: ['src/extension/commands/table.ts'],
    outfile: 'dist/extensionCommands.js',
    external: ['vscode', './extension*.js'],
  },
  { entryPoints: ['src/extension/runWorker.ts'], outfile: 'dist/runWorker.js' },
];

const webviewTargets = ['timeline', 'locks', 'inspector', 'compare'].map((view) => ({
  entryPoints: [`webview/${view}/main.ts`],
  outfile: `dist/webview/${view}.js`,
}));

// The integration suite runs inside VS Code's extension host: the mocha runner (mocha bundled in),
// each suite file, and the @vscode/test-electron launcher. Not part of a production (.vsix) build.
const integration = 'test/integration';
const integrationTargets = !production
  ? [
      {
        entryPoints: [
          'index.ts',
          'runTest.ts',
          ...readdirSync(integration).filter((f) => f.endsWith('.test.ts')),
        ].map((f) => `${integration}/${f}`),
        outdir: 'dist/test/integration',
        external: ['vscode', '@vscode/test-electron'],
        // mocha's parallel mode resolves its worker files at run time; the suite runs serially.
        logOverride: { 'require-resolve-not-external': 'silent' },
      },
    ]
  : [];

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };
const configs = [
  ...nodeTargets.map((t) => ({
    ...common,
    ...t,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  })),
  ...integrationTargets.map((t) => ({
    ...common,
    ...t,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  })),
  ...webviewTargets.map((t) => ({
    ...common,
    ...t,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  })),
];

if (watch) {
  for (const config of configs) await (await esbuild.context(config)).watch();
} else {
  await Promise.all(configs.map((config) => esbuild.build(config)));
}
