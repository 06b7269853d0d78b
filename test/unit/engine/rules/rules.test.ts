import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, exampleText, run, scenario } from '../../helpers';
import { RULES } from '../../../../src/engine/rules';
import { analyse } from '../../../../src/engine/analyse';

const PMEM = 16 * 2 ** 30;
const ns = (extra: string) => `{ name: pmem0, node: 0, mode: fsdax, ${extra} }`;
const probe = ['boot', 'probe: [pmem0]'];

/** For each rule: a scenario that fires it and a near-identical one that does not. */
const CASES: Record<string, { fires: string; quiet: string }> = {
  'misaligned-subsection': {
    fires: scenario({
      devices: [
        `{ name: pmem0, type: generic, ranges: [{ start: ${PMEM + 2 ** 20}, size: 4MiB }] }`,
      ],
      steps: probe,
    }),
    quiet: scenario({
      devices: [
        `{ name: pmem0, type: generic, ranges: [{ start: ${PMEM + 2 ** 21}, size: 4MiB }] }`,
      ],
      steps: probe,
    }),
  },
  'section-padding': {
    fires: exampleText('namespaces-sharing-a-section'),
    quiet: exampleText('namespaces-sharing-a-section').replace('kernel: v4.20', 'kernel: v5.3'),
  },
  'section-conflict': {
    fires: scenario({
      kernel: 'v4.20',
      devices: [
        `{ name: a, type: generic, ranges: [{ start: ${PMEM}, size: 64MiB }] }`,
        `{ name: pmem0, type: generic, ranges: [{ start: ${PMEM + 2 ** 26}, size: 64MiB }] }`,
      ],
      steps: ['boot', 'probe: [a]', 'probe: [pmem0]'],
    }),
    quiet: scenario({
      kernel: 'v5.3',
      devices: [
        `{ name: a, type: generic, ranges: [{ start: ${PMEM}, size: 64MiB }] }`,
        `{ name: pmem0, type: generic, ranges: [{ start: ${PMEM + 2 ** 26}, size: 64MiB }] }`,
      ],
      steps: ['boot', 'probe: [a]', 'probe: [pmem0]'],
    }),
  },
  'mixed-region': {
    fires: scenario({
      devices: [
        `{ name: pmem0, type: generic, ranges: [{ start: ${PMEM - 2 ** 21}, size: 4MiB }] }`,
      ],
      steps: probe,
    }),
    quiet: scenario({
      devices: [`{ name: pmem0, type: generic, ranges: [{ start: ${PMEM}, size: 4MiB }] }`],
      steps: probe,
    }),
  },
  'range-overlap': {
    fires: scenario({
      devices: [
        ns('size: 1GiB'),
        `{ name: b, node: 0, mode: fsdax, start: ${PMEM + 2 ** 29}, size: 1GiB }`,
      ],
    }),
    quiet: scenario({
      devices: [
        ns('size: 1GiB'),
        `{ name: b, node: 0, mode: fsdax, start: ${PMEM + 2 ** 30}, size: 1GiB }`,
      ],
    }),
  },
  'namespace-misaligned': {
    fires: scenario({ devices: [ns(`start: ${PMEM + 2 ** 20}, size: 1GiB`)], steps: probe }),
    quiet: scenario({ devices: [ns(`start: ${PMEM + 2 ** 21}, size: 1GiB`)], steps: probe }),
  },
  'namespace-align-unsatisfiable': {
    fires: scenario({
      devices: [ns('size: 512MiB, align: 1GiB, mode: devdax')],
      steps: probe,
    }).replace('mode: fsdax, ', ''),
    quiet: scenario({
      devices: [ns('size: 4GiB, align: 1GiB, mode: devdax')],
      steps: probe,
    }).replace('mode: fsdax, ', ''),
  },
  'struct-page-too-big': {
    fires: scenario({
      devices: [ns('map: dev, size: 1GiB')],
      steps: probe,
      machine: ['struct_page_size: 80'],
    }),
    quiet: scenario({
      devices: [ns('map: mem, size: 1GiB')],
      steps: probe,
      machine: ['struct_page_size: 80'],
    }),
  },
  'leaked-pgmap-ref': {
    fires: scenario({
      devices: [ns('size: 1GiB')],
      steps: [...probe, 'get_dev_pagemap: { device: pmem0, pfn: +0, count: 1 }', 'remove: pmem0'],
    }),
    quiet: scenario({
      devices: [ns('size: 1GiB')],
      steps: [
        ...probe,
        'get_dev_pagemap: { device: pmem0, pfn: +0, count: 1 }',
        'put_dev_pagemap: { device: pmem0 }',
        'remove: pmem0',
      ],
    }),
  },
  'pgmap-ref-underflow': {
    fires: exampleText('missing-ref-regression'),
    quiet: exampleText('missing-ref-regression').replace(
      'kernel: v4.20-missing-ref',
      'kernel: v4.20',
    ),
  },
  'vmemmap-opt-unsupported': {
    fires: exampleText('compound-devdax'),
    quiet: exampleText('compound-devdax').replace('kernel: v5.19', 'kernel: v6.4'),
  },
  'vmemmap-opt-disabled': {
    fires: scenario({
      kernel: 'v6.4',
      devices: ['{ name: pmem0, node: 0, mode: devdax, map: dev, size: 1GiB }'],
      steps: probe,
    }),
    quiet: scenario({
      kernel: 'v6.4',
      devices: ['{ name: pmem0, node: 0, mode: devdax, map: mem, size: 1GiB }'],
      steps: probe,
    }),
  },
  'zero-refcount-get-page': {
    fires: exampleText('refcount-zero-get-page'),
    quiet: exampleText('refcount-zero-get-page').replace(
      ', features: { fsdaxRefcountBase: 0 }',
      '',
    ),
  },
  'long-hotplug-lock-hold': {
    fires: exampleText('three-tib-per-node').replace('kernel: v4.20', 'kernel: v4.18'),
    quiet: exampleText('three-tib-per-node'),
  },
  'devdax-align': {
    fires: scenario({
      devices: ['{ name: pmem0, node: 0, mode: devdax, map: mem, size: 1GiB, align: 64KiB }'],
      steps: probe,
    }),
    quiet: scenario({
      devices: ['{ name: pmem0, node: 0, mode: devdax, map: mem, size: 1GiB, align: 4KiB }'],
      steps: probe,
    }),
  },
  'reserved-dax-pages': {
    fires: scenario({ devices: [ns('size: 1GiB')], steps: probe }),
    quiet: scenario({
      kernel: '{ preset: v5.10, features: { devicePagesReserved: false } }',
      devices: [ns('size: 1GiB')],
      steps: probe,
    }),
  },
  'section-already-deactivated': {
    fires: scenario({ steps: ['boot', 'remove_memory: { start: 0x1000000000, size: 128MiB }'] }),
    quiet: scenario({
      steps: [
        'boot',
        'add_memory: { node: 0, start: 0x1000000000, size: 128MiB }',
        'remove_memory: { start: 0x1000000000, size: 128MiB }',
      ],
    }),
  },
  'misaligned-memory-block': {
    fires: scenario({
      steps: ['boot', 'add_memory: { node: 0, start: 0x1000000000, size: 64MiB }'],
    }),
    quiet: scenario({
      steps: ['boot', 'add_memory: { node: 0, start: 0x1000000000, size: 128MiB }'],
    }),
  },
  'memory-still-online': {
    fires: scenario({
      steps: [
        'boot',
        'add_memory: { node: 0, start: 0x1000000000, size: 128MiB }',
        'online: { start: 0x1000000000, size: 128MiB }',
        'remove_memory: { start: 0x1000000000, size: 128MiB }',
      ],
    }),
    quiet: scenario({
      steps: [
        'boot',
        'add_memory: { node: 0, start: 0x1000000000, size: 128MiB }',
        'online: { start: 0x1000000000, size: 128MiB }',
        'offline: { start: 0x1000000000, size: 128MiB }',
        'remove_memory: { start: 0x1000000000, size: 128MiB }',
      ],
    }),
  },
  'memory-offline-failed': {
    fires: scenario({
      steps: [
        'boot',
        'add_memory: { node: 0, start: 0x1000000000, size: 128MiB }',
        'online: { start: 0x1000000000, size: 128MiB, zone: normal }',
        'alloc_pages: { pfn: 0x1000010, gfp: GFP_KERNEL }',
        'offline: { start: 0x1000000000, size: 128MiB }',
      ],
    }),
    quiet: scenario({
      steps: [
        'boot',
        'add_memory: { node: 0, start: 0x1000000000, size: 128MiB }',
        'online: { start: 0x1000000000, size: 128MiB, zone: normal }',
        'alloc_pages: { pfn: 0x1000010, gfp: GFP_HIGHUSER_MOVABLE }',
        'offline: { start: 0x1000000000, size: 128MiB }',
      ],
    }),
  },
  'memmap-on-memory-unused': {
    fires: scenario({
      kernel: 'v6.1',
      steps: [
        'boot',
        'add_memory: { node: 0, start: 0x1000000000, size: 256MiB, memmap_on_memory: true }',
      ],
    }),
    quiet: scenario({
      kernel: 'v6.1',
      steps: [
        'boot',
        'add_memory: { node: 0, start: 0x1000000000, size: 128MiB, memmap_on_memory: true }',
      ],
    }),
  },
  'invalid-step': {
    fires: scenario({ devices: [ns('size: 1GiB')], steps: ['boot', 'remove: pmem0'] }),
    quiet: scenario({ devices: [ns('size: 1GiB')], steps: [...probe, 'remove: pmem0'] }),
  },
  'invalid-altmap': {
    fires: scenario({
      kernel: 'v4.20',
      devices: [ns(`map: dev, start: ${PMEM + 2 ** 20}, size: 1GiB`)],
      steps: probe,
    }),
    quiet: scenario({
      kernel: 'v4.20',
      devices: [ns(`map: dev, start: ${PMEM}, size: 1GiB`)],
      steps: probe,
    }),
  },
  'hung-task': {
    fires: exampleText('missing-ref-regression'),
    quiet: exampleText('missing-ref-regression').replace(
      'kernel: v4.20-missing-ref',
      'kernel: v4.20',
    ),
  },
  'probe-failed': {
    // The second device on RAM: its WARN_ONCE fired already, so the driver's own line is all the kernel says.
    fires: scenario({
      devices: [
        `{ name: a, type: generic, ranges: [{ start: ${PMEM - 2 ** 21}, size: 4MiB }] }`,
        `{ name: pmem0, type: generic, ranges: [{ start: ${PMEM - 6 * 2 ** 20}, size: 4MiB }] }`,
      ],
      steps: ['boot', 'probe: [a]', 'probe: [pmem0]'],
    }),
    quiet: scenario({
      devices: [
        `{ name: a, type: generic, ranges: [{ start: ${PMEM}, size: 4MiB }] }`,
        `{ name: pmem0, type: generic, ranges: [{ start: ${PMEM + 4 * 2 ** 20}, size: 4MiB }] }`,
      ],
      steps: ['boot', 'probe: [a]', 'probe: [pmem0]'],
    }),
  },
  'pfn-out-of-range': {
    fires: scenario({
      devices: [ns('size: 1GiB')],
      steps: [...probe, 'map: { device: pmem0, pfn: +0x3ee00, pages: 1 }'],
    }),
    quiet: scenario({
      devices: [ns('size: 1GiB')],
      steps: [...probe, 'map: { device: pmem0, pfn: +0x3edff, pages: 1 }'],
    }),
  },
  'expect-failed': {
    fires: scenario({
      devices: [ns('size: 1GiB')],
      steps: probe,
      expect: ['diagnostic: leaked-pgmap-ref'],
    }),
    quiet: scenario({
      devices: [ns('size: 1GiB')],
      steps: probe,
      expect: ['no-diagnostic: leaked-pgmap-ref'],
    }),
  },
  'binary-size-unit': {
    fires: scenario({ nodes: ['{ ram: 16G, cpus: 4 }'] }),
    quiet: scenario({ nodes: ['{ ram: 16GiB, cpus: 4 }'] }),
  },
  'scenario-schema': {
    fires: scenario({ devices: ['{ name: pmem0, node: 3, mode: fsdax }'] }),
    quiet: scenario({ devices: ['{ name: pmem0, node: 0, mode: fsdax }'] }),
  },
  'scenario-syntax': { fires: 'name: [unclosed\n', quiet: scenario({}) },
};

for (const [code, { fires, quiet }] of Object.entries(CASES)) {
  test(`${code}: fires on the mistake, quiet on the fix`, () => {
    const bad = analyse(fires);
    assert.ok(
      bad.diagnostics.some((d) => d.code === code),
      `${code} should fire; got ${bad.diagnostics.map((d) => `${d.code}: ${d.message}`).join(' | ')}`,
    );
    const good = analyse(quiet);
    assert.ok(
      !good.diagnostics.some((d) => d.code === code),
      `${code} should not fire; got ${good.diagnostics
        .filter((d) => d.code === code)
        .map((d) => d.message)
        .join(' | ')}`,
    );
    for (const d of bad.diagnostics.filter((x) => x.code === code)) {
      assert.ok(
        d.span.line >= 1 && d.span.line <= fires.split('\n').length,
        'points at a line of the scenario',
      );
    }
  });
}

test('every rule has a fire/quiet case (except altmap-leak, tested below)', () => {
  const missing = RULES.map((r) => r.code).filter((c) => !(c in CASES) && c !== 'altmap-leak');
  assert.deepEqual(missing, []);
});

test('altmap-leak never fires on a balanced probe/remove', () => {
  assert.ok(!codes(run(exampleText('three-tib-per-node'))).includes('altmap-leak'));
});

test('a failed probe is one error at its cause, in the kernel words; what it stopped is related, expectations say why', () => {
  const text = scenario({
    kernel: 'v4.20',
    devices: [ns(`map: dev, start: ${PMEM + 2 ** 20}, size: 1GiB`)],
    steps: [
      ...probe,
      'get_dev_pagemap: { device: pmem0, pfn: +0, count: 1 }',
      'put_dev_pagemap: { device: pmem0 }',
      'remove: pmem0',
    ],
    expect: ['time: { device: pmem0, below: 1s }'],
  });
  const a = analyse(text);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(
    errors.map((d) => d.code),
    ['invalid-altmap', 'expect-failed'],
  );
  const [cause, expectation] = errors;
  assert.equal(cause.message, 'memory add fail, invalid altmap (pmem0: probe failed)');
  assert.equal(cause.span.line, text.split('\n').findIndex((l) => l.includes('name: pmem0')) + 1);
  assert.deepEqual(
    cause.related?.map((r) => r.message),
    [
      'pfn0.0: probe failed: devm_memremap_pages returned -22',
      "get_dev_pagemap did not run: device 'pmem0' is not probed (its state is failed)",
      "put_dev_pagemap did not run: device 'pmem0' is not probed (its state is failed)",
      "remove did not run: device 'pmem0' is not probed (its state is failed)",
    ],
  );
  assert.equal(
    expectation.message,
    'pmem0 init has no time: pmem0 did not probe: memory add fail, invalid altmap',
  );
  assert.ok(!a.expectations[0].pass);
});

test('a time expectation about a device no step probed fails', () => {
  const a = analyse(
    scenario({
      devices: [ns('size: 1GiB')],
      steps: ['boot'],
      expect: ['time: { device: pmem0, below: 1s }'],
    }),
  );
  assert.equal(
    a.expectations[0].message,
    'pmem0 init has no time: pmem0 was not probed in this run',
  );
});

test('an unknown device in a step is one error at the name, with the nearest name', () => {
  const text = scenario({
    devices: [ns('size: 1GiB'), '{ name: dax1, node: 0, mode: devdax, size: 1GiB }'],
    steps: [
      'boot',
      'probe: [pmem0, pmem2]',
      'get_dev_pagemap: { device: pmem0, pfn: +0, count: 1 }',
      'put_dev_pagemap: { device: pmem0 }',
      'remove: pmem0',
    ],
  });
  const a = analyse(text);
  assert.deepEqual(
    a.diagnostics.map((d) => d.message),
    ["no device named 'pmem2'; did you mean 'pmem0'?"],
  );
  assert.equal(a.diagnostics[0].suggestion, 'pmem0');
  assert.equal(text.slice(a.diagnostics[0].span.offset, a.diagnostics[0].span.endOffset), 'pmem2');
  const far = analyse(
    scenario({
      devices: [ns('size: 1GiB')],
      steps: ['boot', 'map: { device: gpu7, pfn: +0, pages: 1 }'],
    }),
  );
  assert.deepEqual(
    far.diagnostics.map((d) => d.message),
    ["no device named 'gpu7'; the devices are pmem0"],
  );
  const expectation = analyse(
    scenario({
      devices: [ns('size: 1GiB')],
      steps: probe,
      expect: ['time: { device: pmem9, below: 1s }'],
    }),
  );
  assert.deepEqual(
    expectation.diagnostics.map((d) => [d.message, d.suggestion]),
    [["no device named 'pmem9'; did you mean 'pmem0'?", 'pmem0']],
  );
});

test('4 500 steps stopped by one failed probe: one error, its consequences related, in linear time', () => {
  const failing = (n: number) => {
    const steps = [...probe, ...Array.from({ length: n }, () => 'map: { device: pmem0, pfn: +1 }')];
    const t0 = performance.now();
    const a = analyse(scenario({ devices: [ns(`start: ${PMEM + 2 ** 20}, size: 1GiB`)], steps }));
    return { a, ms: performance.now() - t0 };
  };
  const small = failing(450);
  const { a, ms } = failing(4_500);
  assert.deepEqual(
    a.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.related?.length]),
    [['namespace-misaligned', 4_501]],
  );
  // Ten times the steps, about ten times as long (a quadratic cost takes a hundred), side by side.
  assert.ok(ms < 30 * small.ms + 2_000, `${ms} ms for 4 500 steps, ${small.ms} ms for 450`);
});

test('options.quiet hides an info the author has read; expectations still see it; an error or unknown code cannot be quieted', () => {
  const text = (quiet: string) =>
    scenario({
      devices: [ns('size: 1GiB')],
      steps: probe,
      expect: ['diagnostic: reserved-dax-pages'],
      options: [`quiet: [${quiet}]`],
    });
  const hidden = run(text('reserved-dax-pages'));
  assert.ok(!codes(hidden).includes('reserved-dax-pages'));
  assert.ok(
    hidden.expectations.every((e) => e.pass),
    'the expectation still sees the finding',
  );
  assert.ok(
    codes(run(scenario({ devices: [ns('size: 1GiB')], steps: probe }))).includes(
      'reserved-dax-pages',
    ),
    'shown without options.quiet',
  );
  const refused = run(text('leaked-pgmap-ref, reserved-dax-pagez'));
  assert.deepEqual(
    refused.diagnostics.filter((d) => d.code === 'scenario-schema').map((d) => d.message),
    [
      'options.quiet: leaked-pgmap-ref is an error (the kernel failing): it cannot be quieted',
      "options.quiet: no diagnostic code 'reserved-dax-pagez'",
    ],
  );
});
