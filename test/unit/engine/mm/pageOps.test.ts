import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, exampleText, freedDevdaxPage, run, scenario } from '../../helpers';
import { inspectPfn } from '../../../../src/engine/run/inspect';

const pmem = '{ name: pmem0, node: 0, mode: fsdax, map: dev, size: 1GiB }';

test('seed 002: get_page on a refcount-0 fs-dax page is a VM_BUG; the task dies there', () => {
  const a = run(exampleText('refcount-zero-get-page'));
  assert.ok(codes(a).includes('zero-refcount-get-page'));
  const bug = a.run!.trace.instants.find((i) => i.code === 'zero-refcount-get-page')!;
  // v6.1: get_page() is folio_get() (86d234cb0499), whose check is a VM_BUG_ON_FOLIO.
  assert.ok(
    bug.lines!.includes(
      'page dumped because: VM_BUG_ON_FOLIO(folio_ref_zero_or_close_to_overflow(folio))',
    ),
  );
  assert.deepEqual(
    a.run!.steps.map((s) => s.outcome),
    ['ok', 'ok', 'ok', 'killed', 'not-run', 'not-run'],
  );
  const d = a.diagnostics.find((x) => x.code === 'zero-refcount-get-page')!;
  assert.match(exampleText('refcount-zero-get-page').split('\n')[d.span.line - 1], /get_page:/);
});

test('with fs-dax pages idle at 1, get_page works and put_page brings it back', () => {
  const a = run(
    scenario({
      kernel: 'v6.1',
      devices: [pmem],
      steps: [
        'boot',
        'probe: [pmem0]',
        'map: { device: pmem0, pfn: +0, pages: 512 }',
        'get_page: { device: pmem0, pfn: +0 }',
      ],
    }),
  );
  const pfn = a.run!.devices[0].layout!.dataPfn;
  assert.equal(inspectPfn(a.run!, pfn).refcount, 2);
  assert.equal(inspectPfn(a.run!, pfn, 2).refcount, 1, 'before the get_page step');
  assert.ok(!codes(a).includes('zero-refcount-get-page'));
});

test('an fs-dax mapping holds a pgmap reference per pfn: removing while mapped leaks', () => {
  const leak = run(
    scenario({
      kernel: 'v6.1',
      devices: [pmem],
      steps: [
        'boot',
        'probe: [pmem0]',
        'map: { device: pmem0, pfn: +0, pages: 16 }',
        'remove: pmem0',
      ],
    }),
  );
  assert.ok(codes(leak).includes('leaked-pgmap-ref'));
  assert.match(
    leak.diagnostics.find((d) => d.code === 'leaked-pgmap-ref')!.message,
    /16 reference\(s\) never put/,
  );
  const ok = run(
    scenario({
      kernel: 'v6.1',
      devices: [pmem],
      steps: [
        'boot',
        'probe: [pmem0]',
        'map: { device: pmem0, pfn: +0, pages: 16 }',
        'unmap: { device: pmem0, pfn: +0, pages: 16 }',
        'remove: pmem0',
      ],
    }),
  );
  assert.ok(!codes(ok).includes('leaked-pgmap-ref'));
});

test('refcounted fs-dax folios (latest): a mapping takes a page reference and a mapcount', () => {
  const a = run(
    scenario({
      kernel: 'latest',
      devices: [pmem],
      steps: [
        'boot',
        'probe: [pmem0]',
        'map: { device: pmem0, pfn: +0, pages: 1 }',
        'get_page: { device: pmem0, pfn: +0 }',
      ],
    }),
  );
  const p = inspectPfn(a.run!, a.run!.devices[0].layout!.dataPfn);
  assert.deepEqual([p.refcount, p.mapcount], [2, 1]);
});

test('pre-v5.18 teardown put_page()s every page: a page still held keeps its pgmap ref, teardown hangs', () => {
  const steps = [
    'boot',
    'probe: [pmem0]',
    'get_page: { device: pmem0, pfn: +0x20 }',
    'remove: pmem0',
  ];
  const a = run(scenario({ kernel: 'v5.10', devices: [pmem], steps }));
  assert.ok(codes(a).includes('leaked-pgmap-ref'));
  const b = run(
    scenario({
      kernel: 'v5.10',
      devices: [pmem],
      steps: [...steps.slice(0, 3), 'put_page: { device: pmem0, pfn: +0x20 }', 'remove: pmem0'],
    }),
  );
  assert.ok(!codes(b).includes('leaked-pgmap-ref'));
  assert.equal(b.run!.devices[0].state, 'removed');
});

test('a pfn outside the device is a step error, not a kernel event', () => {
  const a = run(
    scenario({
      devices: [pmem],
      steps: ['boot', 'probe: [pmem0]', 'map: { device: pmem0, pfn: +0x100000, pages: 1 }'],
    }),
  );
  assert.ok(codes(a).includes('pfn-out-of-range'));
  const b = run(
    scenario({
      devices: [pmem],
      steps: ['boot', 'get_dev_pagemap: { device: pmem0, pfn: +0, count: 1 }'],
    }),
  );
  assert.match(
    b.diagnostics.find((d) => d.code === 'invalid-step')!.message,
    /device 'pmem0' is not probed/,
  );
});

test("get_page's VM_BUG and dump_page() in each release's words: f958d7b528b1 (v5.1), 86d234cb0499 (v5.16); count: → refcount: (v5.2), pfn: (v5.9), __dump_folio() (v6.9)", () => {
  const bugLines = (kernel: string) => {
    const a = run(freedDevdaxPage(kernel));
    assert.equal(a.run!.steps[3].outcome, 'killed', kernel);
    return a.run!.trace.instants.find((i) => i.code === 'zero-refcount-get-page')!.lines!;
  };
  const because = (kernel: string) => bugLines(kernel).find((l) => l.startsWith('page dumped'));
  assert.equal(because('v5.0'), 'page dumped because: VM_BUG_ON_PAGE(page_ref_count(page) <= 0)');
  assert.equal(
    because('v5.1'),
    'page dumped because: VM_BUG_ON_PAGE(page_ref_zero_or_close_to_overflow(page))',
  );
  assert.equal(
    because('v5.15'),
    'page dumped because: VM_BUG_ON_PAGE(page_ref_zero_or_close_to_overflow(page))',
  );
  assert.equal(
    because('v5.16'),
    'page dumped because: VM_BUG_ON_FOLIO(folio_ref_zero_or_close_to_overflow(folio))',
  );
  // The dump comes before the BUG, as VM_BUG_ON_PAGE() calls dump_page() and then BUG().
  const v51 = bugLines('v5.1');
  assert.match(v51[0], /^page:ffff[0-9a-f]+ count:0 mapcount:0 mapping:0{16} index:0x0$/);
  assert.equal(v51[3], 'kernel BUG at include/linux/mm.h!');
  assert.match(bugLines('v5.2')[0], /^page:ffff[0-9a-f]+ refcount:0 mapcount:0 .* index:0x0$/);
  assert.match(bugLines('v5.8')[0], /^page:ffff[0-9a-f]+ refcount:0 .* index:0x0$/);
  assert.match(bugLines('v5.9')[0], /^page:ffff[0-9a-f]+ refcount:0 .* index:0x0 pfn:0x[0-9a-f]+$/);
});

test('dump_page() of an offlined page says its memmap is poisoned, not a refcount it no longer has', () => {
  const a = run(
    scenario({
      kernel: 'v6.12',
      nodes: ['{ ram: 16GiB, cpus: 4 }'],
      steps: [
        'boot',
        'add_memory: { node: 0, start: 0x1000000000, size: 128MiB }',
        'online: { start: 0x1000000000, size: 128MiB }',
        'offline: { start: 0x1000000000, size: 128MiB }',
        'get_page: { pfn: 0x1000010 }',
      ],
    }),
  );
  const lines = a.run!.trace.instants.find((i) => i.code === 'zero-refcount-get-page')!.lines!;
  assert.match(lines[0], /^page:ffff[0-9a-f]+ is uninitialized and poisoned$/);
  assert.ok(!lines.some((l) => l.includes('refcount:')));
});
