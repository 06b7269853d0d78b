import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codes, exampleText, ROOT, run, scenario } from '../../helpers';
import { inspectPfn } from '../../../../src/engine/run/inspect';

const PMEM = 16 * 2 ** 30;

test("misaligned sub-section: the WARN in the variant's words, -EINVAL, at the device line", () => {
  const start = PMEM + 2 ** 20; // 1 MiB: not a sub-section boundary
  const dev = `{ name: gpu0, type: generic, ranges: [{ start: ${start}, size: 4MiB }] }`;
  const typo = run(scenario({ kernel: 'v6.4', devices: [dev], steps: ['boot', 'probe: [gpu0]'] }));
  const fixed = run(
    scenario({ kernel: 'latest', devices: [dev], steps: ['boot', 'probe: [gpu0]'] }),
  );
  const pfn = start / 4096;
  const end = pfn + 1024 - 1;
  assert.ok(
    typo.summary.dmesg.some((l) =>
      l.endsWith(`Misaligned __add_pages start: 0x${pfn.toString(16)} end: #${end.toString(16)}`),
    ),
    typo.summary.dmesg.join('\n'),
  );
  assert.ok(
    fixed.summary.dmesg.some((l) =>
      l.endsWith(`Misaligned __add_pages start: 0x${pfn.toString(16)} end: 0x${end.toString(16)}`),
    ),
  );
  const d = typo.diagnostics.find((x) => x.code === 'misaligned-subsection')!;
  assert.equal(d.severity, 'error');
  assert.equal(d.span.line, 8, 'the device line');
  assert.equal(typo.run!.devices[0].state, 'failed');
});

test('a range over System RAM is refused: attempted on mixed region', () => {
  const dev = `{ name: bad, type: generic, ranges: [{ start: ${PMEM - 64 * 2 ** 20}, size: 128MiB }] }`;
  const a = run(scenario({ devices: [dev], steps: ['boot', 'probe: [bad]'] }));
  assert.ok(codes(a).includes('mixed-region'));
  assert.ok(
    a.summary.dmesg.some((l) =>
      l.includes(
        `attempted on mixed region 0x${(PMEM - 64 * 2 ** 20).toString(16)}-0x${(PMEM + 64 * 2 ** 20 - 1).toString(16)}`,
      ),
    ),
  );
  const clean = run(
    scenario({
      devices: [`{ name: ok, type: generic, ranges: [{ start: ${PMEM}, size: 128MiB }] }`],
      steps: ['boot', 'probe: [ok]'],
    }),
  );
  assert.ok(!codes(clean).includes('mixed-region'));
});

test('the lost percpu_ref_get: the ref underflows at teardown and memunmap_pages hangs', () => {
  const text = exampleText('missing-ref-regression');
  const bad = run(text);
  const warn = bad.run!.trace.instants.find((i) => i.code === 'pgmap-ref-underflow')!;
  assert.match(
    warn.text,
    /^percpu ref \(blk_queue_usage_counter_release\) <= 0 \(-\d+\) after switching to atomic$/,
  );
  assert.ok(
    warn.lines!.some((l) => /^WARNING: CPU: \d+ PID: \d+ at lib\/percpu-refcount\.c/.test(l)),
  );
  assert.ok(
    Number(warn.fields!.count) < -1000,
    'puts during the RCU grace period drive it far below zero',
  );
  assert.equal(bad.run!.steps[2].outcome, 'blocked');
  assert.ok(
    bad.summary.dmesg.some((l) =>
      /INFO: task scenario:\d+ blocked for more than 120 seconds\./.test(l),
    ),
  );
  const fixed = run(text, { variant: 'v4.20' });
  assert.ok(!codes(fixed).includes('pgmap-ref-underflow'));
  assert.equal(fixed.run!.steps[2].outcome, 'ok');
});

test('a get_dev_pagemap without its put: teardown waits forever on pgmap->done, blamed on the take', () => {
  const dev = '{ name: pmem0, node: 0, mode: fsdax, map: mem, size: 1GiB }';
  const leak = run(
    scenario({
      devices: [dev],
      steps: [
        'boot',
        'probe: [pmem0]',
        'get_dev_pagemap: { device: pmem0, pfn: +0x10, count: 3 }',
        'remove: pmem0',
      ],
    }),
  );
  const d = leak.diagnostics.find((x) => x.code === 'leaked-pgmap-ref')!;
  assert.ok(d, leak.diagnostics.map((x) => x.code).join());
  assert.match(d.message, /3 reference\(s\) never put/);
  assert.equal(d.span.line, 13, 'at the remove step');
  assert.equal(d.related![0].span.line, 12, 'related: the get_dev_pagemap step');
  const balanced = run(
    scenario({
      devices: [dev],
      steps: [
        'boot',
        'probe: [pmem0]',
        'get_dev_pagemap: { device: pmem0, pfn: +0x10, count: 3 }',
        'put_dev_pagemap: { device: pmem0, count: 3 }',
        'remove: pmem0',
      ],
    }),
  );
  assert.ok(!codes(balanced).includes('leaked-pgmap-ref'));
  assert.equal(balanced.run!.devices[0].state, 'removed');
});

test('v4.18 initialises every page under the lock, then sets page->pgmap in a second loop', () => {
  const dev = '{ name: pmem0, node: 0, mode: fsdax, map: dev, size: 4GiB }';
  const a = run(scenario({ kernel: 'v4.18', devices: [dev], steps: ['boot', 'probe: [pmem0]'] }));
  const names = a.run!.trace.spans.filter((s) => s.args.device === 'pmem0').map((s) => s.name);
  assert.ok(
    names.includes('memmap_init_zone') &&
      names.includes('for_each_device_pfn') &&
      !names.includes('memmap_init_zone_device'),
  );
  const b = run(scenario({ kernel: 'v4.20', devices: [dev], steps: ['boot', 'probe: [pmem0]'] }));
  const spans = b.run!.trace.spans;
  const init = spans.find((s) => s.name === 'memmap_init_zone_device')!;
  const lock = b.run!.trace.locks.find((l) => l.lock === 'mem_hotplug_lock')!;
  assert.ok(
    init.start >= lock.released!,
    'v4.20: device pages are initialised after mem_hotplug_done()',
  );
  const underLock = spans.find((s) => s.name === 'memmap_init_zone')!;
  const layout = b.run!.devices[0].layout!;
  assert.equal(
    underLock.args.pages,
    layout.altmap!.free,
    'only the altmap memmap pages under the lock',
  );
  assert.equal(init.args.pages, layout.npfns);
});

test('refs are taken per folio from v5.17: percpu_ref_get_many(npages >> vmemmap_shift)', () => {
  const dev = '{ name: dax0, node: 0, mode: devdax, map: mem, size: 1GiB, align: 2MiB }';
  const gets = (kernel: string) =>
    run(
      scenario({ kernel, devices: [dev], steps: ['boot', 'probe: [dax0]'] }),
    ).run!.trace.spans.find((s) => s.name === 'percpu_ref_get_many')!.args.refs;
  assert.equal(gets('v5.10'), 262144);
  assert.equal(gets('v5.17'), 512);
});

test('device page state after probe: reserved, refcount by variant and type, pgmap, zone Device', () => {
  const fsdax = '{ name: pmem0, node: 0, mode: fsdax, map: dev, size: 1GiB }';
  const a = run(scenario({ kernel: 'v6.1', devices: [fsdax], steps: ['boot', 'probe: [pmem0]'] }));
  const pfn = a.run!.devices[0].layout!.dataPfn;
  const p = inspectPfn(a.run!, pfn);
  assert.deepEqual(
    [p.flags, p.refcount, p.zone, p.pgmap?.type, p.initialisedBy],
    [['reserved'], 1, 'Device', 'fsdax', 'memmap_init_zone_device'],
  );
  const priv = `{ name: gpu0, type: private, ranges: [{ start: ${PMEM}, size: 1GiB }] }`;
  const refcount = (kernel: string) =>
    inspectPfn(
      run(scenario({ kernel, devices: [priv], steps: ['boot', 'probe: [gpu0]'] })).run!,
      PMEM / 4096,
    ).refcount;
  assert.equal(refcount('v5.17'), 1);
  assert.equal(refcount('v6.1'), 0, 'v6.1: device-private pages idle at refcount 0');
  const infoBlock = inspectPfn(a.run!, a.run!.devices[0].layout!.rangeStart / 4096);
  assert.equal(
    infoBlock.memmap,
    'uninitialised',
    'the info block is never initialised with map=dev',
  );
});

test("the span tree under memremap_pages() has the real kernel's functions; those it inlines are marked (6.12 function_graph recording)", () => {
  const rec = readFileSync(
    join(ROOT, 'test', 'fixtures', 'kernels', '6.12.118+deb12-amd64', 'trace-fsdax-1g-dev.txt'),
    'utf8',
  );
  const traced = new Set(
    [...rec.matchAll(/\|\s+([\w.]+)\(\)/g)].map((m) =>
      m[1].replace(/\.(constprop|isra|part)\.\d+$/, ''),
    ),
  );
  const a = run(
    scenario({
      kernel: '6.12',
      nodes: ['{ ram: 1GiB, cpus: 1 }', '{ ram: 1GiB, cpus: 1 }'],
      machine: ['pmem:', '    - { node: 1, start: 0x100000000, size: 4GiB }'],
      devices: ['{ name: p, node: 1, mode: fsdax, map: dev, size: 1GiB }'],
      steps: ['boot', 'probe: [p]'],
    }),
  );
  const spans = a.run!.trace.spans;
  const root = spans.find((s) => s.name === 'memremap_pages')!;
  const under = (s: (typeof spans)[number]): boolean =>
    s.parent !== undefined && (s.parent === root.id || under(spans[s.parent]));
  const names = new Map(spans.filter(under).map((s) => [s.name, !!s.args.inlined]));
  assert.ok(names.size > 5, [...names.keys()].join(' '));
  for (const [name, inlined] of names)
    assert.equal(
      traced.has(name),
      !inlined,
      `${name}: ${inlined ? 'marked inlined but traced' : 'not in the real trace'}`,
    );
  // And the other way: the hot-plug path's functions the kernel shows are the emulator's spans too.
  for (const name of [
    'arch_add_memory',
    'init_memory_mapping',
    'add_pages',
    '__add_pages',
    'sparse_add_section',
    '__populate_section_memmap',
    'vmemmap_populate',
    'move_pfn_range_to_zone',
    'memmap_init_zone_device',
  ]) {
    assert.ok(
      traced.has(name) && names.has(name),
      `${name}: ${traced.has(name) ? 'not emulated' : 'not in the real trace'}`,
    );
  }
});
