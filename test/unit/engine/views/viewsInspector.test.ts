import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exampleText, run } from '../../helpers';
import { memoryMap } from '../../../../src/engine/views/memoryMap';
import { sectionDetail } from '../../../../src/engine/views/sectionDetail';
import { QUERIES } from '../../../../src/engine/views/queries';
import type { PageModel } from '../../../../src/engine/views/pageModel';

// The per-page inspector's data from real runs: the memory map a user scrubs through, a section
// opened up, and the struct page of a known pfn as `memmap-lab inspect` gives it.
const threeTib = run(exampleText('three-tib-per-node')).run!;

test('memory map after the probe: boot memory then ZONE_DEVICE per node, in section runs', () => {
  const m = memoryMap(threeTib, 1);
  assert.deepEqual(
    m.runs.map((r) => [r.start, r.end, r.kind, r.nid, r.device]),
    [
      [0, 3072, 'early', 0, undefined],
      [3072, 27648, 'device', 0, 'pmem0'],
      [27648, 30720, 'early', 1, undefined],
      [30720, 55296, 'device', 1, 'pmem1'],
    ],
  );
  assert.equal(m.totals.device, 49152, '2 × 3 TiB of 128 MiB sections');
  assert.equal(m.totals.early, 6144);
  assert.deepEqual(
    m.nodes.map((n) => n.extents),
    [[{ start: 0, end: 27648 }], [{ start: 27648, end: 55296 }]],
  );
  assert.deepEqual(
    m.nodes[0].zones.map((z) => z.zone),
    ['DMA', 'DMA32', 'Normal', 'Device'],
  );
  assert.deepEqual(
    m.devices.map((d) => [d.name, d.devName, d.firstPfn]),
    [
      ['pmem0', 'pfn0.0', 0x6c00200],
      ['pmem1', 'pfn1.0', 1019216384],
    ],
  );
});

test('memory map scrubbed to the end: the removed namespaces leave no memmap behind', () => {
  const m = memoryMap(threeTib);
  assert.deepEqual(
    m.runs.map((r) => r.kind),
    ['early', 'early'],
  );
  assert.equal(m.totals.none, 49152);
  assert.deepEqual(
    m.nodes[0].zones.map((z) => z.zone),
    ['DMA', 'DMA32', 'Normal'],
  );
});

test('memory map of hot-added RAM: offline after add_memory, online after online, gone after remove', () => {
  const cxl = run(exampleText('cxl-ram-hotplug')).run!;
  const added = (step: number) =>
    memoryMap(cxl, step)
      .runs.filter((r) => r.start >= 8192)
      .map((r) => [r.start, r.end, r.kind, r.nid]);
  assert.deepEqual(added(1), [[8192, 8320, 'offline', 0]]);
  assert.deepEqual(added(3), [
    [8192, 8320, 'online', 0],
    [8320, 8448, 'offline', 1],
  ]);
  assert.deepEqual(added(6), [[8320, 8448, 'online', 1]]);
  const m = memoryMap(cxl, 3);
  assert.equal(
    m.nodes[0].extents.length,
    2,
    'the 768 GiB hole between RAM and the hot-added block is cut out',
  );
  assert.ok(
    m.nodes[0].zones.some((z) => z.zone === 'Movable' && z.start === 0x10000000),
    'ZONE_MOVABLE as it was after onlining',
  );
});

test('a sub-section hot-add (v5.3) leaves a partly populated section', () => {
  const half = run(
    [
      'name: half a section',
      'arch: x86_64',
      'kernel: v5.3',
      'machine:',
      '  nodes:',
      '    - { ram: 16GiB, cpus: 8 }',
      '  pmem:',
      '    - { node: 0, start: 0x480000000, size: 1GiB }',
      'devices:',
      '  - { name: pmem0, node: 0, mode: fsdax, map: mem, size: 192MiB, align: 2MiB }',
      'steps:',
      '  - boot',
      '  - probe: [pmem0]',
    ].join('\n'),
  ).run!;
  const m = memoryMap(half, 1);
  assert.deepEqual(
    m.runs.filter((r) => r.start >= 144).map((r) => [r.start, r.end, r.kind, r.populated]),
    [
      [144, 145, 'device', 64],
      [145, 146, 'partial', 32],
    ],
  );
  const d = sectionDetail(half, 145, 1);
  assert.equal(d.kind, 'partial');
  assert.equal(d.state.subsectionMap, '0xffffffff');
  assert.deepEqual([d.subsections[31].active, d.subsections[32].active], [true, false]);
  assert.deepEqual([d.subsections[31].kind, d.subsections[32].kind], ['device', 'no-memmap']);
});

test('section detail: 64 sub-sections, 64 Movable pageblocks, the altmap memmap then the device pages', () => {
  const d = sectionDetail(threeTib, 3456, 1);
  assert.equal(d.kind, 'device');
  assert.deepEqual([d.start, d.end], [0x6c00000, 0x6c08000]);
  assert.equal(d.subsections.length, 64);
  assert.ok(d.subsections.every((s) => s.active && s.kind === 'device'));
  assert.equal(d.pageblocks.length, 64);
  assert.ok(d.pageblocks.every((b) => b.migratetype === 'Movable'));
  assert.deepEqual(
    d.pages.map((p) => [p.start, p.end, p.initBy, p.device]),
    [
      [0x6c00000, 0x6c00200, 'memmap_init_zone', undefined],
      [0x6c00200, 0x6c08000, 'memmap_init_zone_device', 'pmem0'],
    ],
  );
  assert.deepEqual(
    d.vmemmap.map((v) => [v.on, v.device, v.node]),
    [['altmap', 'pmem0', 0]],
  );
  assert.equal(sectionDetail(threeTib, 3456).kind, 'none', 'after remove');
});

test('inspector: the struct page of pmem0+0 (0x6c00200) after the probe', () => {
  const answer = QUERIES.inspectPage(threeTib, { text: 'pmem0+0', afterStep: 1 });
  assert.ok(!('error' in answer), JSON.stringify(answer));
  const m = answer as PageModel;
  const p = m.page;
  assert.equal(m.pfn, 0x6c00200);
  assert.equal(m.section, 3456);
  assert.deepEqual(m.deviceOffset, { device: 'pmem0', offset: '0x0' });
  assert.deepEqual(p.flags, ['reserved']);
  assert.equal(p.refcount, 1);
  assert.equal(p.mapcount, 0);
  assert.equal(p.zone, 'Device');
  assert.equal(p.nid, 0);
  assert.equal(p.migratetype, 'Movable');
  assert.deepEqual(p.pgmap, {
    device: 'pmem0',
    type: 'fsdax',
    range: ['0x6000000', '0x35ffffff'],
    vmemmapShift: 0,
  });
  assert.equal(p.compound, undefined);
  assert.equal(p.initialisedBy, 'memmap_init_zone_device');
  assert.equal(p.initialisedStep, 1);
  assert.equal(p.vmemmap?.on, 'altmap');
  assert.equal(p.vmemmap?.address, '0xffffea01b0008000');
  assert.deepEqual(m.vmemmapSharers, { first: '0x6c00200', last: '0x6c0023f', count: 64 });
  assert.equal(p.pfnValid, true);
  assert.equal(p.pfnToOnlinePage, false, 'ZONE_DEVICE memory is never online');
});

test('inspector: the history scrubber shows the page appear at the probe and vanish at the remove', () => {
  const m = QUERIES.inspectPage(threeTib, { text: '0x6c00200' }) as PageModel;
  assert.deepEqual(
    m.history.map((p) => [p.afterStep, p.memmap, p.refcount, p.pfnValid]),
    [
      [0, 'no-memmap', 0, false],
      [1, 'initialised', 1, true],
      [2, 'initialised', 1, true],
      [3, 'initialised', 1, true],
      [4, 'no-memmap', 0, false],
    ],
  );
});

test('inspector: typed text that is not a pfn says why', () => {
  assert.match(
    (QUERIES.inspectPage(threeTib, { text: 'pmem9+0' }) as { error: string }).error,
    /no device named 'pmem9'/,
  );
  assert.match(
    (QUERIES.inspectPage(threeTib, { text: 'banana' }) as { error: string }).error,
    /is not a pfn/,
  );
  assert.match(
    (QUERIES.inspectPage(threeTib, { text: '0xffffffffffffff' }) as { error: string }).error,
    /outside/,
  );
});

test('the 8 × 3 TiB machine maps in a handful of runs, however many pages', () => {
  const eight = run(exampleText('eight-nodes-3tib')).run!;
  const m = memoryMap(eight, 1);
  assert.equal(m.runs.length, 16);
  assert.equal(m.totals.device, 8 * 24576);
  assert.ok(JSON.stringify(m).length < 20_000, 'the map posts as a few KiB');
});

test('view queries are bounded by the run: a section or pfn past 2^52 bytes, or a step it does not have, is an error, at once', () => {
  const t0 = performance.now();
  assert.throws(
    () => QUERIES.sectionDetail(threeTib, { section: 2 ** 53 - 1 }),
    /section 9007199254740991 is outside the 52-bit physical address space \(sections below 33554432 on x86_64\)/,
  );
  assert.throws(
    () => QUERIES.sectionDetail(threeTib, { section: 3072, afterStep: 999999 }),
    /step 999999 is not one of the run's 5 steps/,
  );
  assert.throws(() => QUERIES.history(threeTib, { pfn: -1 }), /pfn -1 is outside/);
  assert.throws(() => QUERIES.memoryMap(threeTib, { afterStep: 1.5 }), /step 1\.5 is not one/);
  assert.match(
    (QUERIES.inspectPage(threeTib, { text: '0x1fffffffffffff' }) as { error: string }).error,
    /pfn 9007199254740991 is outside/,
  );
  assert.ok(performance.now() - t0 < 1000);
  assert.equal(QUERIES.sectionDetail(threeTib, { section: 3072, afterStep: 1 }).nr, 3072);
});
