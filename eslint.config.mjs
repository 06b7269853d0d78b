import { readdirSync } from 'node:fs';
import tseslint from 'typescript-eslint';

/**
 * The floor order: every module imports only from floors below its own, never sideways within a
 * floor and never up. Across src: the engine at the bottom, then the protocol (it speaks in the
 * engine's types), then the front ends side by side (src/cli, src/extension, webview/). Within the
 * engine and the extension the floors are listed below, bottom first; an entry is a folder (every
 * file under it) or one file. The `no-restricted-imports` blocks are generated from these lists, so
 * an upward import fails `npm run lint` (and shows in the editor) naming the floor it climbs to.
 */
/** Within the engine, bottom first (paths relative to src/engine). */
const ENGINE_FLOORS = [
  ['units.ts', 'printable.ts'],
  ['kernel', 'cost', 'trace'], // release data, the cost table, the trace model and its importers
  ['arch', 'sim'], // arch geometry per release; the scheduler, locks and completions
  ['state'], // the kernel's structs: sections, pages, pgmaps, altmaps
  ['scenario'], // the parsed scenario
  ['runtime'], // one emulated kernel: Ctx, spans, cost, locks, printk, devices
  ['mm'], // the kernel's mm/ paths
  ['nvdimm'], // the drivers that call them
  ['steps'], // one module per step op: its keys, how it is read, how it runs, its doc
  ['parse', 'run'], // a scenario file read whole; a whole run: steps in order, results, measures
  ['rules', 'compare'], // diagnostics of a run; a run against a log
  ['analyse.ts', 'calibrate', 'views', 'editor', 'twin'], // the engine's front doors (twin: a scenario from a machine's own output)
  ['hover', 'fixes'], // editor features built on editor/
];

/** Within the extension, bottom first (paths relative to src/extension). */
const EXTENSION_FLOORS = [
  ['lazy.ts', 'logFormats.ts', 'editorFeatures.ts'], // bundles loaded on first use, and the loader
  [
    'config.ts',
    'convert.ts',
    'documents.ts',
    'runService.ts',
    'saveFile.ts',
    'worker',
    'runs/workerClient.ts',
  ],
  ['runWorker.ts', 'runs/scenarioRuns.ts', 'panels', 'importedLogs.ts'],
  ['liveDiagnostics.ts', 'panelCommands.ts', 'scenarioTree.ts', 'statusBar.ts', 'providers'],
  ['scenarioTests.ts', 'commands'],
  ['extension.ts'],
];

// A folder or file the lists leave out would escape the check: name it on a floor first.
for (const [base, floors] of [
  ['src/engine', ENGINE_FLOORS],
  ['src/extension', EXTENSION_FLOORS],
]) {
  const listed = new Set(floors.flat().map((e) => e.split('/')[0]));
  const missing = readdirSync(base).filter((e) => !listed.has(e));
  if (missing.length)
    throw new Error(`eslint.config.mjs: ${base}/${missing.join(', ')} is on no floor`);
}

const stem = (entry) => entry.replace(/\.ts$/, '');
const glob = (base, entry) =>
  entry.endsWith('.ts') ? `${base}/${entry}` : `${base}/${entry}/**/*.ts`;
/** A relative import of `entry` from anywhere in its area: './x', '../x/y', '../../x', './dir/x' or './x' within dir. */
function reaches(entry) {
  const parts = stem(entry).split('/');
  const last = parts.pop();
  const dirs = parts.map((d) => `(${d}/)?`).join('');
  return `^(\\.{1,2}/)+${dirs}${last}(/|$)`;
}

/** One config block per floor entry, forbidding the entries on its floor and above. */
function floorBlocks(base, floors, extra = {}) {
  return floors.flatMap((floor, i) =>
    floor.map((entry) => {
      const forbidden = floors
        .slice(i)
        .flat()
        .filter((other) => other !== entry);
      return {
        files: [glob(base, entry)],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              paths: extra.paths ?? [],
              patterns: [
                ...(extra.patterns ?? []),
                ...forbidden.map((other) => ({
                  regex: reaches(other),
                  caseSensitive: true,
                  message: `${base}/${entry} sits below ${base}/${other} (floor order in eslint.config.mjs): move the shared piece down instead.`,
                })),
              ],
            },
          ],
        },
      };
    }),
  );
}

const ENGINE_PURE = {
  paths: [
    { name: 'vscode', message: 'src/engine is pure: adapt it in src/extension.' },
    { name: 'fs', message: 'src/engine is pure: files come in as parameters.' },
    { name: 'node:fs', message: 'src/engine is pure: files come in as parameters.' },
    { name: 'fs/promises', message: 'src/engine is pure.' },
    { name: 'node:fs/promises', message: 'src/engine is pure.' },
  ],
  patterns: [
    {
      group: ['**/extension/**', '**/webview/**', '**/protocol/**', '**/cli/**'],
      message: 'src/engine imports nothing outside itself.',
    },
  ],
};
const NO_VSCODE = { paths: [{ name: 'vscode', message: 'Only src/extension imports vscode.' }] };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/e2e/artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The code-server harness is plain CommonJS run by Node directly (no build step).
    files: ['test/harness/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The engine is a pure library: no editor, no DOM, no file system.
    files: ['src/engine/**/*.ts'],
    rules: { 'no-restricted-globals': ['error', 'window', 'document', 'navigator'] },
  },
  ...floorBlocks('src/engine', ENGINE_FLOORS, ENGINE_PURE),
  {
    files: ['src/protocol/**/*.ts', 'src/files/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...NO_VSCODE,
          patterns: [
            {
              group: ['**/extension/**', '**/cli/**', '**/webview/**'],
              message: 'src/protocol sits below the front ends.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...NO_VSCODE,
          patterns: [
            {
              group: ['**/src/extension/**', '**/src/cli/**'],
              message: 'webview/ runs in the browser: it imports the engine and the protocol only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...NO_VSCODE,
          patterns: [
            {
              group: ['**/extension/**', '**/webview/**'],
              message: 'src/cli stands beside the extension, not on it.',
            },
          ],
        },
      ],
    },
  },
  ...floorBlocks('src/extension', EXTENSION_FLOORS, {
    patterns: [
      {
        group: ['**/cli/**', '**/webview/**'],
        message: 'src/extension stands beside the CLI and loads webviews as built files.',
      },
    ],
  }),
);
