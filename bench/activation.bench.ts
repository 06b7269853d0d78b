/**
 * Extension activation cost, outside VS Code: load the bundled dist/extension.js and call
 * activate() against a stand-in `vscode` module whose every API is a no-op. This measures our
 * own start-up work (module evaluation, services, registrations), which is what the ≤ 100 ms
 * goal is about; VS Code's own extension-host overhead comes on top.
 *   npm run build && node --import tsx bench/activation.bench.ts
 */
import Module from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Anything: callable, constructible, every property another `anything`, awaitable as undefined. */
function anything(): unknown {
  const target = function () {} as unknown as object;
  return new Proxy(target, {
    get: (_t, key) =>
      key === 'then' ? undefined : key === Symbol.toPrimitive ? () => 0 : anything(),
    apply: () => anything(),
    construct: () => anything() as object,
    set: () => true,
    defineProperty: () => true,
  });
}

/** The module itself: every name the real API exports (from @types/vscode), each an `anything`. */
function fakeVscode(): object {
  const dts = readFileSync(
    join(__dirname, '..', 'node_modules', '@types', 'vscode', 'index.d.ts'),
    'utf8',
  );
  const names = new Set(
    [...dts.matchAll(/^\s*export (?:namespace|class|enum|function|const|let) (\w+)/gm)].map(
      (m) => m[1],
    ),
  );
  return Object.fromEntries([...names].map((n) => [n, anything()]));
}
const vscode = fakeVscode();

const resolve = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })
  ._load;
(Module as unknown as { _load: typeof resolve })._load = (request, ...rest) =>
  request === 'vscode' ? vscode : resolve(request, ...rest);

const bundle = join(__dirname, '..', 'dist', 'extension.js');
// activate() registers the commands the manifest contributes.
const manifest: unknown = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
const samples: number[] = [];
for (let i = 0; i < 15; i++) {
  delete require.cache[bundle];
  const t0 = performance.now();
  // A fresh load each time, as the extension host does once: require() is the point here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ext = require(bundle) as { activate(context: unknown): unknown };
  ext.activate({
    subscriptions: [],
    extension: { packageJSON: manifest },
    extensionUri: anything(),
    extensionPath: join(__dirname, '..'),
    globalState: anything(),
    workspaceState: anything(),
  });
  samples.push(performance.now() - t0);
}
const sorted = [...samples].sort((a, b) => a - b);
console.log(
  `activation (require + activate): first ${samples[0].toFixed(1)} ms, median ${sorted[7].toFixed(1)} ms over ${samples.length} runs`,
);
