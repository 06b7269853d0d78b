import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyse } from '../../../../src/engine/analyse';
import { quickFixes, type QuickFix } from '../../../../src/engine/fixes/quickFixes';
import { getsPast } from '../../../../src/engine/fixes/verify';
import { ROOT } from '../../helpers';

const fixture = (name: string) =>
  readFileSync(join(ROOT, 'test', 'fixtures', 'workspace', name), 'utf8');

function apply(text: string, fix: QuickFix): string {
  const edits = [...fix.edits].sort((a, b) => b.offset - a.offset);
  for (const e of edits) text = text.slice(0, e.offset) + e.newText + text.slice(e.endOffset);
  return text;
}

/** The fixes offered for the first problem with `code`. */
function fixesFor(text: string, code: string): QuickFix[] {
  const a = analyse(text);
  const p = a.diagnostics.find((d) => d.code === code);
  assert.ok(p, `no ${code} in: ${a.diagnostics.map((d) => d.code).join(', ')}`);
  return quickFixes(text, a.scenario, p);
}

const codes = (text: string) => analyse(text).diagnostics.map((d) => d.code);

test('a size written 3TB or 3T is read as binary: a hint says so at the size, its fix writes 3TiB', () => {
  const text = readFileSync(
    join(ROOT, 'examples', 'three-tib-per-node.memmap.yaml'),
    'utf8',
  ).replace('pmem: 3TiB', 'pmem: 3TB');
  const hint = analyse(text).diagnostics.find((d) => d.code === 'binary-size-unit')!;
  assert.equal(hint.severity, 'info');
  assert.equal(
    hint.message,
    "3TB is read as 3 TiB (binary, as the kernel's memparse() reads sizes): write 3TiB to say so",
  );
  assert.equal(text.slice(hint.span.offset, hint.span.endOffset), '3TB');
  const [fix] = fixesFor(text, 'binary-size-unit');
  assert.equal(fix.title, "Replace '3TB' with '3TiB'");
  const fixed = apply(text, fix);
  assert.ok(!codes(fixed).includes('binary-size-unit'));
  assert.equal(
    analyse(fixed).run!.trace.endNs,
    analyse(text).run!.trace.endNs,
    'the same machine either way',
  );
  const json =
    '{ "name": "x", "arch": "x86_64", "kernel": "v5.10", "machine": { "nodes": [{ "ram": "16G" }] } }';
  assert.match(apply(json, fixesFor(json, 'binary-size-unit')[0]), /"ram": "16GiB"/);
});

test('an unknown preset or key is replaced by the suggestion, quotes kept', () => {
  const text = fixture('typo.memmap.yaml');
  const [preset] = fixesFor(text, 'scenario-schema');
  assert.equal(preset.title, "Replace 'v5.1O' with 'v5.10'");
  const once = apply(text, preset);
  assert.match(once, /^kernel: v5\.10$/m);
  const [key] = fixesFor(once, 'scenario-schema');
  assert.equal(key.title, "Replace 'mapp' with 'map'");
  assert.ok(!codes(apply(once, key)).includes('scenario-schema'));
  const json =
    '{ "name": "x", "arch": "x86_64", "kernel": "v5.1O", "machine": { "nodes": [{ "ram": "1GiB" }] } }';
  assert.match(apply(json, fixesFor(json, 'scenario-schema')[0]), /"kernel": "v5\.10"/);
});

test('misaligned-subsection: the pgmap range shrinks inward to 2 MiB and the probe succeeds', () => {
  const text = fixture('misaligned-gpu.memmap.yaml');
  const [fix] = fixesFor(text, 'misaligned-subsection');
  assert.equal(fix.title, 'Align the range to 2 MiB (sub-section)');
  assert.ok(fix.preferred);
  const fixed = apply(text, fix);
  assert.match(fixed, /start: 0x1000200000\n\s+size: 1022MiB/);
  assert.deepEqual(codes(fixed), []);
});

test('namespace-misaligned: the start moves up to the compat alignment, the end stays', () => {
  const text = [
    'name: n',
    'arch: x86_64',
    'kernel: v5.10',
    'machine:',
    '  nodes: [{ ram: 16GiB, cpus: 4 }]',
    '  pmem: [{ node: 0, start: 0x1000000000, size: 64GiB }]',
    'devices:',
    '  - { name: pmem0, mode: fsdax, start: 0x1000100000, size: 1GiB }',
    'steps: [boot, { probe: [pmem0] }]',
    '',
  ].join('\n');
  const [fix] = fixesFor(text, 'namespace-misaligned');
  const fixed = apply(text, fix);
  assert.match(fixed, /start: 0x1000200000, size: 1023MiB/);
  assert.ok(!codes(fixed).includes('namespace-misaligned'));
});

test('leaked-pgmap-ref: the missing put_dev_pagemap is inserted before the remove', () => {
  const text = fixture('leaked-ref.memmap.yaml');
  const [fix] = fixesFor(text, 'leaked-pgmap-ref');
  assert.equal(fix.title, 'Add the missing put_dev_pagemap(pmem0, 4) before this remove');
  const fixed = apply(text, fix);
  assert.match(
    fixed,
    /  - get_dev_pagemap: \{ device: pmem0, pfn: \+0x1000, count: 4 \}\n  - put_dev_pagemap: \{ device: pmem0, count: 4 \}\n  - remove: \[pmem0\]/,
  );
  assert.ok(!codes(fixed).includes('leaked-pgmap-ref'));
});

test('leaked-pgmap-ref in JSON: a JSON step, and an unmap for a map never unmapped', () => {
  const text = JSON.stringify(
    {
      name: 'j',
      arch: 'x86_64',
      kernel: 'v5.10',
      machine: { nodes: [{ ram: '16GiB', cpus: 4, pmem: '16GiB' }] },
      devices: [{ name: 'pmem0', mode: 'fsdax' }],
      steps: [
        'boot',
        { probe: ['pmem0'] },
        { map: { device: 'pmem0', pfn: '+0x10', pages: 2 } },
        { get_dev_pagemap: { device: 'pmem0', pfn: '+0', count: 1 } },
        { remove: ['pmem0'] },
      ],
    },
    null,
    2,
  );
  const [fix] = fixesFor(text, 'leaked-pgmap-ref');
  assert.equal(
    fix.title,
    'Add the missing put_dev_pagemap(pmem0, 1), unmap(pmem0, +0x10, 2) before this remove',
  );
  const fixed = apply(text, fix);
  JSON.parse(fixed);
  assert.ok(!codes(fixed).includes('leaked-pgmap-ref'), codes(fixed).join());
});

test('vmemmap-opt-unsupported on a namespace: map: dev, PAGE_SIZE align, or v6.4', () => {
  const text = fixture('ppc64-hash-devdax.memmap.yaml');
  const fixes = fixesFor(text, 'vmemmap-opt-unsupported');
  assert.deepEqual(
    fixes.map((f) => f.title),
    [
      "Put dax0's memmap on the device (map: dev)",
      'Align dax0 to PAGE_SIZE (align: 64KiB, no compound pages)',
      'Switch the kernel to v6.4 (vmemmap optimisation is arch opt-in)',
    ],
  );
  for (const fix of fixes)
    assert.ok(!codes(apply(text, fix)).includes('vmemmap-opt-unsupported'), fix.title);
  assert.match(apply(text, fixes[0]), /map: dev, align: 16MiB/);
  assert.match(apply(text, fixes[2]), /^kernel: v6\.4$/m);
});

test('vmemmap-opt-unsupported on a raw pgmap (JSON): vmemmap_shift is dropped, the JSON stays valid', () => {
  const text = fixture('gpu-compound.memmap.json');
  const fixes = fixesFor(text, 'vmemmap-opt-unsupported');
  assert.equal(fixes[0].title, 'Drop vmemmap_shift from gpu0 (no compound pages)');
  const dropped = apply(text, fixes[0]);
  assert.equal(JSON.parse(dropped).devices[0].vmemmap_shift, undefined);
  assert.ok(!codes(dropped).includes('vmemmap-opt-unsupported'));
  const switched = apply(text, fixes[1]);
  assert.equal(JSON.parse(switched).kernel.preset, 'v6.4');
});

test('a block-style vmemmap_shift line is removed whole', () => {
  const text = [
    'name: g',
    'arch: ppc64-hash',
    'kernel: v5.19',
    'machine:',
    '  nodes: [{ ram: 16GiB }]',
    'devices:',
    '  - name: gpu0',
    '    type: generic',
    '    vmemmap_shift: 5',
    '    ranges: [{ start: 0x1000000000, size: 1GiB }]',
    'steps: [boot, { probe: gpu0 }]',
    '',
  ].join('\n');
  const fixed = apply(text, fixesFor(text, 'vmemmap-opt-unsupported')[0]);
  assert.ok(fixed.includes('    type: generic\n    ranges:'), fixed);
});

test('no fix is offered where none is obvious', () => {
  const text = fixture('leaked-ref.memmap.yaml');
  const a = analyse(text);
  const info = a.diagnostics.find((d) => d.code === 'reserved-dax-pages')!;
  assert.deepEqual(quickFixes(text, a.scenario, info), []);
});

/** A namespace 1 MiB past a section boundary, `map` as given, under `kernel`. */
const offStart = (kernel: string, map: 'dev' | 'mem') =>
  [
    'name: n',
    'arch: x86_64',
    `kernel: ${kernel}`,
    'machine:',
    '  nodes: [{ ram: 16GiB, cpus: 4 }]',
    '  pmem: [{ node: 0, start: 0x1000000000, size: 64GiB }]',
    'devices:',
    `  - { name: pmem0, mode: fsdax, map: ${map}, start: 0x1000100000, size: 1GiB }`,
    'steps: [boot, { probe: [pmem0] }, { remove: pmem0 }]',
    '',
  ].join('\n');

test('a fix for an error is offered only if a run with it gets past the error', () => {
  // v4.20 with nd_pfn_init()'s check switched on: a 2 MiB start passes it, then __add_pages() refuses the altmap.
  const text = offStart('{ preset: v4.20, features: { compatAlignCheck: true } }', 'dev');
  const a = analyse(text);
  const p = a.diagnostics.find((d) => d.code === 'namespace-misaligned')!;
  const twoMiB = {
    title: 'Align start up to 0x1000200000',
    edits: [
      {
        offset: text.indexOf('0x1000100000'),
        endOffset: text.indexOf('0x1000100000') + 12,
        newText: '0x1000200000',
      },
    ],
  };
  assert.equal(getsPast(text, a.scenario, p, twoMiB, {}), false);
  assert.match(
    analyse(apply(text, twoMiB))
      .diagnostics.map((d) => d.message)
      .join('\n'),
    /memory add fail, invalid altmap/,
  );
  const fixes = quickFixes(text, a.scenario, p);
  assert.deepEqual(
    fixes.map((f) => f.title),
    ['Align start up to 0x1008000000 (128 MiB section: v4.20 hot-adds whole sections)'],
  );
  assert.deepEqual(
    analyse(apply(text, fixes[0])).diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
});

test('the align fix names what the release checks: memremap_compat_align() from v5.7 only, a section before v5.3', () => {
  const title = (kernel: string, map: 'dev' | 'mem', code: string) =>
    fixesFor(offStart(kernel, map), code).map((f) => f.title);
  assert.deepEqual(title('v5.10', 'mem', 'namespace-misaligned'), [
    'Align start up to 0x1000200000 (memremap_compat_align() 2 MiB)',
  ]);
  assert.deepEqual(
    title('{ preset: v4.20, features: { compatAlignCheck: true } }', 'mem', 'namespace-misaligned'),
    ['Align start up to 0x1000200000 (compat alignment 2 MiB)'],
  );
  assert.deepEqual(title('v4.20', 'dev', 'invalid-altmap'), [
    'Align start up to 0x1008000000 (128 MiB section: v4.20 hot-adds whole sections)',
  ]);
});

test('an unknown device in a step: the nearest name is the fix', () => {
  const text = offStart('v5.10', 'mem').replace('{ probe: [pmem0] }', '{ probe: [pmem1] }');
  const [fix] = fixesFor(text, 'scenario-schema');
  assert.equal(fix.title, "Replace 'pmem1' with 'pmem0'");
  assert.ok(apply(text, fix).includes('{ probe: [pmem0] }'));
});

test('a run of another kernel (the default-variant setting) gets fixes sized and named for that kernel', () => {
  const text = offStart('v5.10', 'dev');
  const a = analyse(text, { variant: 'v4.20' });
  const p = a.diagnostics.find((d) => d.code === 'invalid-altmap')!;
  assert.deepEqual(
    quickFixes(text, a.scenario, p, { variant: 'v4.20' }).map((f) => f.title),
    ['Align start up to 0x1008000000 (128 MiB section: v4.20 hot-adds whole sections)'],
  );
});
