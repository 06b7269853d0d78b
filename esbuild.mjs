// One build script for every target: the extension host and CLI (node, CommonJS) and,
// once they exist, the webviews (browser IIFE). esbuild does not type-check: `npm run typecheck` does.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const nodeTargets = [
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['src/extension/runWorker.ts'], outfile: 'dist/runWorker.js' },
].filter((t) => existsSync(t.entryPoints[0]));

const webviewTargets = ['timeline', 'locks', 'inspector', 'compare']
  .map((view) => ({ entryPoints: [`webview/${view}/main.ts`], outfile: `dist/webview/${view}.js` }))
  .filter((t) => existsSync(t.entryPoints[0]));

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };
const configs = [
  ...nodeTargets.map((t) => ({ ...common, ...t, platform: 'node', format: 'cjs', target: 'node20' })),
  ...webviewTargets.map((t) => ({ ...common, ...t, platform: 'browser', format: 'iife', target: 'es2022' })),
];

if (watch) {
  for (const config of configs) await (await esbuild.context(config)).watch();
} else {
  await Promise.all(configs.map((config) => esbuild.build(config)));
}
