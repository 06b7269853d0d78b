import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One test's outcome, for the harness's results file. */
interface Outcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  error?: string;
}

/**
 * The extension-host entry of the integration suite (VS Code's `extensionTestsPath`): runs mocha
 * (TDD interface) over every compiled `*.test.js` next to this file. VSCODE_TEST_GREP (or
 * MOCHA_GREP) narrows the run; with VSCODE_TEST_RESULTS_FILE set (test/harness/runIntegration.js
 * sets it) the results are also written there as JSON: { lines, stats, tests, error? }.
 */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: true, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.VSCODE_TEST_GREP ?? process.env.MOCHA_GREP;
  if (grep) mocha.grep(grep);
  for (const file of readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(join(__dirname, file));
  const tests: Outcome[] = [];
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = {
        passes: tests.filter((t) => t.state === 'passed').length,
        failures,
        pending: tests.filter((t) => t.state === 'pending').length,
      };
      if (process.env.VSCODE_TEST_RESULTS_FILE)
        writeFileSync(
          process.env.VSCODE_TEST_RESULTS_FILE,
          JSON.stringify({ lines, stats, tests }, null, 2),
        );
      if (failures) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on(
      'pass',
      (t) => (
        tests.push({ title: t.fullTitle(), state: 'passed' }),
        lines.push(`  ✔ ${t.fullTitle()} (${t.duration} ms)`)
      ),
    );
    runner.on(
      'pending',
      (t) => (
        tests.push({ title: t.fullTitle(), state: 'pending' }),
        lines.push(`  - ${t.fullTitle()}`)
      ),
    );
    runner.on('fail', (t, err: Error) => {
      tests.push({ title: t.fullTitle(), state: 'failed', error: err.stack ?? err.message });
      lines.push(`  ✗ ${t.fullTitle()}: ${err.message.split('\n')[0]}`);
    });
  });
}
