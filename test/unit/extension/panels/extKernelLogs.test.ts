import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { calibrate } from '../../../../src/engine/calibrate/calibrate';
import { parseScenario } from '../../../../src/engine/parse/parseScenario';
import { importLogText } from '../../../../src/engine/trace/import/importLog';
import type { ImportedLog } from '../../../../src/engine/trace/import/types';
import { calibrateRequest } from '../../../../src/extension/worker/calibrateRequest';
import { WorkerClient } from '../../../../src/extension/runs/workerClient';
import { LogCompareController } from '../../../../src/extension/panels/logCompareController';
import {
  LogLocksController,
  LogTimelineController,
} from '../../../../src/extension/panels/logControllers';
import { parseSavedState } from '../../../../src/extension/panels/validate';
import type { LogSource } from '../../../../src/extension/runService';
import type { CalibrateRequest, RunSettings } from '../../../../src/protocol/worker';
import { EngineRunService } from '../../../e2e/viewHarness/engineRunService';
import { exampleText, ROOT } from '../../helpers';

// The editor side of trace analysis, without VS Code: calibration in the worker, and the panels
// that show a real kernel log (its timeline, its locks, a run beside it).
const SCENARIO = 'file:///work/examples/calibrate-dl380-devdax-2m.memmap.yaml';
const LOG = 'file:///work/test/fixtures/logs/nvdimm-devdax-5.10-rc3.log';
const LOCK_STAT = 'file:///work/test/fixtures/logs/lock_stat-vmalloc.txt';
const logText = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const settings: RunSettings = { costOverrides: {}, traceDetail: 'full' };
const example = exampleText('calibrate-dl380-devdax-2m');
const events = importLogText(logText('examples/calibrate-dl380-devdax-2m.log')).events;
const request = (more: Partial<CalibrateRequest> = {}): CalibrateRequest => ({
  type: 'calibrate',
  id: 7,
  text: example,
  settings,
  events,
  name: 'dl380',
  ...more,
});

/** Logs by URI, imported once, as ImportedLogs serves them to the panels. */
function logSource(): LogSource & { loads: number } {
  const files: Record<string, string> = {
    [LOG]: 'test/fixtures/logs/nvdimm-devdax-5.10-rc3.log',
    [LOCK_STAT]: 'test/fixtures/logs/lock_stat-vmalloc.txt',
  };
  const cache = new Map<string, ImportedLog>();
  const source = {
    loads: 0,
    async load(uri: string): Promise<ImportedLog> {
      source.loads++;
      if (!cache.has(uri))
        cache.set(
          uri,
          files[uri]
            ? importLogText(logText(files[uri]))
            : importLogText('\u0000\u0001\u0002'.repeat(2000), { name: 'x.bin' }),
        );
      return cache.get(uri)!;
    },
  };
  return source;
}

test("calibration in the worker: the engine's fit, from the scenario's text", () => {
  const done = calibrateRequest(request());
  assert.equal(done.type, 'calibrated');
  assert.equal(done.id, 7);
  const direct = calibrate(parseScenario(example).scenario!, events, { name: 'dl380' });
  assert.deepEqual(done.result, direct);
  assert.equal(done.result?.rmsRelError.toFixed(3), '0.170');
  structuredClone(done); // it crosses postMessage
});

test("calibration holds the settings' cost overrides (they win over a profile) and says why", () => {
  const done = calibrateRequest(
    request({ settings: { ...settings, costOverrides: { structPageStorePmem: 12 } } }),
  );
  assert.ok(done.result);
  assert.ok(!done.result.parameters.some((p) => p.name === 'structPageStorePmem'));
  assert.match(
    done.result.fixed.find((f) => f.name === 'structPageStorePmem')?.reason ?? '',
    /memmapLab\.costOverrides/,
  );
});

test('calibration errors are answers, not crashes: a broken scenario, an unreadable profile, no matching line', () => {
  assert.match(
    calibrateRequest(request({ text: 'steps: [' })).error ?? '',
    /does not parse: line 1/,
  );
  const withFile = example.replace('cost: default', 'cost: dl380.cost.json');
  const scenarioFile = join(mkdtempSync(join(tmpdir(), 'memmap-calibrate-')), 's.memmap.yaml');
  assert.match(
    calibrateRequest(request({ text: withFile, scenarioFile })).error ?? '',
    /cannot read cost profile dl380\.cost\.json: ENOENT/,
  );
  writeFileSync(
    join(scenarioFile, '..', 'dl380.cost.json'),
    '{"costs": {"structPageStorePmem": 20}}',
  );
  const fromFile = calibrateRequest(request({ text: withFile, scenarioFile }));
  assert.equal(fromFile.error, undefined);
  assert.equal(
    fromFile.result?.parameters.find((p) => p.name === 'structPageStorePmem')?.before,
    20,
    "fitted from the scenario's own profile",
  );
  assert.match(
    calibrateRequest(request({ events: [] })).error ?? '',
    /no init line of the log matches/,
  );
});

test('the worker client: a calibration runs in the worker thread', async () => {
  const outfile = join(mkdtempSync(join(tmpdir(), 'memmap-worker-')), 'runWorker.js');
  await build({
    entryPoints: [join(ROOT, 'src/extension/runWorker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'error',
  });
  const client = new WorkerClient(outfile, () => undefined);
  try {
    const { done } = client.calibrate({
      type: 'calibrate',
      text: example,
      settings,
      events,
      name: 'dl380',
    });
    const answer = await done;
    assert.equal(answer?.result?.observations.length, 4);
    assert.deepEqual(
      answer?.result?.parameters.map((p) => p.name),
      ['pageInitCpuPageblock', 'structPageStorePmem', 'pageblockInit'],
    );
  } finally {
    client.dispose();
  }
});

test('a kernel log in the timeline: its spans, shown where its records are (303 s after boot), once', async () => {
  const logs = logSource();
  const c = new LogTimelineController(logs, LOG);
  const m = await c.model();
  assert.equal(m.type, 'timeline');
  if (m.type !== 'timeline') return;
  assert.equal(m.model.title, 'nvdimm-devdax-5.10-rc3.log (dmesg)');
  assert.equal(m.model.source, 'imported');
  assert.equal(m.model.spans.id.length, 8, 'eight memmap_init_zone_device lines');
  const [t0, t1] = m.focus?.window ?? [0, 0];
  assert.ok(t0 > 300e9 && t0 < 303.4e9 && t1 > 368.7e9 && t1 < 373e9, `window ${t0}..${t1}`);
  const again = await c.model();
  assert.equal(
    again.type === 'timeline' && again.focus,
    undefined,
    "a redraw keeps the user's window",
  );
  const reply = await c.answer({ name: 'spanDetails', args: { spanId: m.model.spans.id[0] } });
  assert.equal(reply.name === 'spanDetails' && reply.result?.name, 'memmap_init_zone_device');
  assert.equal(
    reply.name === 'spanDetails' && reply.result?.step,
    undefined,
    'no scenario step to reveal',
  );
  const runs = new EngineRunService(new Map([[SCENARIO, example]]));
  assert.equal(
    c.concerns((await runs.run(SCENARIO))!),
    false,
    'a scenario run does not redraw a log',
  );
});

test('a kernel log in the lock view: the /proc/lock_stat rows; not a log: a status', async () => {
  const m = await new LogLocksController(logSource(), LOCK_STAT, () => undefined).model();
  assert.equal(m.type, 'locks');
  assert.ok(m.type === 'locks' && m.model.rows.some((r) => r.label === 'vmap_area_lock'));
  assert.deepEqual(
    m.type === 'locks' && [m.model.thresholdNs, m.model.thresholdFrom],
    [undefined, undefined],
    "an imported table is the kernel's: no threshold judges it unless one is set",
  );
  const set = await new LogLocksController(logSource(), LOCK_STAT, () => 5e6).model();
  assert.deepEqual(
    set.type === 'locks' && [set.model.thresholdNs, set.model.thresholdFrom],
    [5e6, 'setting'],
    "the memmapLab.longLockThreshold setting judges a log's holds",
  );
  const bad = await new LogTimelineController(logSource(), 'file:///x.bin').model();
  assert.equal(bad.type, 'status');
  assert.match(bad.type === 'status' ? bad.message : '', /binary data/);
});

test("a run beside a log: the compare model with the log's matches; an edit of the scenario redraws it", async () => {
  const runs = new EngineRunService(new Map([[SCENARIO, example]]));
  const logs = logSource();
  const c = new LogCompareController(runs, logs, SCENARIO, LOG);
  assert.equal(c.key, `${SCENARIO}\n${LOG}`);
  const m = await c.model();
  assert.equal(m.type, 'compare');
  if (m.type !== 'compare') return;
  assert.deepEqual(m.variants, [], 'no variant to pick for a log');
  assert.equal(m.model.a.label, 'DL380 Gen9, 4 x 8 GiB devdax, 2 MiB align — v5.10');
  assert.equal(m.model.b.label, 'nvdimm-devdax-5.10-rc3.log');
  assert.equal(m.model.log?.matched, 4);
  assert.equal(m.model.inits.filter((r) => r.ratio !== undefined).length, 4);
  assert.ok(c.concerns(runs.latest(SCENARIO)!));
  assert.equal(c.handle({ type: 'compareVariants', a: 'v4.18', b: 'v5.10' }), false);
});

test('a compare panel with a log comes back after a reload from its saved state', () => {
  assert.deepEqual(parseSavedState({ view: 'compare', uri: SCENARIO, log: LOG }, 'compare'), {
    view: 'compare',
    uri: SCENARIO,
    log: LOG,
  });
  assert.equal(
    parseSavedState(
      { view: 'compare', uri: SCENARIO, log: 'javascript-ish but no scheme' },
      'compare',
    )?.log,
    undefined,
  );
  assert.equal(
    parseSavedState({ view: 'timeline', uri: LOG, log: LOG }, 'timeline')?.log,
    undefined,
  );
  assert.deepEqual(
    parseSavedState({ view: 'compare', uri: SCENARIO, variants: ['v4.18', 'v4.20'] }, 'compare')
      ?.variants,
    ['v4.18', 'v4.20'],
  );
  assert.equal(
    parseSavedState({ view: 'compare', uri: SCENARIO, variants: ['v4.18', 'v99'] }, 'compare')
      ?.variants,
    undefined,
    'a variant that is no preset is not restored',
  );
});
