import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../../../../src/engine/parse/parseScenario';
import { LIMITS } from '../../../../src/engine/scenario/limits';
import { exampleText, scenario } from '../../helpers';
import { GiB, MiB, TiB, parseSize } from '../../../../src/engine/units';

test('the example scenarios parse without problems', () => {
  for (const name of [
    'three-tib-per-node',
    'missing-ref-regression',
    'namespaces-sharing-a-section',
    'compound-devdax',
    'refcount-zero-get-page',
    'cxl-ram-hotplug',
    'eight-nodes-3tib',
  ]) {
    const { scenario: s, problems } = parseScenario(exampleText(name));
    assert.deepEqual(problems, [], name);
    assert.ok(s, name);
  }
});

test('sizes take binary units, K/M/G/T meaning the same, and hex', () => {
  assert.equal(parseSize('3TiB'), 3 * TiB);
  assert.equal(parseSize('16G'), 16 * GiB);
  assert.equal(parseSize('2MiB'), 2 * MiB);
  assert.equal(parseSize('2M'), 2 * MiB);
  assert.equal(parseSize('0x6000000000'), 0x6000000000);
  assert.equal(parseSize('4096'), 4096);
  assert.equal(parseSize('1.5GiB'), 1.5 * GiB);
  assert.equal(parseSize('3 parsecs'), undefined);
});

test('positions: every device, step and expectation knows its line', () => {
  const { scenario: s } = parseScenario(exampleText('three-tib-per-node'));
  const text = exampleText('three-tib-per-node').split('\n');
  const pmem1 = s!.devices[1];
  assert.match(text[pmem1.span.line - 1], /name: pmem1/);
  const remove = s!.steps.find((st) => st.op === 'remove')!;
  assert.match(text[remove.span.line - 1], /- remove:/);
  assert.match(text[s!.expect[0].span.line - 1], /no-diagnostic: leaked-pgmap-ref/);
  assert.equal(
    s!.devices[0].fields.align &&
      text[s!.devices[0].fields.align.line - 1].slice(
        s!.devices[0].fields.align.column - 1,
        s!.devices[0].fields.align.endColumn - 1,
      ),
    '2MiB',
  );
});

test('an unknown key names the nearest known key, at the key', () => {
  const text = scenario({ devices: ['{ name: pmem0, node: 0, mode: fsdax, aling: 2MiB }'] });
  const { problems } = parseScenario(text);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].code, 'scenario-schema');
  assert.match(problems[0].message, /unknown key 'aling'.*did you mean 'align'/);
  assert.equal(problems[0].suggestion, 'align');
  const line = text.split('\n')[problems[0].span.line - 1];
  assert.equal(line.slice(problems[0].span.column - 1, problems[0].span.endColumn - 1), 'aling');
});

test('an unknown kernel lists the presets and suggests the nearest', () => {
  const { problems } = parseScenario(scenario({ kernel: 'v4.2O' }));
  assert.equal(problems[0].code, 'scenario-schema');
  assert.match(
    problems[0].message,
    /unknown kernel 'v4.2O'; did you mean 'v4.20'\?; expected a release \(e\.g\. 6\.12, v5\.14, 6\.1\.0-56-amd64\) or one of v4.18, v4.20/,
  );
  assert.equal(problems[0].suggestion, 'v4.20');
});

test('any modelled release is a kernel, as uname -r prints it; 4.20 stays 4.20 in YAML', () => {
  for (const kernel of [
    'v6.12',
    '6.12',
    'v6.8.9',
    '6.1.0-56-amd64',
    '6.12.38+deb12-amd64',
    '4.20',
  ]) {
    const { scenario: s, problems } = parseScenario(scenario({ kernel }));
    assert.deepEqual(
      problems.filter((p) => p.severity === 'error'),
      [],
      kernel,
    );
    assert.equal(s?.kernel.name, kernel);
  }
});

test('a release out of range says so and suggests the nearest by version', () => {
  const near = (kernel: string) => parseScenario(scenario({ kernel })).problems[0];
  assert.match(near('v4.21').message, /there is no Linux release 4\.21; did you mean 'v4\.20'\?/);
  assert.equal(near('6.30').suggestion, 'v6.18');
  assert.match(near('6.30').message, /v6\.30 is newer than the last release modelled \(v6\.18\)/);
  assert.match(near('4.14').message, /v4\.14 is older than the first release modelled \(v4\.18\)/);
  // Real releases of the older lines (a 2013 Ubuntu boot log names 3.8.0-29-generic) are too old, not unknown.
  for (const old of ['3.8.0-29-generic', '2.6.32', 'v3.19'])
    assert.match(near(old).message, /is older than the first release modelled \(v4\.18\)/, old);
  assert.match(near('3.20').message, /there is no Linux release 3\.20/);
});

test('feature overrides are checked against their allowed values', () => {
  const ok = parseScenario(
    scenario({ kernel: '{ preset: v4.20, features: { hotplugLock: range } }' }),
  );
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.scenario!.kernel.overrides.hotplugLock, 'range');
  const bad = parseScenario(
    scenario({ kernel: '{ preset: v4.20, features: { hotplugLock: sometimes } }' }),
  );
  assert.match(
    bad.problems[0].message,
    /feature hotplugLock must be one of global, rwsem-init-read, range/,
  );
});

test('cost overrides are numbers: blank, ~, true and "" are errors, not 0 or 1 ns', () => {
  const text = exampleText('three-tib-per-node');
  const withOverride = (value: string) =>
    parseScenario(
      text.replace('cost: default', `cost:\n  overrides:\n    structPageStorePmem:${value}`),
    );
  assert.deepEqual(withOverride(' 30').scenario!.cost.overrides, { structPageStorePmem: 30 });
  for (const value of ['', ' ~', ' true', ' ""', ' null', ' 1e999', ' -1']) {
    const { problems } = withOverride(value);
    assert.ok(
      problems.some(
        (p) =>
          p.severity === 'error' &&
          p.message === 'cost structPageStorePmem must be a non-negative number of nanoseconds',
      ),
      `'${value}'`,
    );
  }
});

test('YAML syntax errors are positioned scenario-syntax problems, not exceptions', () => {
  const { scenario: s, problems } = parseScenario('name: x\narch: [x86_64\nkernel: v4.20\n');
  assert.equal(s, undefined);
  assert.equal(problems[0].code, 'scenario-syntax');
  assert.ok(problems[0].span.line >= 2);
});

test('JSON scenarios parse with the same positions', () => {
  const json = JSON.stringify(
    {
      name: 'j',
      arch: 'x86_64',
      kernel: 'v6.4',
      machine: { nodes: [{ ram: '8GiB', cpus: 2, pmem: '8GiB' }] },
      devices: [{ name: 'pmem0', node: 0, mode: 'fsdax', map: 'mem', size: '1GiB' }],
      steps: ['boot', { probe: ['pmem0'] }],
    },
    null,
    2,
  );
  const { scenario: s, problems } = parseScenario(json);
  assert.deepEqual(problems, []);
  const d = s!.devices[0];
  assert.equal(d.kind === 'namespace' && d.size, GiB);
  assert.match(json.split('\n')[s!.devices[0].span.line - 1], /\{|"name": "pmem0"/);
});

test('absurd sizes and step counts are refused with a clear message', () => {
  const huge = parseScenario(scenario({ nodes: ['{ ram: 16GiB, pmem: 9PiB }'] }));
  assert.match(huge.problems[0].message, /beyond the 52-bit physical address space/);
  const many = parseScenario(
    scenario({ steps: Array.from({ length: LIMITS.steps + 1 }, () => 'boot') }),
  );
  assert.match(
    many.problems[0].message,
    new RegExp(`${LIMITS.steps + 1} steps; the limit is ${LIMITS.steps}`),
  );
});

test('pfn references: +offset needs a device', () => {
  const { problems } = parseScenario(scenario({ steps: ['boot', 'get_page: { pfn: +0x10 }'] }));
  assert.match(problems[0].message, /'\+offset' pfn needs a 'device'/);
});

test("a namespace needs a mode, a pgmap device needs ranges, and neither takes the other's keys", () => {
  const { problems } = parseScenario(
    scenario({
      devices: ['{ name: a, node: 0 }', '{ name: b, type: private, size: 1GiB, ranges: [] }'],
    }),
  );
  const messages = problems.map((p) => p.message).join('\n');
  assert.match(messages, /device 'a' \(or give it a 'type'\) needs 'mode'/);
  assert.match(messages, /'size' belongs to namespaces/);
  assert.match(messages, /device 'b' needs at least one range/);
});

test('garbage never throws', () => {
  for (const text of [
    '',
    '---',
    '[]',
    '42',
    '{{{{',
    'a: &x [*x]',
    '\u0000\u0001binary',
    'steps: !!js/function "x"',
  ]) {
    assert.doesNotThrow(() => parseScenario(text));
    assert.ok(parseScenario(text).problems.length > 0, JSON.stringify(text));
  }
});
