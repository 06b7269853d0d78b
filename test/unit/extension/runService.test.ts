import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse } from '../../../src/engine/analyse';
import { summarize } from '../../../src/engine/run/summary';
import { parseScenario } from '../../../src/engine/parse/parseScenario';
import {
  currentRun,
  runRows,
  statusLine,
  type RunSnapshot,
} from '../../../src/extension/runService';
import { exampleText } from '../helpers';

/** A snapshot of `text` as the worker would send it, of document version `version`. */
function snapshot(text: string, version: number, variant = 'v4.20'): RunSnapshot {
  const a = analyse(text);
  return {
    uri: 'file:///s.memmap.yaml',
    version,
    variant,
    scenario: a.scenario,
    diagnostics: a.diagnostics,
    expectations: a.expectations,
    wallMs: 1,
    summary: a.run && summarize(a.run, a.diagnostics, a.expectations),
  };
}

const good = exampleText('three-tib-per-node');
const unknownKernel = good.replace('kernel: v4.20', 'kernel: v4.2O');

test('a file that does not parse is "not run: <first error>", never the last good run of another version', () => {
  const last = snapshot(good, 1);
  assert.equal(statusLine(currentRun(last, 1, [])).text, '$(pass) v4.20 43.37 s · 5/5');
  const c = currentRun(last, 2, parseScenario(unknownKernel).problems);
  assert.equal(c.kind, 'not-run');
  const line = statusLine(c);
  assert.match(line.text, /^\$\(error\) not run: unknown kernel 'v4\.2O'/);
  assert.match(line.tooltip, /\(line 6\)$/);
  assert.equal(line.opens, 'run');
});

test('a run of an earlier edit is not current: the status bar says running, lenses get no verdicts', () => {
  const c = currentRun(snapshot(good, 1), 2, parseScenario(good).problems);
  assert.deepEqual([c.kind, statusLine(c).text], ['pending', '$(sync~spin) Memmap Lab: running…']);
  assert.equal(statusLine(currentRun(undefined, 1, [])).text, '$(play) Memmap Lab: not run');
});

test('a run of this version that did not parse says why', () => {
  const c = currentRun(snapshot(unknownKernel, 3), 3, []);
  assert.equal(c.kind, 'not-run');
  assert.match(statusLine(c).text, /not run: unknown kernel/);
});

test('tree rows: a run of another version is outdated; a version that does not parse shows why in place of its own run', () => {
  const own = snapshot(good, 1);
  const other = snapshot(good, 1, 'v5.3');
  assert.deepEqual(
    runRows([own, other], own, 1, currentRun(own, 1, [])).map(
      (r) => r.kind === 'run' && [r.own, r.outdated],
    ),
    [
      [true, false],
      [false, false],
    ],
  );
  assert.deepEqual(
    runRows([own, other], own, 2, currentRun(own, 2, [])).map(
      (r) => r.kind === 'run' && r.outdated,
    ),
    [true, true],
  );
  const broken = runRows(
    [own, other],
    own,
    2,
    currentRun(own, 2, parseScenario(unknownKernel).problems),
  );
  assert.equal(broken[0].kind, 'not-run');
  assert.deepEqual(
    broken.slice(1).map((r) => r.kind === 'run' && [r.run.variant, r.outdated]),
    [['v5.3', true]],
  );
  assert.deepEqual(
    runRows([own], own).map((r) => r.kind === 'run' && r.outdated),
    [false],
    'a closed file: nothing to measure against',
  );
});
