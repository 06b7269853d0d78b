import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run, scenario } from '../../helpers';
import { parseRecording, sectionsNamed } from '../../../kernel/recording';

/**
 * daxctl reconfigure-device (drivers/dax/kmem.c) against the kernels recorded under QEMU
 * (test/fixtures/kernels/<release>/kmem.txt): the same machine and namespace, reconfigured to
 * system-ram without onlining, onlined, offlined, and given back to device_dax.
 */
const RELEASES = ['6.1.0-57-amd64', '6.12.118+deb12-amd64'];

/** The recorded machine: two 1 GiB nodes, a 4 GiB NVDIMM region at 4 GiB on node 1. */
const machine = (kernel: string, steps: string[]) =>
  scenario({
    kernel,
    nodes: ['{ ram: 1GiB, cpus: 1 }', '{ ram: 1GiB, cpus: 1 }'],
    machine: ['pmem:', '    - { node: 1, start: 0x100000000, size: 4GiB }'],
    devices: ['{ name: dax0.0, node: 1, mode: devdax, map: dev, size: 1GiB, align: 2MiB }'],
    steps,
  });
const STEPS = [
  'boot',
  'probe: [dax0.0]',
  'reconfigure: { device: dax0.0, mode: system-ram, online: none }',
];

function snapshot(release: string, name: string, label: string): string {
  const rec = parseRecording(
    readFileSync(join(ROOT, 'test', 'fixtures', 'kernels', release, 'kmem.txt'), 'utf8'),
  );
  const s = sectionsNamed(rec, name).find((x) => x.label === label);
  assert.ok(s, `${release}: no ${name} @ ${label}`);
  return s.body;
}

/** memoryN lines of node 1 beyond boot memory: block number → state and zones. */
function hotplugBlocks(body: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const m of body.matchAll(
    /^memory(\d+) state=(\w+) phys_index=\w+ node=1 valid_zones=(\S+)/gm,
  )) {
    if (Number(m[1]) >= 16) out.set(Number(m[1]), `${m[2]} ${m[3]}`);
  }
  return out;
}

for (const release of RELEASES) {
  test(`kmem on ${release}: the blocks and iomem the kernel showed after reconfigure, online and offline`, () => {
    const steps = [
      ...STEPS,
      'online: { start: 0x108000000, size: 896MiB, zone: movable }',
      'offline: { start: 0x108000000, size: 896MiB }',
      'reconfigure: { device: dax0.0, mode: devdax }',
    ];
    const a = run(machine(release, steps));
    assert.deepEqual(
      a.summary.steps.map((s) => s.outcome),
      steps.map(() => 'ok'),
    );
    const blocks = a.run!.state.memoryBlocks;
    const at = (step: number) =>
      new Map(
        [
          ...hotplugBlocks(snapshot(release, 'memory', 'devdax')).keys(),
          ...hotplugBlocks(snapshot(release, 'memory', 'reconfigured')).keys(),
        ].map((b) => [b, blocks.at(b, step)]),
      );
    // After reconfigure --no-online: the kernel's blocks, all offline (valid_zones lists where they could go).
    const reconfigured = hotplugBlocks(snapshot(release, 'memory', 'reconfigured'));
    assert.ok(reconfigured.size > 0);
    for (const [b, state] of at(2))
      assert.equal(
        state?.state,
        reconfigured.get(b)?.split(' ')[0],
        `block ${b} after reconfigure`,
      );
    // After online-memory: every block online in ZONE_MOVABLE.
    const online = hotplugBlocks(snapshot(release, 'memory', 'online'));
    for (const [b, state] of at(3))
      assert.equal(
        state && `${state.state} ${state.zone}`,
        online.get(b),
        `block ${b} after online`,
      );
    // iomem after reconfigure: dax0.0 over the block-aligned range, System RAM (kmem) inside it.
    const iomem = snapshot(release, 'iomem', 'reconfigured');
    const kmem = /^ {4}([0-9a-f]+)-([0-9a-f]+) : (System RAM \(kmem\))$/m.exec(iomem)!;
    const parent = /^ {2}([0-9a-f]+)-([0-9a-f]+) : dax0\.0$/m.exec(iomem)!;
    const after = run(machine(release, STEPS)).run!.state.resources.map(
      (r) => `${r.start.toString(16)}-${(r.end - 1).toString(16)} : ${r.name}`,
    );
    assert.ok(after.includes(`${parent[1]}-${parent[2]} : dax0.0`), after.join('\n'));
    assert.ok(after.includes(`${kmem[1]}-${kmem[2]} : ${kmem[3]}`), after.join('\n'));
    // Offline prints "Offlined Pages %ld" once per block (pr_debug here; the recording has dynamic debug on).
    const offlined = [
      ...snapshot(release, 'dmesg', undefined as unknown as string).matchAll(
        /\] Offlined Pages (\d+)$/gm,
      ),
    ].map((m) => Number(m[1]));
    const emulated = a
      .run!.trace.instants.filter((i) => i.text.startsWith('Offlined Pages '))
      .map((i) => Number(i.text.split(' ')[2]));
    assert.deepEqual(emulated, offlined);
  });
}

test("kmem refuses to give memory back while a block is online, in each release's words; before v5.3 never", () => {
  const steps = [
    ...STEPS.slice(0, 2),
    'reconfigure: { device: dax0.0, mode: system-ram }',
    'reconfigure: { device: dax0.0, mode: devdax }',
  ];
  const refused = (kernel: string) =>
    run(machine(kernel, steps))
      .summary.dmesg.find((l) => l.includes('cannot be hotremoved'))
      ?.replace(/^\[[^\]]*\] /, '');
  // drivers/dax/kmem.c: dev_dax_kmem_remove(): "DAX region %pR" until v5.9, per "mapping%d" range from v5.10.
  assert.equal(
    refused('v5.9'),
    'kmem dax0.0: DAX region [mem 0x101200000-0x13fffffff flags 0x200] cannot be hotremoved until the next reboot',
  );
  assert.equal(
    refused('v5.10'),
    'kmem dax0.0: mapping0: 0x108000000-0x13fffffff cannot be hotremoved until the next reboot',
  );
  const v52 = run(machine('v5.2', steps));
  assert.match(v52.summary.steps[3].error!, /cannot hot-remove memory.*9f960da72b25/);
  assert.match(run(machine('v5.0', steps)).summary.steps[2].error!, /no kmem driver.*c221c0b0308f/);
});

for (const release of RELEASES) {
  test(`kmem on ${release}: with the kernel's own auto_online_blocks, system-ram --no-movable ends with the blocks the kernel showed`, () => {
    // The policy this kernel booted with, as the kmem experiment printed it before changing it.
    const output = snapshot(release, 'output', undefined as unknown as string);
    const policy = /\$ cat \/sys\/devices\/system\/memory\/auto_online_blocks\n(\w+)/.exec(
      output,
    )![1];
    const text = scenario({
      kernel: release,
      nodes: ['{ ram: 1GiB, cpus: 1 }', '{ ram: 1GiB, cpus: 1 }'],
      machine: [
        'pmem:',
        '    - { node: 1, start: 0x100000000, size: 4GiB }',
        `auto_online_blocks: ${policy}`,
      ],
      devices: ['{ name: dax0.0, node: 1, mode: devdax, map: dev, size: 512MiB, align: 2MiB }'],
      steps: [
        'boot',
        'probe: [dax0.0]',
        'reconfigure: { device: dax0.0, mode: system-ram, online: normal }',
      ],
    });
    const a = run(text);
    const rec = parseRecording(
      readFileSync(
        join(ROOT, 'test', 'fixtures', 'kernels', release, 'kmem-online-normal.txt'),
        'utf8',
      ),
    );
    const kernel = hotplugBlocks(sectionsNamed(rec, 'memory').find((s) => s.label === 'end')!.body);
    assert.ok(kernel.size > 0);
    const emulated = new Map([...kernel.keys()].map((b) => [b, a.run!.state.memoryBlocks.get(b)]));
    for (const [b, state] of emulated)
      assert.equal(state && `${state.state} ${state.zone}`, kernel.get(b), `block ${b}`);
    const added = [...a.run!.state.memoryBlocks.current.overlapping(16, 64)].reduce(
      (n, r) => n + r.end - Math.max(r.start, 16),
      0,
    );
    assert.equal(added, kernel.size, 'as many hot-added blocks as the kernel made');
  });
}

test("kmem with memmap_on_memory: refused before v6.8 (4eca0ef49af9), CXL-only in v6.8, each block's own from v6.9", () => {
  const steps = [
    'boot',
    'probe: [dax0.0]',
    'reconfigure: { device: dax0.0, mode: system-ram, online: movable, memmap_on_memory: true }',
  ];
  const at = (kernel: string) => run(machine(kernel, steps));
  assert.match(at('v6.7').run!.steps[2].error!, /never asks for memmap_on_memory .*4eca0ef49af9/);
  assert.match(at('v6.8').run!.steps[2].error!, /only for CXL dax regions/);
  const now = at('v6.9');
  assert.equal(now.run!.steps[2].outcome, 'ok');
  const carved = now.run!.trace.spans.filter((s) => s.name === 'mhp_init_memmap_on_memory');
  const blocks = now
    .run!.state.memoryBlocks.current.all()
    .filter((r) => r.value.vmemmapPages === 512);
  assert.ok(carved.length > 0);
  assert.equal(
    carved.length,
    blocks.reduce((n, r) => n + r.end - r.start, 0),
    'one carve-out per block, each onlined',
  );
  // Without the attribute the same reconfigure takes its memmap from node RAM.
  const plain = run(
    machine(
      'v6.9',
      steps.map((s) => s.replace(', memmap_on_memory: true', '')),
    ),
  );
  assert.ok(!plain.run!.trace.spans.some((s) => s.name === 'mhp_init_memmap_on_memory'));
});
