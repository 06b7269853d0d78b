import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, scenario } from '../../helpers';

const dev = '{ name: pmem0, node: 0, mode: fsdax, map: dev, size: 1GiB }';
const dmesgOf = (kernel: string) =>
  run(scenario({ kernel, devices: [dev], steps: ['boot', 'probe: [pmem0]'] })).summary.dmesg.map(
    (l) => l.replace(/^\[[\s\d.]+\] /, ''),
  );

test("memmap_init_zone_device log line in each release's format: device name v4.20–v5.3, __func__ from v5.4, pr_debug from v6.4 (dd31bad21980)", () => {
  assert.ok(
    !dmesgOf('v4.18').some((l) => l.includes('initialised,') && l.includes('pfn')),
    'v4.18 has no such line',
  );
  assert.ok(dmesgOf('v4.20').some((l) => /^pfn0\.0 initialised, \d+ pages in \d+ms$/.test(l)));
  assert.ok(
    dmesgOf('v5.10').some((l) =>
      /^memmap_init_zone_device initialised \d+ pages in \d+ms$/.test(l),
    ),
  );
  assert.ok(
    dmesgOf('v5.3').some((l) => /^pfn0\.0 initialised, \d+ pages in \d+ms$/.test(l)),
    'v5.3 still names the device',
  );
  assert.ok(
    dmesgOf('v5.4').some((l) => /^memmap_init_zone_device initialised \d+ pages in \d+ms$/.test(l)),
  );
  assert.ok(
    dmesgOf('v6.3').some((l) => /^memmap_init_zone_device initialised \d+ pages in \d+ms$/.test(l)),
    'still pr_info in v6.3 (and 6.1)',
  );
  assert.ok(
    !dmesgOf('v6.4').some((l) => l.includes('memmap_init_zone_device')),
    'pr_debug: absent unless dynamic debug is on',
  );
});

test('dyndbg: pr_debug lines reach dmesg as when the kernel boots with dyndbg="… +p"; a WARN_ONCE that fired already never does', () => {
  const text = scenario({ kernel: 'v6.4', devices: [dev], steps: ['boot', 'probe: [pmem0]'] });
  const lines = run(text, { dyndbg: true }).summary.dmesg.map((l) =>
    l.replace(/^\[[\s\d.]+\] /, ''),
  );
  assert.ok(lines.some((l) => /^memmap_init_zone_device initialised \d+ pages in \d+ms$/.test(l)));
  const gpu = (name: string, mib: number) =>
    `{ name: ${name}, type: generic, ranges: [{ start: ${mib * 2 ** 20}, size: 2MiB }] }`;
  const twice = run(
    scenario({
      kernel: 'v6.4',
      devices: [gpu('gpu0', 64), gpu('gpu1', 128)],
      steps: ['boot', 'probe: [gpu0]', 'probe: [gpu1]'],
    }),
    { dyndbg: true },
  );
  assert.ok(
    twice.run!.trace.instants.some((i) => i.code === 'mixed-region' && i.level === 'debug'),
    'the second device meets RAM too',
  );
  assert.ok(!twice.summary.dmesg.some((l) => l.includes('not printed')));
});

test('deferred init log line and threads per variant', () => {
  assert.ok(dmesgOf('v4.20').some((l) => /^node 0 initialised, \d+ pages in \d+ms$/.test(l)));
  assert.ok(dmesgOf('v5.10').some((l) => /^node 0 deferred pages initialised in \d+ms$/.test(l)));
  const threads = (kernel: string, cpus: number) =>
    run(scenario({ kernel, nodes: [`{ ram: 16GiB, cpus: ${cpus} }`] })).run!.trace.threads.map(
      (t) => t.name,
    );
  assert.deepEqual(
    threads('v4.20', 8).filter((n) => n.startsWith('pgdatinit') || n.startsWith('padata')),
    ['pgdatinit0'],
  );
  assert.equal(
    threads('v5.10', 8).filter((n) => n.startsWith('padata0/')).length,
    8,
    'padata: one helper per CPU of the node',
  );
});

test('a WARN carries the kernel splat: cut here, message, WARNING line, call trace of the open spans', () => {
  const a = run(
    scenario({
      kernel: 'v6.4',
      devices: [
        `{ name: gpu0, type: generic, ranges: [{ start: ${16 * 2 ** 30 + 2 ** 20}, size: 4MiB }] }`,
      ],
      steps: ['boot', 'probe: [gpu0]'],
    }),
  );
  const w = a.run!.trace.instants.find((i) => i.code === 'misaligned-subsection')!;
  assert.equal(w.lines![0], '------------[ cut here ]------------');
  assert.match(w.lines![2], /^WARNING: CPU: \d+ PID: \d+ at mm\/memory_hotplug\.c __add_pages$/);
  const trace = w.lines!.slice(w.lines!.indexOf('Call Trace:') + 1, -1).map((l) => l.trim());
  // x86 adds through add_pages(); pagemap_range() is inlined into memremap_pages(), so it has no frame.
  assert.deepEqual(trace, [
    '__add_pages',
    'add_pages',
    'arch_add_memory',
    'memremap_pages',
    'devm_memremap_pages',
  ]);
});
