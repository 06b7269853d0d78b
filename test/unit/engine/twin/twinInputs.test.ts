import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run } from '../../helpers';
import { parseScenario } from '../../../../src/engine/parse/parseScenario';
import { inputKind, twinScenario } from '../../../../src/engine/twin/twin';
import { TwinInputError, type TwinInput } from '../../../../src/engine/twin/source';
import { parseRecording, sectionsNamed, type Recording } from '../../../kernel/recording';

// The twin's other inputs: `daxctl list`, the memory block listings (lsmem, sysfs) and
// `numactl -H`. The real-kernel recordings (test/fixtures/kernels) hold daxctl's and the memory
// blocks' state at each snapshot of the kmem experiment; lsmem, numactl and a soft-reserved
// (hmem) dax device come from public reports (test/fixtures/machines, cited in the README).
const kernels = join(ROOT, 'test/fixtures/kernels');
const releases = existsSync(kernels) ? readdirSync(kernels).sort() : [];
const machines = join(ROOT, 'test/fixtures/machines');
const fixture = (name: string): TwinInput => ({
  file: name,
  text: readFileSync(join(machines, name), 'utf8'),
});

function at(rec: Recording, name: string, label: string): TwinInput {
  const s = sectionsNamed(rec, name).find((x) => x.label === undefined || x.label === label);
  assert.ok(s, `the recording has a ${name} section at ${label}`);
  return { file: `${name}.txt`, text: s.body };
}

function steps(scenario: string): string[] {
  const { scenario: s, problems } = parseScenario(scenario);
  assert.deepEqual(
    problems.filter((p) => p.severity === 'error'),
    [],
  );
  return s!.steps.map((x) =>
    x.op === 'reconfigure' ? `reconfigure ${x.device} ${x.mode} ${x.online}` : x.op,
  );
}

for (const release of releases) {
  test(`twin of ${release}/kmem: daxctl and the memory blocks say how kmem holds the devdax namespace`, () => {
    const rec = parseRecording(readFileSync(join(kernels, release, 'kmem.txt'), 'utf8'));
    // Reconfigured without onlining, then onlined (daxctl's default, ZONE_MOVABLE), as the script did.
    for (const [label, online] of [
      ['reconfigured', 'none'],
      ['online', 'movable'],
    ] as const) {
      for (const daxctl of ['daxctl', 'daxctl-u']) {
        const inputs = ['dmesg', 'ndctl', 'iomem', daxctl, 'memory'].map((n) => at(rec, n, label));
        assert.deepEqual(inputs.map(inputKind), ['dmesg', 'ndctl', 'iomem', 'daxctl', 'memory']);
        const { scenario, warnings } = twinScenario(inputs);
        assert.deepEqual(warnings, [], `${label}/${daxctl}: the inputs agree`);
        assert.deepEqual(steps(scenario), [
          'boot',
          'probe',
          `reconfigure namespace0.0 system-ram ${online}`,
        ]);
        const why =
          online === 'none'
            ? /# daxctl(-u)?\.txt:\d+ "mode":"system-ram"; online: daxctl(-u)?\.txt:\d+ 0 of 7 blocks online/
            : /# daxctl(-u)?\.txt:\d+ "mode":"system-ram"; online: memory\.txt:\d+ zone Movable/;
        assert.match(scenario, why);
        // The emulated kernel does what the real one did: no error, and the blocks as the listing shows.
        const r = run(scenario);
        assert.deepEqual(
          r.diagnostics.filter((d) => d.severity === 'error'),
          [],
        );
      }
    }
    // Without daxctl, ndctl's own "daxregion" listing says the same.
    const { scenario } = twinScenario(
      ['dmesg', 'ndctl', 'iomem'].map((n) => at(rec, n, 'reconfigured')),
    );
    assert.deepEqual(steps(scenario), [
      'boot',
      'probe',
      'reconfigure namespace0.0 system-ram none',
    ]);
    assert.match(
      scenario,
      /online: none \} {2}# ndctl\.txt:\d+ "mode":"system-ram"; online: ndctl\.txt:\d+ 0 of 7 blocks online/,
    );
  });
}

test('twin: a soft-reserved (hmem) dax device is no namespace: a warning; lsmem gives the block size', () => {
  const { scenario, warnings } = twinScenario([
    fixture('daxctl-cxl-hmem.json'),
    fixture('lsmem-cxl-hmem.txt'),
  ]);
  assert.equal(warnings.length, 2);
  assert.match(
    warnings[0].message,
    /^dax0\.0 \(region \/platform\/hmem\.0\): no fsdax\/devdax namespace the inputs list holds it/,
  );
  assert.deepEqual(
    warnings[0].lines.map((l) => `${l.file}:${l.line}`),
    ['daxctl-cxl-hmem.json:8'],
  );
  assert.match(warnings[1].message, /^no input gives the boot RAM/);
  assert.match(
    scenario,
    /^# memory block size 2 GiB: lsmem-cxl-hmem\.txt:6 "Memory block size: {9}2G"/m,
  );
  assert.deepEqual(steps(scenario), ['boot']);
});

test("twin: lsmem's block size against the boot log's: the same is silent, another is a warning with both lines", () => {
  const rec = parseRecording(
    readFileSync(join(kernels, releases.at(-1)!, 'fsdax-1g-dev.txt'), 'utf8'),
  );
  const dmesg = at(rec, 'dmesg', 'end');
  assert.deepEqual(twinScenario([dmesg, fixture('lsmem-laptop.txt')]).warnings, []);
  const { warnings } = twinScenario([dmesg, fixture('lsmem-cxl-hmem.txt')]);
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0].message,
    /^the boot log says memory blocks of 128 MiB, lsmem-cxl-hmem\.txt says 2 GiB/,
  );
  assert.deepEqual(
    warnings[0].lines.map((l) => l.text.trim()),
    [
      dmesg.text
        .split('\n')
        .find((l) => /Memory block size/.test(l))!
        .trim(),
      'Memory block size:         2G',
    ],
  );
});

test('twin: numactl -H gives the nodes and their CPUs when no log does; sizes past the RAM are warnings', () => {
  const vm = twinScenario([fixture('numactl-two-node-vm.txt')]);
  assert.match(
    vm.scenario,
    /- \{ cpus: 1 \} {2}# node 0: numactl-two-node-vm\.txt:2 "node 0 cpus: 0"/,
  );
  assert.match(
    vm.scenario,
    /- \{ cpus: 1 \} {2}# node 1: numactl-two-node-vm\.txt:5 "node 1 cpus: 1"/,
  );
  const tr = twinScenario([fixture('numactl-threadripper-nps4.txt')]);
  const { scenario } = parseScenario(tr.scenario);
  assert.deepEqual(
    scenario!.machine.nodes.map((n) => n.cpus),
    [12, 12, 12, 12],
  );
  // No RAM input: numactl's nodes 1 and 2 have memory the scenario lacks.
  const sizes = tr.warnings.filter((w) => /numactl says/.test(w.message));
  assert.deepEqual(
    sizes.map((w) => w.message.split(' (')[0]),
    [
      "node 1: numactl says 64307 MiB of memory, the scenario's boot RAM on it is 0 B",
      "node 2: numactl says 64472 MiB of memory, the scenario's boot RAM on it is 0 B",
    ],
  );
  assert.deepEqual(
    sizes.map((w) => w.lines.map((l) => l.line)),
    [[6], [9]],
  );
});

test('twin: numactl agrees with a boot log of a machine of its shape (two nodes, a CPU and 1 GiB each)', () => {
  const rec = parseRecording(
    readFileSync(join(kernels, releases.at(-1)!, 'fsdax-1g-dev.txt'), 'utf8'),
  );
  const { scenario, warnings } = twinScenario([
    at(rec, 'dmesg', 'end'),
    fixture('numactl-two-node-vm.txt'),
  ]);
  assert.deepEqual(warnings, []);
  assert.deepEqual(
    parseScenario(scenario).scenario!.machine.nodes.map((n) => n.cpus),
    [1, 1],
  );
  // One CPU fewer on node 1 than the log shows: a warning naming both lines.
  const fewer = fixture('numactl-two-node-vm.txt');
  fewer.text = fewer.text.replace('node 1 cpus: 1', 'node 1 cpus:');
  const w = twinScenario([at(rec, 'dmesg', 'end'), fewer]).warnings;
  assert.equal(w.length, 1);
  assert.match(w[0].message, /^node 1: the boot log shows 1 CPU\(s\), numactl 0/);
  assert.deepEqual(
    w[0].lines.map((l) => l.file),
    ['dmesg.txt', 'numactl-two-node-vm.txt'],
  );
});

test('twin: inputs that are none of these are clear errors', () => {
  const bad: [string, string, RegExp][] = [
    [
      'dax.json',
      '[{"path":"/platform/hmem.0","devices":[]}]',
      /^dax\.json: JSON, but not daxctl list output: no device with a "chardev"/,
    ],
    ['dax2.json', '[{"chardev":"dax0.0","size":"8.00 GiB"}', /^dax2\.json: not daxctl list JSON/],
    [
      'lsmem.txt',
      'RANGE  SIZE  STATE\n\nMemory block size: 128M\n',
      /^lsmem\.txt: an lsmem header, but no 0x…-0x… range lines/,
    ],
    [
      'blocks.txt',
      '/sys/devices/system/memory/memory3/state:online\n',
      /^blocks\.txt: memory blocks without block_size_bytes/,
    ],
  ];
  for (const [file, text, message] of bad) {
    assert.throws(
      () => twinScenario([{ file, text }]),
      (e: unknown) => e instanceof TwinInputError && message.test(e.message),
      file,
    );
  }
});

test("twin: the /sys/devices/system/memory listing as `grep -H .` prints it says the same as the recorder's lines", () => {
  const rec = parseRecording(readFileSync(join(kernels, releases.at(-1)!, 'kmem.txt'), 'utf8'));
  const memory = at(rec, 'memory', 'online').text;
  // The same blocks as `grep -H . block_size_bytes memory*/state memory*/valid_zones` and `ls -d memory*/node*`.
  const sys = '/sys/devices/system/memory';
  const grep = memory.split('\n').flatMap((l) => {
    const size = /^block_size_bytes (\S+)$/.exec(l);
    if (size) return [`${sys}/block_size_bytes:${size[1]}`];
    const m = /^memory(\d+) state=(\S+) \S+ node=(\d+) valid_zones=(\S+)/.exec(l);
    return m
      ? [
          `${sys}/memory${m[1]}/state:${m[2]}`,
          `${sys}/memory${m[1]}/valid_zones:${m[4]}`,
          `${sys}/memory${m[1]}/node${m[3]}`,
        ]
      : [];
  });
  assert.ok(grep.length > 30);
  const inputs = ['dmesg', 'ndctl', 'iomem', 'daxctl'].map((n) => at(rec, n, 'online'));
  const sysfs = { file: 'memory.txt', text: grep.join('\n') };
  assert.equal(inputKind(sysfs), 'memory');
  const { scenario, warnings } = twinScenario([...inputs, sysfs]);
  assert.deepEqual(warnings, []);
  assert.deepEqual(steps(scenario).at(-1), 'reconfigure namespace0.0 system-ram movable');
  const cited =
    /online: movable \} {2}# daxctl\.txt:\d+ "mode":"system-ram"; online: memory\.txt:(\d+) zone Movable/.exec(
      scenario,
    );
  assert.ok(cited, scenario);
  assert.match(grep[Number(cited[1]) - 1], /\/valid_zones:Movable$/);
});

test('twin: a node with memory but no CPU line is CPU-less, not a default CPU', () => {
  // Kernel format lines (arch/x86/kernel/smpboot.c, mm/mm_init.c), a node 1 of memory only.
  const log = [
    '[    0.000000] Linux version 6.12.0 (gcc) #1 SMP x86_64',
    '[    0.010000] Early memory node ranges',
    '[    0.010000]   node   0: [mem 0x0000000000100000-0x000000003fffffff]',
    '[    0.010000]   node   1: [mem 0x0000000040000000-0x000000007fffffff]',
    '[    0.700000] smpboot: CPU0: Intel(R) Xeon(R)',
    '[    0.710000] .... node  #0, CPUs:        #1',
  ].join('\n');
  const { scenario } = twinScenario([{ file: 'boot.log', text: log }]);
  assert.deepEqual(
    parseScenario(scenario).scenario!.machine.nodes.map((n) => n.cpus),
    [2, 0],
  );
  assert.match(
    scenario,
    /- \{ cpus: 0 \} {2}# node 1: no line places a CPU on this node \(a CPU-less node\)/,
  );
});
