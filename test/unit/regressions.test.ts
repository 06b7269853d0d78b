import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, run, scenario } from './helpers';
import { inspectPfn } from '../../src/engine/run/inspect';
import { analyse, analyseScenario } from '../../src/engine/analyse';
import { summarize } from '../../src/engine/run/summary';

/**
 * One test per engine bug the differential oracle (test/unit/oracle.test.ts) found; each checks
 * the kernel's behaviour (DOMAIN.md, or the kernel where DOMAIN is silent) on a small scenario.
 */
const MiB = 2 ** 20;
const GiB = 2 ** 30;
const PMEM = 16 * GiB;
const pfn = (bytes: number) => bytes / 4096;
const generic = (name: string, start: number, size: string, extra = '') =>
  `{ name: ${name}, type: generic, ranges: [{ start: ${start}, size: ${size} }]${extra} }`;

test('regression: pfn_to_online_page() is NULL in the hole of an early section and where a pgmap covers the pfn', () => {
  const a = run(
    scenario({ kernel: 'v5.17', nodes: ['{ ram: 16100MiB, cpus: 4 }'], steps: ['boot'] }),
  );
  const last = pfn(16100 * MiB) - 1;
  assert.equal(inspectPfn(a.run!, last).pfnToOnlinePage, true);
  const hole = inspectPfn(a.run!, last + 100);
  assert.equal(hole.pfnValid, true, 'early sections are valid throughout');
  assert.equal(hole.pfnToOnlinePage, false, 'but only active sub-sections are online');
  // Before v5.12 (9f9b02e5b346) an online section was enough: the hole's page was handed out.
  const v510 = run(
    scenario({ kernel: 'v5.10', nodes: ['{ ram: 16100MiB, cpus: 4 }'], steps: ['boot'] }),
  );
  assert.equal(inspectPfn(v510.run!, last + 100).pfnToOnlinePage, true);
  // A namespace sharing an online boot section: its altmap reserve has no struct page, yet a pgmap covers it.
  const b = run(
    scenario({
      kernel: 'v6.4',
      nodes: ['{ cpus: 1 }'],
      machine: [
        'ram: [{ node: 0, start: 0, size: 64MiB }]',
        'pmem: [{ node: 0, start: 0x4000000, size: 64MiB }]',
      ],
      devices: ['{ name: p, mode: fsdax, map: dev, size: 64MiB }'],
      steps: ['boot', 'probe: [p]'],
    }),
  );
  const reserve = inspectPfn(b.run!, pfn(64 * MiB));
  assert.equal(reserve.section.online, true);
  assert.equal(reserve.pfnToOnlinePage, false);
});

test("regression: before v5.3 refs and page->pgmap cover the driver's range, not the section padding", () => {
  const dev = generic('g', PMEM, '64MiB');
  const v420 = run(scenario({ kernel: 'v4.20', devices: [dev], steps: ['boot', 'probe: [g]'] }));
  assert.equal(
    v420.run!.devices[0].pgmap!.ref.count,
    1 + pfn(64 * MiB),
    'percpu_ref_get_many(pfn_end - pfn_first)',
  );
  const v418 = run(scenario({ kernel: 'v4.18', devices: [dev], steps: ['boot', 'probe: [g]'] }));
  assert.equal(v418.run!.devices[0].pgmap!.ref.count, 1 + pfn(64 * MiB));
  assert.equal(
    inspectPfn(v418.run!, pfn(PMEM + 100 * MiB)).pgmap,
    undefined,
    'for_each_device_pfn() skips the padding',
  );
  assert.equal(
    run(scenario({ kernel: 'v4.18', devices: [dev], steps: ['boot', 'probe: [g]', 'remove: g'] }))
      .run!.devices[0].state,
    'removed',
  );
});

test('regression: a probe step naming a missing device starts no probe', () => {
  // The parser refuses the name; a scenario built in code still meets the run's own check.
  const parsed = analyse(
    scenario({
      devices: ['{ name: pmem0, mode: fsdax, map: mem, size: 1GiB }'],
      steps: ['boot', 'probe: [pmem0, nope]'],
    }),
  );
  assert.deepEqual(
    parsed.diagnostics.map((d) => d.code),
    ['scenario-schema'],
  );
  const a = analyseScenario(parsed.scenario!);
  assert.equal(
    a.run!.devices[0].state,
    'idle',
    'no probe worker left running behind the failed step',
  );
  assert.equal(a.run!.steps[1].outcome, 'failed');
  assert.ok(codes(a).includes('invalid-step'));
});

test('regression: memremap_pages() unmaps the ranges it mapped when a later range fails', () => {
  const misaligned = run(
    scenario({
      kernel: 'v6.4',
      devices: [
        `{ name: g, type: generic, ranges: [{ start: ${PMEM}, size: 4MiB }, { start: ${PMEM + 64 * MiB + 4096}, size: 4MiB }] }`,
      ],
      steps: ['boot', 'probe: [g]'],
    }),
  );
  assert.equal(misaligned.run!.devices[0].state, 'failed');
  assert.equal(
    inspectPfn(misaligned.run!, pfn(PMEM)).memmap,
    'no-memmap',
    'range 0 was torn down again',
  );
  assert.equal(misaligned.run!.devices[0].pgmap!.ref.released, true);
  // pagemap_range() checks each range against the pgmap's own earlier ranges too.
  const self = run(
    scenario({
      kernel: 'v6.4',
      devices: [
        `{ name: g, type: generic, ranges: [{ start: ${PMEM}, size: 4MiB }, { start: ${PMEM + 2 * MiB}, size: 4MiB }] }`,
      ],
      steps: ['boot', 'probe: [g]'],
    }),
  );
  assert.ok(codes(self).includes('section-conflict'));
  assert.equal(inspectPfn(self.run!, pfn(PMEM)).memmap, 'no-memmap');
});

test('regression: __add_pages() keeps the sections before the one that fails; only success taints', () => {
  const a = run(
    scenario({
      kernel: 'v6.4',
      devices: [generic('a', PMEM + 256 * MiB, '128MiB'), generic('b', PMEM + 64 * MiB, '512MiB')],
      steps: ['boot', 'probe: [a]', 'probe: [b]'],
    }),
  );
  assert.deepEqual(
    a.run!.devices.map((d) => d.state),
    ['live', 'failed'],
  );
  const head = inspectPfn(a.run!, pfn(PMEM + 64 * MiB));
  assert.equal(
    head.pfnValid,
    true,
    'the sections added before the -EEXIST stay (as in the kernel)',
  );
  assert.equal(head.memmap, 'uninitialised');
  assert.equal(head.section.taintZoneDevice, false, 'move_pfn_range_to_zone() never ran');
  assert.equal(inspectPfn(a.run!, pfn(PMEM + 400 * MiB)).pfnValid, false);
  assert.equal(
    a.summary.counters.vmemmapPages,
    512 + 256 + 512,
    "a's section; b's partial head (64 MiB) and the whole section before a's",
  );
});

test('regression: __remove_pages() carries on past a section that WARNs; remove_memory() succeeds', () => {
  const a = run(
    scenario({
      kernel: 'v6.4',
      nodes: ['{ ram: 16GiB, cpus: 4 }'],
      steps: [
        'boot',
        'add_memory: { node: 0, start: 0x500000000, size: 128MiB }',
        'remove_memory: { start: 0x4f8000000, size: 256MiB }',
      ],
    }),
  );
  assert.deepEqual(
    a.run!.steps.map((s) => s.outcome),
    ['ok', 'ok', 'ok'],
  );
  assert.ok(codes(a).includes('section-already-deactivated'));
  assert.equal(inspectPfn(a.run!, pfn(0x500000000)).section.valid, false, 'the added section went');
  assert.equal(a.summary.counters.vmemmapPages, 0);
});

test('regression: an emptied early section is no longer early and loses its boot memmap', () => {
  const steps = [
    'boot',
    'offline: { start: 0x3f8000000, size: 128MiB }',
    'remove_memory: { start: 0x3f8000000, size: 128MiB }',
  ];
  const gone = inspectPfn(
    run(scenario({ kernel: 'v6.4', nodes: ['{ ram: 16GiB, cpus: 4 }'], steps })).run!,
    pfn(0x3f8000000) + 5,
  );
  assert.deepEqual(
    [gone.section.early, gone.pfnValid, gone.memmap, gone.vmemmap],
    [false, false, 'no-memmap', undefined],
  );
  const again = run(
    scenario({
      kernel: 'v6.4',
      nodes: ['{ ram: 16GiB, cpus: 4 }'],
      steps: [...steps, 'add_memory: { node: 0, start: 0x3f8000000, size: 128MiB }'],
    }),
  );
  const p = inspectPfn(again.run!, pfn(0x3f8000000) + 5);
  assert.equal(p.section.early, false);
  assert.equal(p.vmemmap!.on, 'dram', 'the re-added section gets a fresh memmap');
  assert.equal(again.summary.counters.vmemmapPages, 512);
});

test('regression: vmemmap pages are counted once however many sections share them (64 KiB pages)', () => {
  // ppc64: one 64 KiB vmemmap page holds the struct pages of 1024 pfns = four 16 MiB sections.
  const devs = [generic('a', GiB, '16MiB'), generic('b', GiB + 32 * MiB, '16MiB')];
  const vm = (steps: string[]) =>
    run(
      scenario({
        arch: 'ppc64-radix',
        kernel: 'v6.4',
        nodes: ['{ ram: 256MiB, cpus: 2, pmem: 256MiB }'],
        devices: devs,
        steps: ['boot', 'probe: [a]', 'probe: [b]', ...steps],
      }),
    ).summary.counters.vmemmapPages;
  assert.equal(vm([]), 1);
  assert.equal(vm(['remove: a']), 1, 'still in use by b');
  assert.equal(vm(['remove: a', 'remove: b']), 0);
});

test('regression: an optimised compound page split across section chunks takes its 2 vmemmap pages once', () => {
  const dev = generic('g', PMEM + 64 * MiB, '1GiB', ', vmemmap_shift: 18');
  const a = run(
    scenario({
      kernel: 'v6.4',
      nodes: ['{ ram: 16GiB, cpus: 4, pmem: 4GiB }'],
      devices: [dev],
      steps: ['boot', 'probe: [g]'],
    }),
  );
  assert.equal(a.summary.counters.vmemmapPages, 2, 'one 1 GiB compound page from the range start');
  assert.equal(
    run(
      scenario({
        kernel: 'v6.4',
        nodes: ['{ ram: 16GiB, cpus: 4, pmem: 4GiB }'],
        devices: [dev],
        steps: ['boot', 'probe: [g]', 'remove: g'],
      }),
    ).summary.counters.vmemmapPages,
    0,
  );
});

test('regression: a vmemmap page an altmap handed out goes back to it, whoever frees it last', () => {
  // ppc64 map=dev: whole sections take the altmap page, the partial tail section shares it.
  const a = run(
    scenario({
      arch: 'ppc64-radix',
      kernel: 'v5.3',
      nodes: ['{ ram: 6MiB, cpus: 2, pmem: 154MiB }'],
      devices: ['{ name: p, mode: fsdax, map: dev, size: 60MiB }'],
      steps: ['boot', 'probe: [p]', 'remove: p'],
    }),
  );
  assert.equal(a.run!.devices[0].state, 'removed');
  assert.ok(!codes(a).includes('altmap-leak'), 'no "failed to free all reserved pages"');
  assert.equal(a.run!.devices[0].pgmap!.altmap!.alloc, 0);
});

test('regression: mapping pfns of a compound page counts on the folio (its head)', () => {
  const a = run(
    scenario({
      kernel: 'v6.1',
      devices: [generic('g', PMEM, '2MiB', ', vmemmap_shift: 5').replace('generic', 'private')],
      steps: ['boot', 'probe: [g]', 'map: { device: g, pfn: +0, pages: 40 }'],
    }),
  );
  const head = pfn(PMEM);
  assert.deepEqual(
    [inspectPfn(a.run!, head).refcount, inspectPfn(a.run!, head).mapcount],
    [32, 32],
    'all 32 pfns of the first folio',
  );
  assert.deepEqual(
    [inspectPfn(a.run!, head + 32).refcount, inspectPfn(a.run!, head + 32).mapcount],
    [8, 8],
  );
  assert.equal(
    a.run!.devices[0].pgmap!.ref.count,
    1 + 40,
    'one pgmap reference per page handed out',
  );
});

test('regression: from v5.18 a device page freed at 0 returns to its idle count and keeps the pgmap ref', () => {
  const dev = '{ name: d, mode: devdax, map: mem, size: 1GiB, align: 2MiB }';
  const a = run(
    scenario({
      kernel: 'v6.1',
      devices: [dev],
      steps: ['boot', 'probe: [d]', 'put_page: { device: d, pfn: +0 }'],
    }),
  );
  assert.equal(
    inspectPfn(a.run!, a.run!.devices[0].layout!.dataPfn).refcount,
    1,
    'free_zone_device_page() resets it to 1',
  );
  assert.equal(a.run!.devices[0].pgmap!.ref.count, 1 + 512, 'no pgmap reference dropped');
  const removed = run(
    scenario({
      kernel: 'v6.1',
      devices: [dev],
      steps: ['boot', 'probe: [d]', 'put_page: { device: d, pfn: +0 }', 'remove: d'],
    }),
  );
  assert.equal(removed.run!.devices[0].state, 'removed');
  assert.ok(!codes(removed).includes('pgmap-ref-underflow'));
});

test('regression: per-page teardown visits a trailing partial folio, as for_each_device_pfn() does', () => {
  // 512 pages with 1024-page folios: pfn_len() takes 0 refs, the put loop still puts the head.
  const a = run(
    scenario({
      kernel: 'v5.17',
      devices: [generic('g', PMEM, '2MiB', ', vmemmap_shift: 10')],
      steps: ['boot', 'probe: [g]', 'remove: g'],
    }),
  );
  assert.ok(codes(a).includes('pgmap-ref-underflow'));
  assert.equal(a.run!.devices[0].pgmap!.ref.count, -1);
});

test('regression (fuzz): a step with size 0 or an empty device name is reported, never silently dropped', () => {
  // The dropped step left a gap in the step indices and runSteps() crashed on it.
  for (const step of [
    'online: { start: 0x480000000, size: 0, zone: movable }',
    "map: { device: '', pfn: 1, pages: 1 }",
  ]) {
    const a = analyse(scenario({ steps: ['boot', step, 'boot'] }));
    if (a.run) {
      assert.equal(a.run.steps.length, 3, step);
      assert.ok(codes(a).includes('invalid-step'), step);
    } else {
      assert.ok(
        a.diagnostics.some((d) => d.severity === 'error' && d.span.line === 10),
        `${step}: ${a.diagnostics.map((d) => d.message)}`,
      );
    }
  }
});

test('regression (fuzz): a namespace align of 0 is a positioned error, not NaN pfns and a crash', () => {
  // align: 0 made every layout offset NaN; get_page on '+0' then threw converting NaN to BigInt.
  const a = analyse(
    scenario({
      devices: ['{ name: pmem0, mode: fsdax, map: dev, size: 8GiB, align: 0 }'],
      steps: ['boot', 'probe: [pmem0]', 'get_page: { device: pmem0, pfn: +0 }'],
    }),
  );
  assert.equal(a.run, undefined);
  const d = a.diagnostics.find((x) => /power of two/.test(x.message))!;
  assert.equal(d.span.line, 8);
  assert.ok(
    analyse(
      scenario({
        devices: ['{ name: pmem0, mode: fsdax, map: dev, size: 8GiB, align: 3MiB }'],
        steps: ['boot'],
      }),
    ).diagnostics.some((x) => /power of two/.test(x.message)),
  );
});

test('regression: get_page on a compound page that runs past its range leaves the next device alone', () => {
  // 64 KiB pages: a 2 MiB range holds 32 pfns, but vmemmap_shift 9 makes 512-page folios.
  const a = run(
    scenario({
      arch: 'arm64-64k',
      kernel: 'v5.17',
      nodes: ['{ ram: 24MiB, cpus: 2, pmem: 56MiB }'],
      devices: [
        generic('d0', GiB + 2 * MiB, '2MiB', ', vmemmap_shift: 5'),
        generic('d1', GiB, '2MiB', ', vmemmap_shift: 9').replace('generic', 'private'),
      ],
      steps: ['boot', 'probe: [d0]', 'probe: [d1]', 'get_page: { device: d1, pfn: +0 }'],
    }),
  );
  const pfn64k = (bytes: number) => bytes / (64 * 1024);
  assert.equal(inspectPfn(a.run!, pfn64k(GiB)).refcount, 2, 'd1 head: idle 1 + 1');
  assert.equal(
    inspectPfn(a.run!, pfn64k(GiB + 2 * MiB)).refcount,
    1,
    "d0's own head keeps its idle count",
  );
});

test('regression (review): tail reuse never maps more vmemmap than a plain populate — compound pages of ≤ 2 vmemmap pages share nothing', () => {
  const vm = (arch: string, kernel: string, dev: string) =>
    run(
      scenario({
        arch,
        kernel,
        nodes: ['{ ram: 16GiB, cpus: 4, pmem: 16GiB }'],
        devices: [dev],
        steps: ['boot', 'probe: [g]'],
      }),
    ).summary.counters.vmemmapPages;
  // x86_64, 1 GiB of 4-page compound pages: 262144 struct pages, 64 per vmemmap page.
  assert.equal(vm('x86_64', 'latest', generic('g', PMEM, '1GiB', ', vmemmap_shift: 2')), 4096);
  assert.equal(
    vm('x86_64', 'latest', generic('g', PMEM, '1GiB')),
    4096,
    'the same as no compound pages',
  );
  // 2 MiB compound pages on x86_64 (8 vmemmap pages each) do share: 2 each.
  assert.equal(vm('x86_64', 'latest', generic('g', PMEM, '1GiB', ', vmemmap_shift: 9')), 2 * 512);
  // ppc64 radix, 64 KiB pages: a 2 MiB devdax page's 32 struct pages fill 2 KiB of one vmemmap page.
  const radix = '{ name: g, mode: devdax, map: mem, size: 8GiB, align: 2MiB }';
  assert.equal(vm('ppc64-radix', 'latest', radix), vm('ppc64-radix', 'v5.10', radix));
});

test('regression (review): the underflow WARN prints the count with the reference the switch holds (true count + 1)', () => {
  const steps = (puts: number) => [
    'boot',
    'probe: [pmem0]',
    ...(puts ? [`put_dev_pagemap: { device: pmem0, count: ${puts} }`] : []),
    'remove: [pmem0]',
  ];
  // From v5.15 (3dd60fb9d95d) pmem's pgmap has its own percpu_ref, released by dev_pagemap_percpu_release().
  const dmesg = (puts: number) =>
    run(
      scenario({
        kernel: 'v6.1',
        devices: ['{ name: pmem0, node: 0, mode: fsdax, map: dev, size: 1GiB }'],
        steps: steps(puts),
      }),
    ).summary.dmesg;
  // Five puts too many: the summed count is -5 after percpu_ref_kill(); the WARN reads -4.
  assert.ok(
    dmesg(5).some((l) =>
      l.endsWith('percpu ref (dev_pagemap_percpu_release) <= 0 (-4) after switching to atomic'),
    ),
  );
  // One too many: -1 + 1 = 0 is still "<= 0", so it WARNs with (0), as in the 4.10 device-dax report.
  assert.ok(dmesg(1).some((l) => l.endsWith('<= 0 (0) after switching to atomic')));
  assert.ok(!dmesg(0).some((l) => l.includes('percpu ref')));
  // From v5.12 (3375efeddf69) the WARN is followed by a pr_err; before, the WARN stands alone.
  assert.ok(
    dmesg(5).some((l) => l.endsWith('] percpu_ref_switch_to_atomic_rcu(): percpu_ref underflow')),
  );
  const v511 = run(
    scenario({
      kernel: 'v5.11',
      devices: ['{ name: pmem0, node: 0, mode: fsdax, map: dev, size: 1GiB }'],
      steps: steps(5),
    }),
  ).summary.dmesg;
  assert.ok(
    v511.some((l) => l.includes('after switching to atomic')) &&
      !v511.some((l) => l.includes('percpu_ref underflow')),
  );
});

test("regression (review): before v5.3 device-dax's own percpu_ref names its release function, module and all", () => {
  const dmesg = (mode: string) =>
    run(
      scenario({
        kernel: 'v4.20',
        devices: [`{ name: d, node: 0, mode: ${mode}, map: dev, size: 1GiB }`],
        steps: ['boot', 'probe: [d]', 'put_dev_pagemap: { device: d, count: 2 }', 'remove: [d]'],
      }),
    ).summary.dmesg;
  assert.ok(
    dmesg('devdax').some((l) => l.includes('percpu ref (dax_pmem_percpu_release [dax_pmem]) <= 0')),
  );
  assert.ok(
    dmesg('fsdax').some((l) => l.includes('percpu ref (blk_queue_usage_counter_release) <= 0')),
  );
});

test("regression (review): the memremap WARNs in each release's words — %pr of the driver's range before v5.10, WARN_ONCE always", () => {
  // RAM ends 64 MiB into a section; device a straddles that end, device b lies inside RAM.
  const text = (kernel: string) =>
    scenario({
      kernel,
      nodes: ['{ cpus: 8 }'],
      machine: ['ram: [{ node: 0, start: 0, size: 0x104000000 }]'],
      devices: [
        '{ name: a, node: 0, type: generic, ranges: [{ start: 0x103e00000, size: 64MiB }] }',
        '{ name: b, node: 0, type: generic, ranges: [{ start: 0x100000000, size: 2MiB }] }',
      ],
      steps: ['boot', 'probe: [a]', 'probe: [b]'],
    });
  const warned = (kernel: string) => {
    const a = run(text(kernel));
    return {
      dmesg: a.summary.dmesg
        .filter((l) => /attempted on|WARNING/.test(l))
        .map((l) => l.replace(/^\[[^\]]*\] /, '')),
      diagnostics: a.diagnostics.filter((d) => d.code === 'mixed-region').length,
    };
  };
  assert.deepEqual(warned('v4.20'), {
    diagnostics: 2,
    dmesg: [
      'devm_memremap_pages attempted on mixed region [mem 0x103e00000-0x107dfffff flags 0x200]', // not the padded 0x100000000-0x107ffffff
      'WARNING: CPU: 0 PID: 1002 at kernel/memremap.c devm_memremap_pages',
    ],
  });
  assert.equal(
    warned('v5.3').dmesg[1],
    'WARNING: CPU: 0 PID: 1002 at mm/memremap.c devm_memremap_pages',
  );
  assert.deepEqual(warned('v5.10').dmesg, [
    'attempted on mixed region 0x103e00000-0x107dfffff',
    'WARNING: CPU: 0 PID: 1002 at mm/memremap.c memremap_pages',
  ]);
});

test("regression (review): device-dax alignments are the arch's PAGE_SIZE, PMD and PUD THP sizes", () => {
  const refused = (arch: string, kernel: string, align: string) =>
    codes(
      run(
        scenario({
          arch,
          kernel,
          nodes: ['{ ram: 16GiB, cpus: 4, pmem: 16GiB }'],
          devices: [`{ name: d, node: 0, mode: devdax, map: dev, size: 4GiB, align: ${align} }`],
          steps: ['boot', 'probe: [d]'],
        }),
      ),
    ).includes('devdax-align');
  assert.equal(refused('x86_64', 'v6.4', '1GiB'), false);
  assert.equal(refused('arm64', 'v6.4', '1GiB'), true, 'no PUD THP on arm64');
  assert.equal(refused('ppc64-hash', 'v6.4', '2MiB'), true, "the hash MMU's PMD is 16 MiB");
  assert.equal(refused('ppc64-hash', 'v6.4', '16MiB'), false);
  assert.equal(refused('ppc64-radix', 'v6.4', '1GiB'), true, 'radix PUD THP came with v6.5');
  assert.equal(refused('ppc64-radix', 'latest', '1GiB'), false);
  assert.equal(refused('arm64-64k', 'v6.4', '512MiB'), false);
});

test('regression (review): a COHERENT pgmap before v6.0 is a mistake in the scenario, not a probe', () => {
  const probe = (kernel: string) =>
    run(
      scenario({
        kernel,
        devices: [
          '{ name: c, node: 0, type: coherent, ranges: [{ start: 0x800000000, size: 1GiB }] }',
        ],
        steps: ['boot', 'probe: [c]'],
      }),
    );
  const old = probe('v5.10');
  assert.ok(
    old.diagnostics.some(
      (d) =>
        d.code === 'invalid-step' &&
        /MEMORY_DEVICE_COHERENT pgmaps exist from v6\.0; v5\.10 has none/.test(d.message),
    ),
  );
  assert.equal(old.run!.devices[0].state, 'idle');
  assert.equal(probe('v6.1').run!.devices[0].state, 'live');
});

test('regression (review): boot once, before everything else — a second boot or a probe before boot is refused at its line', () => {
  const a = run(
    scenario({
      devices: [
        '{ name: g, node: 0, type: generic, ranges: [{ start: 0x400000000, size: 1GiB }] }',
      ],
      steps: ['probe: [g]', 'boot', 'boot'],
    }),
  );
  assert.deepEqual(
    a.run!.steps.map((s) => s.outcome),
    ['failed', 'ok', 'failed'],
  );
  assert.deepEqual(
    a.diagnostics.filter((d) => d.code === 'invalid-step').map((d) => [d.span.line, d.message]),
    [
      [10, 'this step runs before the machine boots (boot comes later)'],
      [12, 'the machine has booted already'],
    ],
  );
  assert.equal(
    a.summary.dmesg.filter((l) => l.includes('Memory block size')).length,
    1,
    'the boot memmap is initialised once',
  );
});

test('regression (review): nd_pfn_init() aligns to at least the compat alignment; the info block is a whole page on 64K arches', () => {
  const ns = (arch: string, kernel: string, dev: string) =>
    run(
      scenario({
        arch,
        kernel,
        nodes: ['{ ram: 16GiB, cpus: 4, pmem: 16GiB }'],
        devices: [dev],
        steps: ['boot', 'probe: [d]'],
      }),
    );
  // x86, 4 KiB align on map=dev: the data offset is 18 MiB (8 KiB + 16 MiB of memmap, to 2 MiB), 257536 pages.
  const x4k = ns(
    'x86_64',
    'latest',
    '{ name: d, node: 0, mode: devdax, map: dev, size: 1GiB, align: 4KiB }',
  );
  assert.equal(x4k.run!.devices[0].state, 'live');
  assert.equal(x4k.run!.devices[0].layout!.npfns, 257536);
  assert.equal(x4k.run!.devices[0].layout!.offset, 18 * MiB);
  // map=mem, 1025 MiB with 4 KiB align: end_trunc trims to 2 MiB, no Misaligned WARN.
  const odd = ns(
    'x86_64',
    'latest',
    '{ name: d, node: 0, mode: fsdax, map: mem, size: 1025MiB, align: 4KiB }',
  );
  assert.equal(odd.run!.devices[0].state, 'live');
  assert.ok(!codes(odd).includes('misaligned-subsection'), codes(odd).join());
  assert.equal(odd.run!.devices[0].layout!.endTrunc, MiB);
  // ppc64 hash: 16 MiB compat alignment.
  assert.equal(
    ns(
      'ppc64-hash',
      'v6.4',
      '{ name: d, node: 0, mode: fsdax, map: dev, size: 1GiB, align: 64KiB }',
    ).run!.devices[0].layout!.npfns,
    16128,
  );
  // 64K pages: reserve = ALIGN(8 KiB, PAGE_SIZE) = 1 page, never initialised as memmap.
  const a64 = ns(
    'arm64-64k',
    'v6.4',
    '{ name: d, node: 0, mode: fsdax, map: dev, size: 1GiB, align: 64KiB }',
  );
  const layout = a64.run!.devices[0].layout!;
  assert.equal(
    a64.run!.devices[0].state,
    'live',
    'base-page vmemmap: no PMD padding in the altmap',
  );
  assert.equal(layout.altmap!.reserve, 1);
  assert.equal(inspectPfn(a64.run!, layout.altmap!.basePfn).memmap, 'uninitialised');
  assert.equal(
    inspectPfn(a64.run!, layout.altmap!.basePfn + 1).memmap,
    'initialised',
    "the altmap's memmap pages are",
  );
});

test("regression (review): deferred init splits over the node's CPUs on x86 only; boot prints the memory block size after it", () => {
  const padata = (arch: string) =>
    run(
      scenario({ arch, kernel: 'v5.10', nodes: ['{ ram: 16GiB, cpus: 8 }'], steps: ['boot'] }),
    ).run!.trace.threads.filter((t) => t.name.startsWith('padata0/')).length;
  assert.equal(padata('x86_64'), 8);
  assert.equal(padata('ppc64-radix'), 1, 'deferred_page_init_max_threads() is 1 outside x86');
  const dmesg = run(
    scenario({ kernel: 'v5.10', nodes: ['{ ram: 16GiB, cpus: 8 }'], steps: ['boot'] }),
  ).summary.dmesg;
  assert.ok(
    dmesg.findIndex((l) => l.includes('Memory block size')) >
      dmesg.findIndex((l) => l.includes('deferred pages initialised')),
  );
});

test('regression (review): a CPU-less pmem node is a machine; a device on a node machine.pmem leaves out says why', () => {
  const cpuless = run(
    scenario({
      nodes: ['{ ram: 16GiB, cpus: 8 }', '{ cpus: 0, pmem: 16GiB }'],
      devices: ['{ name: p, node: 1, mode: fsdax, map: dev, size: 4GiB }'],
      steps: ['boot', 'probe: [p]'],
    }),
  );
  assert.equal(cpuless.run!.devices[0].state, 'live');
  const listed = run(
    scenario({
      nodes: ['{ ram: 16GiB, cpus: 8 }', '{ cpus: 8, pmem: 2GiB }'],
      machine: ['pmem: [{ node: 0, start: 0x800000000, size: 4GiB }]'],
      devices: ['{ name: p, node: 1, mode: fsdax, map: dev, size: 1GiB }'],
      steps: ['boot'],
    }),
  );
  assert.ok(
    listed.diagnostics.some(
      (d) =>
        d.message ===
        "device 'p': machine.pmem lists no region on node 1 (the list replaces the nodes' 'pmem:')",
    ),
    listed.diagnostics.map((d) => d.message).join('\n'),
  );
});

test('the run summary is linear in devices: 1024 namespaces are summarised without scanning every span per device', () => {
  const summarised = (n: number) => {
    const devices = Array.from(
      { length: n },
      (_, i) => `  - {name: d${i}, node: 0, mode: fsdax, map: mem, size: 128MiB}`,
    ).join('\n');
    const a = analyse(
      `name: t\narch: x86_64\nkernel: v6.4\nmachine:\n  nodes:\n    - { ram: 16GiB, cpus: 4, pmem: 1024GiB }\ndevices:\n${devices}\nsteps:\n  - boot\n  - probe: [${Array.from({ length: n }, (_, i) => `d${i}`).join(', ')}]\n`,
    );
    const t0 = performance.now();
    const s = summarize(a.run!, a.diagnostics, a.expectations);
    return { s, ms: performance.now() - t0 };
  };
  // Eight times the devices, about eight times the time; scanning every span per device was 64
  // times (3.4 s for 1024). Side by side, so a busy machine slows both alike.
  const small = summarised(128);
  const { s, ms } = summarised(1024);
  assert.ok(ms < 24 * small.ms + 300, `${ms} ms for 1024 devices, ${small.ms} ms for 128`);
  assert.equal(s.nodes[0].devices.length, 1024);
  assert.ok(s.nodes[0].devices.every((d) => d.pages > 0 && d.initNs > 0 && d.probeNs > 0));
});
