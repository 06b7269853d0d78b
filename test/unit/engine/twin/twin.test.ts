import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, run } from '../../helpers';
import { main } from '../../../../src/cli/main';
import { EXIT } from '../../../../src/cli/exitCodes';
import { parseScenario } from '../../../../src/engine/parse/parseScenario';
import type { Scenario } from '../../../../src/engine/scenario/model';
import { twinScenario } from '../../../../src/engine/twin/twin';
import { LAST_RELEASE } from '../../../../src/engine/kernel/release';
import { versionName } from '../../../../src/engine/kernel/version';
import { parseRecording, sectionsNamed, type Recording } from '../../../kernel/recording';
import { groundTruth, type GroundTruth } from '../../../kernel/groundTruth';
import { iomem, memory, nodes } from '../../../kernel/sections';

// memmap-lab twin on the real-kernel recordings (test/fixtures/kernels): the boot log, `ndctl list`
// and /proc/iomem the guest printed go in as files, and the scenario that comes out must be the
// machine QEMU was told to build (its command line in the recording's header), hold the namespaces
// the experiment created (test/kernel/groundTruth.ts reads them from the script and ndctl's
// answers), and emulate memmap_init_zone_device over as many pages as the kernel said.
const dir = join(ROOT, 'test/fixtures/kernels');
const kernels = existsSync(dir) ? readdirSync(dir).sort() : [];

function section(rec: Recording, name: string): string {
  const s = sectionsNamed(rec, name).find((x) => x.label === undefined || x.label === 'end');
  assert.ok(s, `the recording has a ${name} section`);
  return s.body;
}

/** Runs the CLI in a fresh folder holding `files`; returns the exit code, stdout, stderr and the folder. */
function cli(
  files: Record<string, string | Buffer>,
  argv: string[],
): { code: number; out: string; err: string; dir: string } {
  const tmp = mkdtempSync(join(tmpdir(), 'twin-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(tmp, name), body);
  const out: string[] = [];
  const err: string[] = [];
  const code = main(
    argv.map((a) => (a in files || a.endsWith('.yaml') ? join(tmp, a) : a)),
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out: out.join('\n'), err: err.join('\n'), dir: tmp };
}

function parsed(text: string): Scenario {
  const { scenario, problems } = parseScenario(text);
  assert.deepEqual(
    problems.filter((p) => p.severity === 'error'),
    [],
  );
  assert.ok(scenario);
  return scenario;
}

/** Experiments that only create namespaces: their machine at the end is the boot machine plus those namespaces. */
function createsOnly(gt: GroundTruth): boolean {
  return (
    gt.devices.length > 0 &&
    gt.steps.every((s) => (s.text === 'boot' || s.text.startsWith('probe:')) && s.ok !== false)
  );
}

for (const release of kernels) {
  const experiments = readdirSync(join(dir, release))
    .filter((f) => f.endsWith('.txt'))
    .sort();
  for (const file of experiments) {
    const rec = parseRecording(readFileSync(join(dir, release, file), 'utf8'));
    const gt = groundTruth(rec);
    if (!createsOnly(gt)) continue;
    test(`twin of ${release}/${gt.experiment}: the machine QEMU built, the namespaces created, the pages initialised`, () => {
      const files = {
        'dmesg.txt': section(rec, 'dmesg'),
        'ndctl.json': section(rec, 'ndctl'),
        'iomem.txt': section(rec, 'iomem'),
      };
      const r = cli(files, [
        'twin',
        'dmesg.txt',
        'ndctl.json',
        'iomem.txt',
        '-o',
        'machine.memmap.yaml',
      ]);
      try {
        assert.equal(r.code, EXIT.ok.code, r.err);
        assert.equal(r.err, '', 'the inputs agree: no warnings');
        // The twin runs and compares itself with the boot log: every page count, node and block
        // size the kernel printed, the twin prints too.
        assert.match(
          r.out,
          /\n.*dmesg\.txt: the twin's run against the machine's log: [1-9]\d* event\(s\) paired, 0 only in the twin, 0 only on the machine; counts, offsets and sizes agree\n/,
        );
        const text = readFileSync(join(r.dir, 'machine.memmap.yaml'), 'utf8');
        const s = parsed(text);
        const qemu = rec.header.get('qemu-command')!;
        assert.equal(s.kernel.name, rec.header.get('uname-r'));
        assert.equal(s.arch.name, /^qemu-system-(\S+)/.exec(qemu)![1]);
        // Nodes and CPUs: QEMU's -numa options.
        const want = nodes(qemu);
        assert.deepEqual(
          s.machine.nodes.map((n) => n.cpus),
          want.map((n) => n.cpus),
        );
        // RAM: every range lies in its node's window of QEMU's layout (node after node from 0), on the
        // node /sys/devices/system/memory puts its blocks, and together they are /proc/iomem's System RAM.
        const windows = want
          .map((_, i) => want.slice(0, i).reduce((a, m) => a + m.ram, 0))
          .map((start, i) => ({ start, end: start + want[i].ram }));
        const blocks = memory(section(rec, 'memory'));
        for (const ram of s.machine.ram!) {
          assert.ok(
            ram.start >= windows[ram.node].start && ram.start + ram.size <= windows[ram.node].end,
            `RAM ${ram.start.toString(16)} lies in node ${ram.node}'s window`,
          );
          const first = Math.floor(ram.start / blocks.blockSize);
          const last = Math.floor((ram.start + ram.size - 1) / blocks.blockSize);
          for (const b of blocks.blocks.filter((x) => x.block >= first && x.block <= last))
            assert.equal(b.node, ram.node, `memory${b.block}'s node`);
        }
        const systemRam = iomem(files['iomem.txt']).filter(
          (e) => e.depth === 0 && e.name === 'System RAM',
        );
        const pages = (a: number, b: number) => [Math.ceil(a / 4096), Math.floor(b / 4096)];
        assert.deepEqual(
          merged(s.machine.ram!.map((x) => pages(x.start, x.start + x.size))),
          merged(systemRam.map((e) => pages(e.start, e.end))),
        );
        // The pmem region: /proc/iomem's range, on the node of QEMU's -device nvdimm.
        const region = iomem(files['iomem.txt']).find(
          (e) => e.depth === 0 && e.name === 'Persistent Memory',
        )!;
        const pmemNode = Number(/-device nvdimm,[^ ]*node=(\d+)/.exec(qemu)![1]);
        assert.deepEqual(
          s.machine.pmem!.map(({ node, start, size }) => ({ node, start, size })),
          [{ node: pmemNode, start: region.start, size: region.end - region.start }],
        );
        // The namespaces the experiment created, with what the script asked of ndctl.
        const devices = s.devices.flatMap((d) =>
          d.kind === 'namespace'
            ? [
                {
                  node: d.node,
                  mode: d.mode,
                  map: d.map,
                  start: d.start,
                  size: d.size,
                  align: d.align,
                },
              ]
            : [],
        );
        assert.equal(devices.length, s.devices.length, 'only namespaces');
        const created = gt.devices.map((d) => ({
          node: pmemNode,
          mode: d.mode,
          map: d.map,
          start: d.start,
          size: d.size,
          align: d.align,
        }));
        assert.deepEqual(byStart(devices), byStart(created));
        assert.deepEqual(
          s.steps.map((x) => x.op),
          ['boot', 'probe'],
        );
        // Every value line says where it came from.
        const valueLines = text
          .split('\n')
          .filter(
            (l) =>
              l.trim() !== '' &&
              !l.startsWith('#') &&
              !l.endsWith(':') &&
              !/^ {2}- (boot|probe: )/.test(l),
          );
        assert.ok(valueLines.length >= 10);
        for (const line of valueLines)
          assert.match(
            line,
            / {2}# (default|derived|node \d+: |node of |\S+:\d+)/,
            `a comment names the source of: ${line}`,
          );
        // The emulated kernel initialises as many device pages as the real one.
        const emulated = run(text, { dyndbg: true })
          .summary.dmesg.flatMap(
            (l) => /memmap_init_zone_device initialised (\d+) pages/.exec(l)?.[1] ?? [],
          )
          .map(Number);
        assert.deepEqual(emulated.sort(), [...gt.initPages].sort());
      } finally {
        rmSync(r.dir, { recursive: true, force: true });
      }
    });
  }
}

function merged(ranges: number[][]): number[][] {
  const out: number[][] = [];
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

const byStart = <T extends { start?: number }>(list: T[]): T[] =>
  [...list].sort((a, b) => (a.start ?? 0) - (b.start ?? 0));

test('twin without /proc/iomem: the pmem region from SRAT, the namespace size derived from ndctl capacity', () => {
  for (const release of kernels) {
    const rec = parseRecording(readFileSync(join(dir, release, 'fsdax-1g-dev.txt'), 'utf8'));
    const gt = groundTruth(rec);
    const { scenario, warnings } = twinScenario([
      { file: 'dmesg', text: section(rec, 'dmesg') },
      { file: 'ndctl.json', text: section(rec, 'ndctl') },
    ]);
    assert.deepEqual(warnings, []);
    const s = parsed(scenario);
    const region = iomem(section(rec, 'iomem')).find(
      (e) => e.depth === 0 && e.name === 'Persistent Memory',
    )!;
    assert.deepEqual(
      s.machine.pmem!.map(({ start, size }) => ({ start, size })),
      [{ start: region.start, size: region.end - region.start }],
    );
    const d = s.devices[0];
    assert.ok(d.kind === 'namespace');
    assert.deepEqual(
      { start: d.start, size: d.size },
      { start: gt.devices[0].start, size: gt.devices[0].size },
    );
    assert.match(
      scenario,
      /size: 0x[0-9a-f]+ {2}# derived: the raw size whose pfn layout leaves ndctl\.json:\d+'s capacity/,
    );
    assert.match(scenario, /start: 0x[0-9a-f]+ {2}# default: ndctl list gives no address/);
  }
});

test('twin: inputs that disagree are warnings naming both lines; RAM hot-added after boot is one', () => {
  const release = kernels.at(-1)!;
  const rec = parseRecording(readFileSync(join(dir, release, 'fsdax-1g-dev.txt'), 'utf8'));
  const io = section(rec, 'iomem');
  const pmemLine = io.split('\n').find((l) => /^\S+ : Persistent Memory$/.test(l))!;
  // The same machine's iomem with the pmem range cut in half: SRAT and iomem now disagree.
  const [a, b] = pmemLine
    .split(' ')[0]
    .split('-')
    .map((x) => parseInt(x, 16));
  const half = `${a.toString(16)}-${(a + (b + 1 - a) / 2 - 1).toString(16)} : Persistent Memory`;
  const r = cli({ 'dmesg.txt': section(rec, 'dmesg'), 'iomem.txt': io.replace(pmemLine, half) }, [
    'twin',
    'dmesg.txt',
    'iomem.txt',
    '-o',
    'm.memmap.yaml',
  ]);
  try {
    assert.equal(r.code, EXIT.ok.code);
    assert.match(
      r.err,
      /^warning: SRAT's non-volatile ranges has persistent memory .* but \/proc\/iomem says/m,
    );
    assert.match(r.err, /dmesg\.txt:\d+: .*SRAT: Node \d+ PXM \d+ \[mem .*\] non-volatile/);
    assert.match(r.err, /iomem\.txt:\d+: .* : Persistent Memory/);
  } finally {
    rmSync(r.dir, { recursive: true, force: true });
  }
  const hot = parseRecording(readFileSync(join(dir, release, 'dimm-hotadd.txt'), 'utf8'));
  const online = sectionsNamed(hot, 'iomem').find((s) => s.label === 'online')!.body;
  const { warnings } = twinScenario([
    { file: 'dmesg', text: section(hot, 'dmesg') },
    { file: 'iomem', text: online },
  ]);
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0].message,
    /^\/proc\/iomem lists System RAM 0x[0-9a-f]+-0x[0-9a-f]+ that the boot log's RAM does not cover/,
  );
  assert.deepEqual(
    warnings[0].lines.map((l) => l.file),
    ['iomem', 'dmesg'],
  );
});

test('twin: bad input is a clear error naming the file, exit 1, never a crash; the output never replaces an input', () => {
  const bad: [string, string | Buffer, RegExp][] = [
    ['empty.txt', '', /empty\.txt: empty file \(expected one of: boot log/],
    ['blank.txt', '\n\n  \n', /blank\.txt: empty file/],
    [
      'other.json',
      '{"name": "not ndctl", "items": [1, 2]}',
      /other\.json: JSON, but not ndctl list output/,
    ],
    ['broken.json', '{"regions": [', /broken\.json: not ndctl list JSON: /],
    [
      'rounded.json',
      '[{"dev":"namespace0.0","mode":"fsdax","size":"1006.00 MiB (1054.87 MB)"}]',
      /rounded\.json:1: namespace0\.0: "size" is not a number of bytes/,
    ],
    [
      'core.bin',
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0xff, 0xfe, 0x00, 0x00]),
      /core\.bin:1: binary data, not text/,
    ],
    [
      'iomem.txt',
      '00000000-00000000 : System RAM\n00000000-00000000 : Persistent Memory\n',
      /iomem\.txt: every address is 0: \/proc\/iomem was read without root/,
    ],
    [
      'mixed.txt',
      '00001000-0009fbff : System RAM\nhello\n',
      /mixed\.txt:2: not a \/proc\/iomem line/,
    ],
    ['notes.txt', 'shopping list\nmilk\n', /notes\.txt: no boot log lines found/],
  ];
  for (const [name, body, message] of bad) {
    const r = cli({ [name]: body }, ['twin', name, '-o', 'out.memmap.yaml']);
    try {
      assert.equal(r.code, EXIT.diagnostics.code, `${name}: ${r.err}`);
      assert.match(r.err, message);
      assert.doesNotMatch(r.err, /internal error|at \S+ \(/);
      assert.equal(existsSync(join(r.dir, 'out.memmap.yaml')), false, `${name}: nothing written`);
    } finally {
      rmSync(r.dir, { recursive: true, force: true });
    }
  }
  const rec = parseRecording(readFileSync(join(dir, kernels[0], 'fsdax-1g-dev.txt'), 'utf8'));
  const dmesg = section(rec, 'dmesg');
  const twice = cli({ 'a.txt': dmesg, 'b.txt': dmesg }, [
    'twin',
    'a.txt',
    'b.txt',
    '-o',
    'out.memmap.yaml',
  ]);
  const over = cli({ 'dmesg.txt': dmesg }, ['twin', 'dmesg.txt', '-o', 'dmesg.txt']);
  const missing = cli({}, ['twin', '-o', 'out.memmap.yaml']);
  try {
    assert.equal(twice.code, EXIT.diagnostics.code);
    assert.match(
      twice.err,
      /b\.txt: another boot log .* \(the first is .*a\.txt\): give one of each kind/,
    );
    assert.equal(over.code, EXIT.io.code);
    assert.match(
      over.err,
      /cannot write .*dmesg\.txt: it is .*dmesg\.txt, an input of this command/,
    );
    assert.equal(readFileSync(join(over.dir, 'dmesg.txt'), 'utf8'), dmesg);
    assert.equal(missing.code, EXIT.usage.code);
    assert.match(
      missing.err,
      /^missing <dmesg\|ndctl\.json\|daxctl\.json\|iomem\|lsmem\|numactl-H\|sosreport\|supportconfig>\.\.\./,
    );
  } finally {
    for (const r of [twice, over, missing]) rmSync(r.dir, { recursive: true, force: true });
  }
});

test("twin: without memblock's node ranges, the e820 RAM is cut at the SRAT node boundaries", () => {
  for (const release of kernels) {
    const rec = parseRecording(readFileSync(join(dir, release, 'fsdax-1g-dev.txt'), 'utf8'));
    const lines = section(rec, 'dmesg').split('\n');
    const early = lines.findIndex((l) => l.endsWith('Early memory node ranges'));
    const cut = lines.filter(
      (l, i) => !(i >= early && (i === early || /\]\s+node +\d+: \[mem /.test(l))),
    );
    assert.ok(cut.length < lines.length - 2);
    const twin = twinScenario([{ file: 'dmesg', text: cut.join('\n') }]).scenario;
    assert.doesNotMatch(twin, /node +\d+: \[mem/);
    assert.match(twin, /ram:\n {4}- \{ node: 0, .*BIOS-e820/);
    const s = parsed(twin);
    const e820 = lines.flatMap(
      (l) => /BIOS-e820: \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] usable$/.exec(l) ?? [],
    ).length;
    assert.ok(e820 > 0);
    const blocks = memory(section(rec, 'memory'));
    for (const ram of s.machine.ram!) {
      const first = Math.floor(ram.start / blocks.blockSize);
      const last = Math.floor((ram.start + ram.size - 1) / blocks.blockSize);
      for (const b of blocks.blocks.filter((x) => x.block >= first && x.block <= last))
        assert.equal(b.node, ram.node, `memory${b.block}'s node`);
    }
    assert.deepEqual(
      [...new Set(s.machine.ram!.map((r) => r.node))],
      nodes(rec.header.get('qemu-command')!).map((_, i) => i),
    );
  }
});

test('twin: smpboot announces the secondary CPUs per node, in pieces when the line is long; the boot CPU is node 0 by default', () => {
  const log = [
    '[    0.000000] Linux version 6.12.0 (gcc) #1 SMP x86_64',
    '[    0.700000] smpboot: CPU0: Intel(R) Xeon(R)',
    '[    0.710000] .... node  #0, CPUs:        #1  #2  #3',
    '[    0.720000]   #4  #5',
    '[    0.730000] .... node  #1, CPUs:    #6  #7',
    '[    0.800000] BIOS-e820: [mem 0x0000000000100000-0x000000003fffffff] usable',
  ].join('\n');
  const { scenario } = twinScenario([{ file: 'boot.log', text: log }]);
  assert.deepEqual(
    parsed(scenario).machine.nodes.map((n) => n.cpus),
    [6, 2],
  );
  assert.match(
    scenario,
    /- \{ cpus: 6 \} {2}# node 0: boot\.log:3 .*, boot\.log:4 .* \+ the boot CPU \(boot\.log:2 .*node 0 by default\)/,
  );
  assert.match(
    scenario,
    /start: 0x100000, size: 0x3ff00000 \} {2}# boot\.log:6 .*; node: default \(no input names it\)/,
  );
});

test('twin: where the twin and the machine disagree, each disagreement shows the line on each side', () => {
  const release = kernels.at(-1)!;
  const rec = parseRecording(readFileSync(join(dir, release, 'fsdax-1g-dev.txt'), 'utf8'));
  const gt = groundTruth(rec);
  // The machine's log says one page fewer than its own namespace lays out to.
  const pages = gt.initPages[0];
  const dmesg = section(rec, 'dmesg').replace(
    `initialised ${pages} pages`,
    `initialised ${pages - 1} pages`,
  );
  const files = {
    'dmesg.txt': dmesg,
    'ndctl.json': section(rec, 'ndctl'),
    'iomem.txt': section(rec, 'iomem'),
  };
  const r = cli(files, ['twin', 'dmesg.txt', 'ndctl.json', 'iomem.txt', '-o', 'm.memmap.yaml']);
  try {
    assert.equal(r.code, EXIT.ok.code, r.err);
    const line =
      dmesg.split('\n').findIndex((l) => l.includes(`initialised ${pages - 1} pages`)) + 1;
    assert.match(r.out, /; 1 disagreement\(s\)\n/);
    assert.match(
      r.out,
      new RegExp(
        `  disagreement: zone-device-init .*: pages ${pages} in the twin, ${pages - 1} on the machine\n`,
      ),
    );
    assert.match(
      r.out,
      new RegExp(
        `    twin \\(emulated log line \\d+\\): memmap_init_zone_device initialised ${pages} pages in \\d+ms\n`,
      ),
    );
    assert.match(
      r.out,
      new RegExp(
        `    machine .*dmesg\\.txt:${line}: memmap_init_zone_device initialised ${pages - 1} pages in \\d+ms`,
      ),
    );
  } finally {
    rmSync(r.dir, { recursive: true, force: true });
  }
});

test('twin: what no input gives is a named unknown with its default; an answer (--arch, --kernel, --node) is used and said to be given, a log line still wins', () => {
  const release = kernels[0];
  const rec = parseRecording(readFileSync(join(dir, release, 'fsdax-1g-dev.txt'), 'utf8'));
  const ndctl = section(rec, 'ndctl');
  const iomemText = section(rec, 'iomem');
  const inputs = { 'ndctl.json': ndctl, iomem: iomemText };
  const bare = twinScenario([
    { file: 'ndctl.json', text: ndctl },
    { file: 'iomem', text: iomemText },
  ]);
  assert.deepEqual(
    bare.unknowns.map((u) => [u.key, u.default]),
    [
      ['arch', 'x86_64'],
      ['kernel', versionName(LAST_RELEASE)],
      ['node', '0'],
    ],
  );
  assert.ok(
    bare.scenario.includes(`kernel: ${versionName(LAST_RELEASE)}  # default: no "Linux version"`),
  );

  const given = cli(inputs, [
    'twin',
    'ndctl.json',
    'iomem',
    '--kernel',
    '6.1',
    '--node',
    '1',
    '-o',
    'm.yaml',
  ]);
  assert.equal(given.code, EXIT.ok.code, given.err);
  const text = readFileSync(join(given.dir, 'm.yaml'), 'utf8');
  assert.match(text, /^kernel: 6\.1 {2}# given when the twin was built \(no input names it\)/m);
  assert.equal(parsed(text).kernel.name, '6.1');
  assert.match(
    given.err,
    /^note: arch: x86_64 by default \(no boot log line names the architecture\); --arch gives it$/m,
  );
  assert.doesNotMatch(given.err, /note: (kernel|node)/);
  // /proc/iomem names no node: every range goes where the user said.
  const machine = parsed(text).machine;
  assert.deepEqual(
    [...machine.ram!, ...machine.pmem!].map((r) => r.node),
    [...machine.ram!, ...machine.pmem!].map(() => 1),
  );
  assert.match(text, /; node: given when the twin was built \(no input names it\)$/m);

  const wrong = cli(inputs, ['twin', 'ndctl.json', 'iomem', '--arch', 'vax', '-o', 'w.yaml']);
  assert.equal(wrong.code, EXIT.diagnostics.code);
  assert.match(wrong.err, /--arch: unknown architecture 'vax' \(one of: x86_64, /);
  assert.equal(existsSync(join(wrong.dir, 'w.yaml')), false);

  // The boot log names the release: it wins over the flag, and nothing is unknown.
  const logged = twinScenario(
    [
      { file: 'dmesg', text: section(rec, 'dmesg') },
      { file: 'ndctl.json', text: ndctl },
    ],
    { kernel: 'v5.10' },
  );
  assert.deepEqual(logged.unknowns, []);
  assert.doesNotMatch(logged.scenario, /^kernel: v5\.10/m);
});

test('twin: a dmesg -d boot log is a boot log; a kernel older than the model is said to be too old, naming its line', () => {
  const name = 'ubuntu-3.8-dmesg-d-slow-boot.txt';
  const text = readFileSync(join(ROOT, 'test/fixtures/logs', name), 'utf8');
  const r = cli({ [name]: text }, ['twin', name, '-o', 'm.yaml']);
  assert.equal(r.code, EXIT.diagnostics.code);
  assert.match(
    r.err,
    new RegExp(
      `${name}:3: kernel 3\\.8\\.0-29-generic: .*v3\\.8 is older than the first release modelled \\(v4\\.18\\)`,
    ),
  );
  // Its machine is read all the same, e820 and SRAT as printed.
  const { scenario } = twinScenario([{ file: name, text: text.replace('3.8.0-29', '6.1.0-29') }]);
  assert.match(scenario, /^kernel: 6\.1\.0-29-generic {2}# \S+:3 ".*\] Linux version/m);
  assert.match(scenario, /start: 0x100000000, size: 0x30000000 \}/);
});
