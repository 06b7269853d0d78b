import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../../src/cli/main';
import { calibrate, CalibrationError } from '../../../../src/engine/calibrate/calibrate';
import { compareWithLog, type Comparison } from '../../../../src/engine/compare/compareWithLog';
import { parseCostProfile } from '../../../../src/engine/cost/file';
import { runScenario } from '../../../../src/engine/run/runScenario';
import { parseScenario } from '../../../../src/engine/parse/parseScenario';
import { importLogText } from '../../../../src/engine/trace/import/importLog';
import { ROOT } from '../../helpers';

const example = (name: string) => readFileSync(join(ROOT, 'examples', name), 'utf8');
const scenario = (name: string) => parseScenario(example(name)).scenario!;
// Yi Zhang's 5.10 devdax report: the same machine's init lines in two configurations (real, cited).
const lines2m = importLogText(example('calibrate-dl380-devdax-2m.log'));
const lines1g = importLogText(example('calibrate-dl380-devdax-1g.log'));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** The 1 GiB example without its inlined fitted costs, so a profile decides them. */
const uncosted1g = () =>
  parseScenario(
    example('calibrate-dl380-devdax-1g.memmap.yaml').replace(/^cost: .*$/m, 'cost: default'),
  ).scenario!;

test('fitting the 2 MiB configuration brings the model from +70% to the measured times', () => {
  const c = calibrate(scenario('calibrate-dl380-devdax-2m.memmap.yaml'), lines2m);
  assert.equal(c.observations.length, 4);
  assert.ok(
    mean(c.observations.map((o) => o.beforeNs)) > 1.4 * 29e6,
    'the default model is far off for this machine',
  );
  assert.ok(Math.abs(mean(c.observations.map((o) => o.afterNs)) / 29e6 - 1) < 0.1);
  assert.ok(c.rmsRelError < 0.2, `rms ${c.rmsRelError}`);
  assert.deepEqual(
    c.parameters.map((p) => p.name),
    ['pageInitCpuPageblock', 'structPageStorePmem', 'pageblockInit'],
  );
  assert.ok(c.parameters.every((p) => p.after <= p.before));
  assert.equal(
    c.resolved,
    1,
    'identical namespaces determine one combination (the per-page total)',
  );
  assert.ok(
    c.fixed.some((f) => f.name === 'structPageStoreDram'),
    'no line measures a DRAM memmap',
  );
});

test('the calibrated profile predicts the 1 GiB configuration of the same machine within 10% on the mean', () => {
  const c = calibrate(scenario('calibrate-dl380-devdax-2m.memmap.yaml'), lines2m);
  const { profile, error } = parseCostProfile(
    JSON.stringify({ name: 'fit', costs: c.profile.costs }),
    'fit.cost.json',
  );
  assert.equal(error, undefined);
  const rows = compareWithLog(
    runScenario(uncosted1g(), { costProfile: profile }).trace,
    lines1g,
  ).rows.filter((r) => r.kind === 'zone-device-init');
  assert.deepEqual(
    rows.map((r) => r.measuredNs),
    [21e6, 22e6, 31e6, 32e6],
  );
  const predicted = mean(rows.map((r) => r.predictedNs!));
  const measured = mean(rows.map((r) => r.measuredNs!));
  assert.ok(
    Math.abs(predicted / measured - 1) < 0.1,
    `predicted ${predicted}, measured ${measured}`,
  );
  const uncalibrated = mean(
    compareWithLog(runScenario(uncosted1g()).trace, lines1g)
      .rows.filter((r) => r.kind === 'zone-device-init')
      .map((r) => r.predictedNs!),
  );
  assert.ok(uncalibrated / measured > 1.5);
});

test('costs a scenario sets itself are left alone; a log with no matching line is an error', () => {
  const text = example('calibrate-dl380-devdax-2m.memmap.yaml').replace(
    'cost: default',
    'cost: { profile: default, overrides: { structPageStorePmem: 15.72 } }',
  );
  const s = parseScenario(text).scenario!;
  assert.equal(s.cost.overrides.structPageStorePmem, 15.72);
  const c = calibrate(s, lines2m);
  assert.ok(
    c.fixed.some((f) => f.name === 'structPageStorePmem' && /set in the scenario/.test(f.reason)),
  );
  assert.ok(!c.parameters.some((p) => p.name === 'structPageStorePmem'));
  assert.throws(
    () => calibrate(s, importLogText('[    1.000000] node 5 deferred pages initialised in 3ms\n')),
    CalibrationError,
  );
});

test('CLI: calibrate writes a profile a scenario names with cost: ./file, and compare then uses it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memmap-lab-'));
  const out: string[] = [];
  const say = (s: string) => out.push(s);
  const ex = (f: string) => join(ROOT, 'examples', f);
  assert.equal(
    main(
      [
        'calibrate',
        ex('calibrate-dl380-devdax-2m.memmap.yaml'),
        ex('calibrate-dl380-devdax-2m.log'),
        '-o',
        join(dir, 'dl380.cost.json'),
      ],
      say,
    ),
    0,
  );
  assert.match(out.join('\n'), /residuals: rms 17\.0%, max 19\.6%/);
  const scenarioFile = join(dir, 'dl380-1g.memmap.yaml');
  writeFileSync(
    scenarioFile,
    example('calibrate-dl380-devdax-1g.memmap.yaml').replace(
      /^cost: .*$/m,
      'cost: ./dl380.cost.json',
    ),
  );
  out.length = 0;
  assert.equal(
    main(['compare', scenarioFile, ex('calibrate-dl380-devdax-1g.log'), '--json'], say),
    0,
  );
  const rows = (JSON.parse(out.join('\n')) as Comparison).rows.filter(
    (r) => r.kind === 'zone-device-init',
  );
  assert.ok(
    rows.every((r) => Math.abs(r.predictedNs! / 24.3e6 - 1) < 0.01),
    JSON.stringify(rows.map((r) => r.predictedNs)),
  );
});

test('CLI: a log whose init time is not a finite number is an error, and no profile with null costs is written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memmap-lab-'));
  const log = join(dir, 'huge.log');
  writeFileSync(
    log,
    example('calibrate-dl380-devdax-2m.log').replace(
      'pages in 34ms',
      `pages in ${'9'.repeat(400)}ms`,
    ),
  );
  const target = join(dir, 'huge.cost.json');
  const err: string[] = [];
  const code = main(
    [
      'calibrate',
      join(ROOT, 'examples', 'calibrate-dl380-devdax-2m.memmap.yaml'),
      log,
      '-o',
      target,
    ],
    () => undefined,
    (s) => err.push(s),
  );
  assert.equal(code, 1);
  assert.match(
    err.join('\n'),
    /line 1 of the log: its init time \(Infinity ns\) is not a finite, non-negative number/,
  );
  assert.throws(() => readFileSync(target), /ENOENT/);
});
