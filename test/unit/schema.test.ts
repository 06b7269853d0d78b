import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ARCH_PRESETS } from '../../src/engine/arch/presets';
import { COST_DOCS } from '../../src/engine/cost/profile';
import { FEATURE_VALUES } from '../../src/engine/kernel/features';
import { KERNEL_PRESETS } from '../../src/engine/kernel/presets';
import { RULES } from '../../src/engine/rules';
import { parseScenario } from '../../src/engine/parse/parseScenario';
import { STEP_OPS, STEPS } from '../../src/engine/steps';
import { validate, type Schema } from './schemaCheck';
import { ROOT } from './helpers';

// One schema for YAML and JSON scenarios; the parser is the truth, this test keeps them in step.
const schema = JSON.parse(
  readFileSync(join(ROOT, 'schemas', 'scenario.schema.json'), 'utf8'),
) as Schema;
const defs = schema.definitions as Record<string, Schema>;
const props = (s: Schema) => Object.keys((s.properties ?? {}) as object).sort();
const at = (s: Schema, ...path: string[]): Schema =>
  path.reduce((x, k) => (x as Record<string, Schema>)[k], s as Schema);

/** The keys the parser accepts at `path`, from its "unknown key … expected one of …" message. */
function parserKeys(base: Record<string, unknown>, path: (string | number)[]): string[] {
  const copy = structuredClone(base);
  const target = path.reduce<Record<string, unknown>>(
    (o, k) => o[k] as Record<string, unknown>,
    copy,
  );
  target.zzzzzzzzzzzzzzzzzzzz = 1;
  const problem = parseScenario(JSON.stringify(copy)).problems.find((p) =>
    p.message.includes("'zzzzzzzzzzzzzzzzzzzz'"),
  );
  assert.ok(problem, `no unknown-key problem at ${path.join('.')}`);
  return /expected one of (.*)$/.exec(problem.message)![1].split(', ').sort();
}

const base = {
  name: 'probe',
  arch: 'x86_64',
  kernel: { preset: 'v5.10', features: {} },
  cost: { profile: 'default', overrides: {} },
  machine: {
    nodes: [{ ram: '1GiB', cpus: 1, pmem: '1GiB' }],
    ram: [{ node: 0, start: 0, size: '1GiB' }],
    struct_page_size: 64,
  },
  devices: [
    { name: 'ns', mode: 'fsdax' },
    { name: 'pg', type: 'private', ranges: [{ start: '0x100000000', size: '2MiB' }] },
  ],
  steps: [
    'boot',
    { get_dev_pagemap: { device: 'ns', pfn: '+0' } },
    { put_dev_pagemap: { device: 'ns' } },
    { map: { device: 'ns', pfn: '+0' } },
    { get_page: { pfn: 1 } },
    { add_memory: { node: 0, start: 0, size: 1 } },
    { online: { start: 0, size: 1 } },
    { offline: { start: 0, size: 1 } },
    { alloc_pages: { pfn: 1, gfp: 'GFP_KERNEL' } },
    { reconfigure: { device: 'ns', mode: 'system-ram' } },
  ],
  expect: [{ lock: { name: 'x' } }, { page: { pfn: 1 } }, { time: {} }],
  options: {},
};

test('the schema names every key the parser accepts, and no other', () => {
  const steps = defs.step.anyOf as Schema[];
  const stepArgs = (op: string) =>
    props(
      at(
        steps.find((s) => (s.required as string[] | undefined)?.[0] === op)!,
        'properties',
        op,
      ),
    );
  const expects = defs.expectation.anyOf as Schema[];
  const expectArgs = (kind: string) =>
    props(
      at(
        expects.find((s) => (s.required as string[])[0] === kind)!,
        'properties',
        kind,
      ),
    );
  const cases: [string, (string | number)[], string[]][] = [
    ['top', [], props(schema)],
    ['kernel', ['kernel'], props((at(schema, 'properties', 'kernel').anyOf as Schema[])[1])],
    [
      'kernel features',
      ['kernel', 'features'],
      props(
        at((at(schema, 'properties', 'kernel').anyOf as Schema[])[1], 'properties', 'features'),
      ),
    ],
    ['cost', ['cost'], props((at(schema, 'properties', 'cost').anyOf as Schema[])[1])],
    [
      'cost overrides',
      ['cost', 'overrides'],
      props(at((at(schema, 'properties', 'cost').anyOf as Schema[])[1], 'properties', 'overrides')),
    ],
    ['machine', ['machine'], props(at(schema, 'properties', 'machine'))],
    [
      'node',
      ['machine', 'nodes', 0],
      props(at(schema, 'properties', 'machine', 'properties', 'nodes', 'items')),
    ],
    ['placed range', ['machine', 'ram', 0], props(defs.placedRange)],
    ['device', ['devices', 0], props(defs.device)],
    [
      'pgmap range',
      ['devices', 1, 'ranges', 0],
      props(at(defs.device, 'properties', 'ranges', 'items')),
    ],
    ['get_dev_pagemap', ['steps', 1, 'get_dev_pagemap'], stepArgs('get_dev_pagemap')],
    ['put_dev_pagemap', ['steps', 2, 'put_dev_pagemap'], stepArgs('put_dev_pagemap')],
    ['map', ['steps', 3, 'map'], stepArgs('map')],
    ['get_page', ['steps', 4, 'get_page'], stepArgs('get_page')],
    ['add_memory', ['steps', 5, 'add_memory'], stepArgs('add_memory')],
    ['online', ['steps', 6, 'online'], stepArgs('online')],
    ['offline', ['steps', 7, 'offline'], stepArgs('offline')],
    ['alloc_pages', ['steps', 8, 'alloc_pages'], stepArgs('alloc_pages')],
    ['reconfigure', ['steps', 9, 'reconfigure'], stepArgs('reconfigure')],
    ['lock expectation', ['expect', 0, 'lock'], expectArgs('lock')],
    ['page expectation', ['expect', 1, 'page'], expectArgs('page')],
    ['time expectation', ['expect', 2, 'time'], expectArgs('time')],
    ['options', ['options'], props(at(schema, 'properties', 'options'))],
  ];
  for (const [what, path, keys] of cases) assert.deepEqual(keys, parserKeys(base, path), what);
  // Every op that takes a mapping, from its module in the step registry.
  for (const op of STEP_OPS.filter((o) => STEPS[o].keys.length))
    assert.deepEqual(stepArgs(op), [...STEPS[op].keys].sort(), op);
});

test('the schema enumerates the engine: presets, arches, codes, step ops, features, costs', () => {
  assert.deepEqual(
    (defs.preset.anyOf as Schema[])[0].enum,
    KERNEL_PRESETS.map((k) => k.name),
  );
  assert.deepEqual(
    at(schema, 'properties', 'arch').enum,
    ARCH_PRESETS.map((a) => a.name),
  );
  assert.deepEqual(
    defs.code.enum,
    RULES.map((r) => r.code),
  );
  const ops = (defs.step.anyOf as Schema[]).flatMap((s) =>
    s.const ? [s.const] : (s.required as string[]),
  );
  assert.deepEqual([...new Set(ops)].sort(), [...STEP_OPS].sort());
  const features = at(
    (at(schema, 'properties', 'kernel').anyOf as Schema[])[1],
    'properties',
    'features',
    'properties',
  ) as Record<string, Schema>;
  for (const [name, values] of Object.entries(FEATURE_VALUES)) {
    assert.deepEqual(
      values === 'string' ? features[name].type : features[name].enum,
      values === 'string' ? 'string' : values,
      name,
    );
  }
  assert.deepEqual(
    props(at((at(schema, 'properties', 'cost').anyOf as Schema[])[1], 'properties', 'overrides')),
    Object.keys(COST_DOCS).sort(),
  );
});

const scenarioFiles = [
  ...readdirSync(join(ROOT, 'examples')).map((f) => join(ROOT, 'examples', f)),
  ...readdirSync(join(ROOT, 'test', 'fixtures', 'workspace')).map((f) =>
    join(ROOT, 'test', 'fixtures', 'workspace', f),
  ),
].filter((f) => /\.memmap\.(yaml|json)$/.test(f));

test('every example and fixture the parser accepts satisfies the schema; the ones it rejects do not', () => {
  assert.ok(scenarioFiles.length > 0);
  for (const file of scenarioFiles) {
    const text = readFileSync(file, 'utf8');
    const parserOk = !parseScenario(text).problems.some((p) => p.severity === 'error');
    const errors = validate(schema, parse(text));
    assert.equal(
      errors.length === 0,
      parserOk,
      `${file}: parser ${parserOk ? 'accepts' : 'rejects'} it, schema says ${errors.join('; ') || 'ok'}`,
    );
  }
});

test('the schema catches what the parser catches: unknown keys, presets, a namespace with ranges', () => {
  const bad = (patch: (s: typeof base) => void) => {
    const copy = structuredClone(base);
    patch(copy);
    return validate(schema, copy);
  };
  assert.deepEqual(validate(schema, base), []);
  assert.match(bad((s) => Object.assign(s, { kernle: 'v5.10' })).join(), /unknown key 'kernle'/);
  assert.ok(bad((s) => (s.kernel.preset = 'v5.1O')).length > 0);
  assert.ok(bad((s) => Object.assign(s.devices[0], { ranges: [] })).length > 0);
  assert.ok(bad((s) => (s.steps[1] = { get_dev_pagemap: { pfn: 1 } } as never)).length > 0);
});
