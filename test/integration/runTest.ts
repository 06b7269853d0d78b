import { resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

/**
 * Runs the integration suite in a downloaded VS Code (machines with network access):
 * `npm run test:integration`; VSCODE_VERSION picks the build (default: the minimum we support,
 * 1.85.0; also run it with `stable`). The fixture workspace is test/fixtures/workspace.
 */
async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..', '..');
  await runTests({
    version: process.env.VSCODE_VERSION ?? '1.85.0',
    extensionDevelopmentPath: root,
    extensionTestsPath: resolve(__dirname, 'index.js'),
    launchArgs: [
      resolve(root, 'test', 'fixtures', 'workspace'),
      '--disable-extensions',
      '--disable-workspace-trust',
    ],
  });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
