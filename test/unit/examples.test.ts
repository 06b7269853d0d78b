import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleText, ROOT, run } from './helpers';
import { parseScenario } from '../../src/engine/parse/parseScenario';
import { costProfilePath } from '../../src/engine/run/costProfile';
import { parseCostProfile } from '../../src/engine/cost/file';

/** The cost profile file an example names, read from examples/ as the CLI would. */
function costProfileOf(text: string) {
  const path = parseScenario(text).scenario && costProfilePath(parseScenario(text).scenario!);
  return path
    ? parseCostProfile(readFileSync(join(ROOT, 'examples', path), 'utf8'), path).profile
    : undefined;
}

// Every example is a story from the seeds: its expectations must hold, and its summary must not
// change by accident (golden files; regenerate deliberately with UPDATE_GOLDEN=1 and review the diff).
const examples = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.memmap.yaml'))
  .map((f) => f.replace('.memmap.yaml', ''));

for (const name of examples) {
  test(`example ${name}: expectations hold and the summary matches its golden file`, () => {
    const text = exampleText(name);
    const a = run(text, { costProfile: costProfileOf(text) });
    const failed = a.expectations.filter((e) => !e.pass);
    assert.deepEqual(
      failed.map((e) => e.message),
      [],
    );
    const golden = join(ROOT, 'test', 'fixtures', 'golden', `${name}.json`);
    const actual = {
      variant: a.summary.variant,
      totalNs: a.summary.totalNs,
      nodes: a.summary.nodes,
      locks: a.summary.locks,
      diagnostics: a.summary.diagnostics.map(
        (d) => `${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`,
      ),
      steps: a.summary.steps.map((s) => `${s.index} ${s.op} ${s.outcome}`),
      dmesg: a.summary.dmesg,
    };
    if (process.env.UPDATE_GOLDEN || !existsSync(golden))
      writeFileSync(golden, JSON.stringify(actual, null, 2) + '\n');
    assert.deepEqual(actual, JSON.parse(readFileSync(golden, 'utf8')));
  });
}
