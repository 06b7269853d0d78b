import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, exampleText, run, scenario } from '../../helpers';
import { inspectPfn } from '../../../../src/engine/run/inspect';

test('CXL example: add, online (movable), offline and remove, block by block', () => {
  const a = run(exampleText('cxl-ram-hotplug'));
  assert.ok(
    a.expectations.every((e) => e.pass),
    a.expectations.map((e) => e.message).join('\n'),
  );
  assert.ok(
    a.summary.dmesg.some((l) => l.endsWith('x86/mm: Memory block size: 2048MB')),
    '≥ 64 GiB of boot memory → 2 GiB blocks',
  );
  const lock = a.summary.locks.find((l) => l.name === 'device_hotplug_lock')!;
  assert.equal(
    lock.acquisitions,
    2 + 8 + 8 + 8 + 1,
    'one per add_memory, per block onlined or offlined, per remove',
  );
  const online = inspectPfn(a.run!, 0x10400000);
  assert.deepEqual(
    [online.zone, online.pfnToOnlinePage, online.section.online],
    ['Movable', true, true],
  );
  const removed = inspectPfn(a.run!, 0x10000000);
  assert.deepEqual([removed.memmap, removed.pfnValid], ['no-memmap', false]);
});

test('hot-added RAM memmap is Reserved until v6.11, Offline after, until it is onlined', () => {
  const steps = [
    'boot',
    'add_memory: { node: 0, start: 0x1000000000, size: 2GiB }',
    'online: { start: 0x1000000000, size: 2GiB }',
  ];
  const flag = (kernel: string) =>
    inspectPfn(
      run(scenario({ kernel, nodes: ['{ ram: 64GiB, cpus: 4 }'], steps })).run!,
      0x1000000,
      2,
    );
  assert.deepEqual(flag('v6.4').flags, []);
  const addOnly = (kernel: string) =>
    run(scenario({ kernel, nodes: ['{ ram: 64GiB, cpus: 4 }'], steps: [...steps.slice(0, 2)] }));
  assert.equal(
    inspectPfn(addOnly('v6.4').run!, 0x1000000).memmap,
    'uninitialised',
    'add_memory alone leaves the memmap for online to initialise',
  );
  const during = run(
    scenario({ kernel: 'latest', nodes: ['{ ram: 64GiB, cpus: 4 }'], steps }),
  ).run!;
  const init = during.state.pages.history(0x1000000);
  assert.equal(init[0].by, 'memmap_init_range');
  assert.deepEqual(init[0].value!.flags, ['offline']);
  const old = run(scenario({ kernel: 'v6.4', nodes: ['{ ram: 64GiB, cpus: 4 }'], steps })).run!;
  assert.deepEqual(old.state.pages.history(0x1000000)[0].value!.flags, ['reserved']);
});

test('RAM hotplug ranges must be whole memory blocks; removing online memory is refused', () => {
  const misaligned = run(
    scenario({
      nodes: ['{ ram: 64GiB, cpus: 4 }'],
      steps: ['boot', 'add_memory: { node: 0, start: 0x1000000000, size: 1GiB }'],
    }),
  );
  assert.ok(codes(misaligned).includes('misaligned-memory-block'));
  assert.ok(
    misaligned.summary.dmesg.some((l) =>
      l.includes(
        'Block size [0x80000000] unaligned hotplug range: start 0x1000000000, size 0x40000000',
      ),
    ),
  );
  const busy = run(
    scenario({
      nodes: ['{ ram: 64GiB, cpus: 4 }'],
      steps: [
        'boot',
        'add_memory: { node: 0, start: 0x1000000000, size: 2GiB }',
        'online: { start: 0x1000000000, size: 2GiB }',
        'remove_memory: { start: 0x1000000000, size: 2GiB }',
      ],
    }),
  );
  assert.ok(codes(busy).includes('memory-still-online'));
  assert.ok(
    busy.summary.dmesg.some((l) =>
      l.endsWith(
        'removing memory fails, because memory [0x0000001000000000-0x000000107fffffff] is onlined',
      ),
    ),
  );
  assert.equal(busy.run!.steps[3].outcome, 'failed', 'v5.2+ (eca499ab3749): -EBUSY');
  const old = run(
    scenario({
      kernel: 'v4.20',
      nodes: ['{ ram: 64GiB, cpus: 4 }'],
      steps: [
        'boot',
        'add_memory: { node: 0, start: 0x1000000000, size: 2GiB }',
        'online: { start: 0x1000000000, size: 2GiB }',
        'remove_memory: { start: 0x1000000000, size: 2GiB }',
      ],
    }),
  );
  assert.equal(old.run!.steps[3].outcome, 'killed', 'before v5.2 remove_memory() calls BUG()');
  const part = run(
    scenario({
      nodes: ['{ ram: 64GiB, cpus: 4 }'],
      steps: [
        'boot',
        'add_memory: { node: 0, start: 0x1000000000, size: 2GiB }',
        'remove_memory: { start: 0x1000000000, size: 1GiB }',
      ],
    }),
  );
  assert.equal(
    part.run!.steps[2].outcome,
    'killed',
    'BUG_ON(check_hotplug_memory_range()) in every version',
  );
  assert.ok(part.summary.dmesg.some((l) => l.endsWith('kernel BUG at mm/memory_hotplug.c!')));
  const small = run(
    scenario({
      nodes: ['{ ram: 16GiB, cpus: 4 }'],
      steps: ['boot', 'add_memory: { node: 0, start: 0x1000000000, size: 128MiB }'],
    }),
  );
  assert.ok(
    !codes(small).includes('misaligned-memory-block'),
    'below 64 GiB of boot memory blocks are 128 MiB',
  );
});

test("memmap_on_memory: each block's memmap at its own start — one-block adds from v5.14 (a08a2ae34613), every block from v6.8 (6b8f0798b85a)", () => {
  const add = (kernel: string, size: string) =>
    run(
      scenario({
        kernel,
        nodes: ['{ ram: 16GiB, cpus: 4 }'],
        steps: [
          'boot',
          `add_memory: { node: 0, start: 0x1000000000, size: ${size}, memmap_on_memory: true }`,
          `online: { start: 0x1000000000, size: ${size} }`,
          `offline: { start: 0x1000000000, size: ${size} }`,
          `remove_memory: { start: 0x1000000000, size: ${size} }`,
        ],
      }),
    );
  // A 128 MiB block of 4 KiB pages has 32768 struct pages of 64 bytes: 2 MiB, 512 pages, of memmap.
  const one = add('v5.14', '128MiB');
  assert.equal(one.summary.counters.vmemmapBytesAltmapPeak, 2 * 2 ** 20);
  assert.equal(one.summary.counters.vmemmapBytesDramPeak, 0);
  // Online: the first 512 pages hold the memmap (never freed to the buddy allocator), the rest is free memory.
  const online = (a: typeof one, pfn: number) => a.run!.state.pages.at(pfn, 2);
  assert.notEqual(online(one, 0x1000000)?.refcount, 0, 'a memmap page is not a free page');
  assert.deepEqual(online(one, 0x1000000 + 512), {
    ...online(one, 0x1000000 + 512)!,
    refcount: 0,
    flags: [],
  });
  assert.deepEqual(
    one.summary.steps.map((s) => s.outcome),
    ['ok', 'ok', 'ok', 'ok', 'ok'],
  );
  // v5.14–v6.7: a bigger add is not asked to carry its memmap; v6.8: every block carries its own.
  const big = add('v6.6', '1GiB');
  assert.ok(codes(big).includes('memmap-on-memory-unused'));
  assert.equal(big.summary.counters.vmemmapBytesAltmapPeak, 0);
  const perBlock = add('v6.8', '1GiB');
  assert.ok(!codes(perBlock).includes('memmap-on-memory-unused'));
  assert.equal(perBlock.summary.counters.vmemmapBytesAltmapPeak, 8 * 2 * 2 ** 20);
  assert.equal(perBlock.summary.counters.vmemmapBytesDramPeak, 0);
  // Before v5.14 there is no memmap_on_memory to ask for.
  assert.match(
    add('v5.13', '128MiB').summary.steps[1].error!,
    /memmap_on_memory arrived in v5.14 \(a08a2ae34613\)/,
  );
});

test('online policies: "online" inherits the zone a block touches (contig-zones); auto-movable (v5.15, e83a437faa62) keeps ZONE_MOVABLE within 301% of boot memory', () => {
  const zones = (policy: string, kernel = 'v6.1') => {
    const a = run(
      scenario({
        kernel,
        nodes: ['{ ram: 4GiB, cpus: 4 }'],
        machine: ['auto_online_blocks: online', `online_policy: ${policy}`],
        steps: [
          'boot',
          'add_memory: { node: 0, start: 0x1000000000, size: 8GiB }',
          'add_memory: { node: 0, start: 0x1200000000, size: 8GiB }',
        ],
      }),
    );
    return [0x1000000000, 0x11f8000000, 0x1200000000].map(
      (addr) =>
        a.run!.state.memoryBlocks.get(addr / (128 * 2 ** 20))?.zone ?? a.summary.steps[1].error,
    );
  };
  assert.deepEqual(zones('contig-zones'), ['Normal', 'Normal', 'Normal']);
  // 4 GiB of boot memory allows 12.04 GiB of ZONE_MOVABLE: the first 8 GiB group fits whole, the second does not.
  assert.deepEqual(zones('auto-movable'), ['Movable', 'Movable', 'Normal']);
  assert.match(
    String(zones('auto-movable', 'v5.14')[0]),
    /online_policy=auto-movable: v5\.14 has no online policies \(they came in v5\.15, e83a437faa62\)/,
  );
});
