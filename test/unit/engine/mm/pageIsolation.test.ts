import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, run, scenario } from '../../helpers';

// offline_pages() (mm/memory_hotplug.c) on 128 MiB blocks that hold pages it cannot take: what the step
// returns and what the kernel prints, on both sides of 2932c8b05056/7960509329c2 (v5.0).

const BLOCK = 'start: 0x1000000000, size: 1GiB';
const add = (extra = '') => `add_memory: { node: 0, start: 0x1000000000, size: 2GiB${extra} }`;

function offline(kernel: string, steps: string[], arch = 'x86_64') {
  const a = run(
    scenario({ kernel, arch, nodes: ['{ ram: 16GiB, cpus: 4 }'], steps: ['boot', ...steps] }),
  );
  const dmesg = a.run!.trace.instants.map((e) => (e.lines ?? [e.text]).join('\n')).join('\n');
  return { a, dmesg, steps: a.run!.steps };
}

test('a kernel allocation in a ZONE_NORMAL block: -EBUSY, the page dumped and the reason from v5.0', () => {
  const steps = [
    add(),
    `online: { ${BLOCK}, zone: normal }`,
    'alloc_pages: { pfn: 0x1000010, gfp: GFP_KERNEL }',
    `offline: { ${BLOCK} }`,
  ];
  const now = offline('v6.12', steps);
  assert.equal(now.steps[4].outcome, 'failed');
  assert.match(now.steps[4].error!, /-16$/);
  assert.match(now.dmesg, /pfn:0x1000010\nflags: \(\)\npage dumped because: unmovable page/);
  assert.match(
    now.dmesg,
    /memory offlining \[mem 0x1000000000-0x1007ffffff\] failed due to failure to isolate range/,
  );
  assert.ok(codes(now.a).includes('memory-offline-failed'));
  // __dump_folio() (fae7d834c43c) dropped the page's address, as the Debian 6.12 recording prints it.
  assert.match(
    now.dmesg,
    /^page: refcount:1 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x1000010$/m,
  );
  assert.match(offline('v6.8', steps).dmesg, /^page:ffff[0-9a-f]+ refcount:1 mapcount:0 /m);
  // v4.20: start_isolate_page_range() fails before any message; the step fails all the same.
  const then = offline('v4.20', steps);
  assert.match(then.steps[4].error!, /-16$/);
  assert.doesNotMatch(then.dmesg, /unmovable page|memory offlining/);
  assert.ok(!codes(then.a).includes('memory-offline-failed'));
});

test('a ZONE_MOVABLE block with only user pages offlines: they migrate away', () => {
  const r = offline('v6.12', [
    add(),
    `online: { ${BLOCK}, zone: movable }`,
    'alloc_pages: { pfn: 0x1000010, pages: 64, gfp: GFP_HIGHUSER_MOVABLE }',
    `offline: { ${BLOCK} }`,
  ]);
  assert.equal(r.steps[4].outcome, 'ok');
  assert.ok(r.a.run!.trace.spans.some((s) => s.name === 'do_migrate_range'));
  assert.equal((r.dmesg.match(/Offlined Pages 32768/g) ?? []).length, 8);
});

test('a pinned user page fails migration on every pass: -EINTR once a signal comes', () => {
  const steps = [
    add(),
    `online: { ${BLOCK}, zone: movable }`,
    'alloc_pages: { pfn: 0x1000010, pages: 4, gfp: GFP_HIGHUSER_MOVABLE }',
    'get_page: { pfn: 0x1000012 }',
    `offline: { ${BLOCK} }`,
  ];
  const now = offline('v6.12', steps);
  assert.match(now.steps[5].error!, /-4$/);
  assert.match(
    now.dmesg,
    /migrating pfn 1000012 failed ret:1\n.*refcount:2.*\nflags: \(lru\)\npage dumped because: migration failure/,
  );
  assert.match(now.dmesg, /failed due to signal backoff/);
  const then = offline('v4.20', steps);
  assert.match(then.dmesg, /memory offlining \[mem 0x1000000000-0x1007ffffff\] failed$/m);
  assert.doesNotMatch(then.dmesg, /migration failure/);
});

test('a block that holds its own memmap offlines: offline_pages() starts after the vmemmap pages', () => {
  const r = offline('v6.12', [
    add(', memmap_on_memory: true'),
    `online: { ${BLOCK} }`,
    `offline: { ${BLOCK} }`,
  ]);
  assert.equal(r.steps[3].outcome, 'ok');
  // 128 MiB blocks, 512 of their 32768 pages hold their memmap: 8 blocks of 32256.
  assert.equal((r.dmesg.match(/Offlined Pages 32256/g) ?? []).length, 8);
});

test('GFP_KERNEL from a ZONE_MOVABLE block is refused at the gfp key', () => {
  const r = offline('v6.12', [
    add(),
    `online: { ${BLOCK}, zone: movable }`,
    'alloc_pages: { pfn: 0x1000010, gfp: GFP_KERNEL }',
  ]);
  const d = r.a.diagnostics.find((x) => x.code === 'invalid-step')!;
  assert.match(d.message, /ZONE_MOVABLE, which never serves GFP_KERNEL/);
  assert.equal(r.steps[3].outcome, 'failed');
});

test('memmap_on_memory per arch: s390 from v6.9, riscv from v6.11 (f8c2a240556e), never ppc64 hash', () => {
  const ok = (kernel: string, arch: string) =>
    offline(
      kernel,
      ['add_memory: { node: 0, start: 0x1000000000, size: 256MiB, memmap_on_memory: true }'],
      arch,
    ).steps[1];
  assert.match(
    ok('v6.8', 's390x').error!,
    /s390x does not select ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE in v6.8/,
  );
  assert.equal(ok('v6.9', 's390x').outcome, 'ok');
  assert.match(ok('v6.10', 'riscv64').error!, /riscv64 does not select/);
  assert.equal(ok('v6.11', 'riscv64').outcome, 'ok');
  assert.match(ok('v6.18', 'ppc64-hash').error!, /ppc64-hash does not select/);
  assert.match(ok('v5.13', 'x86_64').error!, /arrived in v5\.14 \(a08a2ae34613\)/);
});
