import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, exampleText, run, scenario } from '../../helpers';
import { inspectPfn } from '../../../../src/engine/run/inspect';

const devdax = (map: string, align = '2MiB') =>
  `{ name: dax0, node: 0, mode: devdax, map: ${map}, size: 1GiB, align: ${align} }`;
const vmemmapPeak = (kernel: string, dev: string, arch = 'x86_64') =>
  run(scenario({ kernel, arch, devices: [dev], steps: ['boot', 'probe: [dax0]'] })).summary.counters
    .vmemmapPagesPeak;

test('compound devdax: the vmemmap tail reuse arrives in v5.19 (4917f55b4ef9), not with compound pages in v5.17', () => {
  const plain = (1 << 30) / 4096 / 64;
  assert.equal(vmemmapPeak('v5.10', devdax('mem')), plain, 'one vmemmap page per 64 struct pages');
  // v5.17 (c4386bd8ee3a) and v5.18 have compound devmaps but populate every vmemmap page.
  assert.equal(vmemmapPeak('v5.17', devdax('mem')), plain);
  assert.equal(vmemmapPeak('v5.18', devdax('mem')), plain);
  assert.equal(
    vmemmapPeak('v5.19', devdax('mem')),
    2 * ((1 << 30) / (2 << 20)),
    'head + one shared tail page per compound page',
  );
});

test('1 GiB compound pages need 2 vmemmap pages instead of 4096', () => {
  // 2 GiB with 1 GiB alignment: the pgmap spans both GiB (the first holds the info block and
  // padding), so two compound pages are populated.
  const dev = '{ name: dax0, node: 0, mode: devdax, map: mem, size: 2GiB, align: 1GiB }';
  assert.equal(vmemmapPeak('v5.19', dev), 2 * 2);
  assert.equal(vmemmapPeak('v5.18', dev), 2 * 4096);
});

test('a tail struct page beyond the first two vmemmap pages reads the shared tail page', () => {
  const a = run(
    scenario({ kernel: 'v5.19', devices: [devdax('mem')], steps: ['boot', 'probe: [dax0]'] }),
  );
  const head = a.run!.devices[0].layout!.rangeStart / 4096;
  const tail = inspectPfn(a.run!, head + 300);
  assert.deepEqual(tail.compound, { head, order: 9, isHead: false });
  assert.deepEqual(tail.vmemmap!.sharedTail, { ptes: 7, structPages: 448 });
  assert.equal(tail.refcount, 0, 'tails keep refcount 0');
  assert.deepEqual(inspectPfn(a.run!, head).flags, ['head', 'reserved']);
  // memmap_init_zone_device writes only compound_nr_pages() = 128 struct pages per compound page.
  assert.equal(
    a.summary.counters.structPageWrites - a.summary.counters.structPagesInitialised,
    -((1 << 30) / 4096) * (1 - 128 / 512),
  );
});

test('with an altmap (map=dev) the optimisation is off, and an info diagnostic says why', () => {
  const a = run(
    scenario({ kernel: 'v5.19', devices: [devdax('dev')], steps: ['boot', 'probe: [dax0]'] }),
  );
  assert.ok(codes(a).includes('vmemmap-opt-disabled'));
  assert.match(a.diagnostics.find((d) => d.code === 'vmemmap-opt-disabled')!.message, /altmap/);
  assert.ok(a.summary.counters.vmemmapBytesAltmapPeak > 0, 'the memmap lives on the device');
  assert.ok(
    !codes(
      run(
        scenario({ kernel: 'v5.19', devices: [devdax('mem')], steps: ['boot', 'probe: [dax0]'] }),
      ),
    ).includes('vmemmap-opt-disabled'),
  );
});

test('ppc64 hash: v5.19 oopses probing compound devdax; v6.4 does not, and initialises every struct page', () => {
  const text = exampleText('compound-devdax');
  const bad = run(text);
  assert.ok(codes(bad).includes('vmemmap-opt-unsupported'));
  const oops = bad.run!.trace.instants.find((i) => i.level === 'bug')!;
  assert.match(oops.text, /^BUG: Unable to handle kernel data access on write at 0xc00c[0-9a-f]+$/);
  assert.equal(bad.run!.devices[0].state, 'failed');
  const fixed = run(text, { variant: 'v6.4' });
  assert.ok(!codes(fixed).includes('vmemmap-opt-unsupported'));
  assert.ok(codes(fixed).includes('vmemmap-opt-disabled'));
  assert.equal(fixed.run!.devices[0].state, 'live');
  assert.equal(
    fixed.summary.counters.structPageWrites,
    fixed.summary.counters.structPagesInitialised,
  );
  const x86 = run(
    text.replace('arch: ppc64-hash', 'arch: x86_64').replace('align: 16MiB', 'align: 2MiB'),
  );
  assert.equal(x86.run!.devices[0].state, 'live', 'x86_64 has the init_mm vmemmap');
});

test("map=dev takes whole sections' memmap from the altmap; a partial tail section comes from node RAM", () => {
  const a = run(
    scenario({
      kernel: 'v6.4',
      devices: ['{ name: pmem0, node: 0, mode: fsdax, map: dev, size: 1GiB, align: 2MiB }'],
      steps: ['boot', 'probe: [pmem0]'],
    }),
  );
  const start = a.run!.devices[0].layout!.rangeStart / 4096;
  assert.equal(inspectPfn(a.run!, start + 10).vmemmap!.on, 'altmap');
  const partial = run(
    scenario({
      kernel: 'v6.4',
      devices: ['{ name: pmem0, node: 0, mode: fsdax, map: dev, size: 1034MiB, align: 2MiB }'],
      steps: ['boot', 'probe: [pmem0]'],
    }),
  );
  const last = partial.run!.devices[0].layout!.rangeEnd / 4096 - 1;
  assert.equal(inspectPfn(partial.run!, last).vmemmap!.on, 'dram');
  const altmap = partial.run!.devices[0].pgmap!.altmap!;
  assert.equal(
    altmap.align,
    510,
    'the first altmap allocation is padded to a PMD boundary after the 2-page reserve',
  );
});
