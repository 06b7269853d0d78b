import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setCostProfile } from '../../../../src/engine/fixes/costProfileEdit';
import { calibratedProfileFile } from '../../../../src/engine/calibrate/report';
import { calibrate } from '../../../../src/engine/calibrate/calibrate';
import { parseCostProfile } from '../../../../src/engine/cost/file';
import { DEFAULT_COSTS } from '../../../../src/engine/cost/profile';
import { parseScenario } from '../../../../src/engine/parse/parseScenario';
import { importLogText } from '../../../../src/engine/trace/import/importLog';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleText, ROOT } from '../../helpers';

// "Set the scenario's cost: to the calibrated profile": one edit, in the file's own style.
const apply = (text: string, path: string) => {
  const e = setCostProfile(text, path);
  assert.ok(e, 'an edit');
  return text.slice(0, e.offset) + e.newText + text.slice(e.endOffset);
};
const cost = (text: string) => parseScenario(text).scenario?.cost;

test('cost: default becomes the profile; everything else stays', () => {
  const before = exampleText('calibrate-dl380-devdax-2m');
  const after = apply(before, 'calibrate-dl380-devdax-2m.cost.json');
  assert.equal(
    after,
    before.replace('\ncost: default\n', '\ncost: calibrate-dl380-devdax-2m.cost.json\n'),
  );
  assert.deepEqual(cost(after), {
    ...cost(before),
    profile: 'calibrate-dl380-devdax-2m.cost.json',
    span: cost(after)!.span,
  });
});

test('cost: { profile, overrides } keeps its overrides (they win over any profile)', () => {
  const before = exampleText('calibrate-dl380-devdax-1g');
  const after = apply(before, 'fitted.cost.json');
  assert.equal(cost(after)?.profile, 'fitted.cost.json');
  assert.deepEqual(cost(after)?.overrides, cost(before)?.overrides);
  const block = 'cost:\n  overrides:\n    pageOp: 3\nmachine: {}\n';
  assert.equal(
    apply(`kernel: v5.10\n${block}`, 'p.cost.json'),
    `kernel: v5.10\ncost:\n  profile: p.cost.json\n  overrides:\n    pageOp: 3\nmachine: {}\n`,
  );
});

test('no cost: at all: one is added after kernel:; a path YAML would misread is quoted', () => {
  const before = exampleText('calibrate-dl380-devdax-2m').replace('cost: default\n', '');
  const after = apply(before, 'my machine.cost.json');
  assert.match(after, /\nkernel: v5\.10\ncost: my machine\.cost\.json\nmachine:/);
  assert.equal(cost(after)?.profile, 'my machine.cost.json');
  assert.equal(
    cost(apply(exampleText('calibrate-dl380-devdax-2m'), 'a: b #1.cost.json'))?.profile,
    'a: b #1.cost.json',
  );
});

test('a JSON scenario stays JSON', () => {
  const json = '{\n  "name": "x",\n  "kernel": "v5.10",\n  "machine": {}\n}\n';
  assert.equal(
    apply(json, 'p.cost.json'),
    '{\n  "name": "x",\n  "kernel": "v5.10",\n  "cost": "p.cost.json",\n  "machine": {}\n}\n',
  );
  assert.equal(
    apply('{"kernel": "v5.10", "cost": "default"}', 'p.cost.json'),
    '{"kernel": "v5.10", "cost": "p.cost.json"}',
  );
  assert.equal(
    apply('{"kernel": "v5.10", "cost": {"overrides": {"pageOp": 3}}}', 'p.cost.json'),
    '{"kernel": "v5.10", "cost": {"overrides": {"pageOp": 3}, "profile": "p.cost.json"}}',
  );
  assert.equal(
    setCostProfile('kernel: v5.10\ncost: [1]\n', 'p.cost.json'),
    undefined,
    'not a cost: it understands',
  );
});

test('the calibrated profile file: only the changed costs, read back by the cost profile parser', () => {
  const scenario = parseScenario(exampleText('calibrate-dl380-devdax-2m')).scenario!;
  const log = importLogText(
    readFileSync(join(ROOT, 'examples', 'calibrate-dl380-devdax-2m.log'), 'utf8'),
  );
  const c = calibrate(scenario, log, { name: 'dl380' });
  const file = calibratedProfileFile(c, 'a.memmap.yaml', 'a.log');
  assert.deepEqual(Object.keys(file.costs).sort(), [
    'pageInitCpuPageblock',
    'pageblockInit',
    'structPageStorePmem',
  ]);
  const { profile } = parseCostProfile(JSON.stringify(file), 'dl380.cost.json');
  assert.deepEqual(profile?.costs, { ...DEFAULT_COSTS, ...file.costs });
  assert.equal(file.calibration.observations.length, 4);
});
