import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { EXIT } from '../../../src/cli/exitCodes';
import { ROOT } from '../helpers';
import { LIMITS } from '../../../src/engine/scenario/limits';
import { formatSize } from '../../../src/engine/units';

function cli(...argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(
    argv,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const example = (name: string) => join(ROOT, 'examples', `${name}.memmap.yaml`);

test('run --json has the documented fields', () => {
  const r = cli('run', example('three-tib-per-node'), '--json');
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.deepEqual(
    Object.keys(s).sort(),
    [
      'arch',
      'counters',
      'diagnostics',
      'dmesg',
      'expectations',
      'locks',
      'nodes',
      'scenario',
      'steps',
      'totalNs',
      'variant',
    ].sort(),
  );
  assert.equal(s.variant, 'v4.20');
  assert.deepEqual(Object.keys(s.nodes[0].devices[0]).sort(), [
    'initNs',
    'name',
    'pages',
    'probeNs',
    'state',
  ]);
  assert.ok(s.locks.some((l: { name: string }) => l.name === 'mem_hotplug_lock'));
  for (const key of ['structPagesInitialised', 'structPageWrites', 'vmemmapPages', 'paddingBytes'])
    assert.equal(typeof s.counters[key], 'number', key);
  assert.ok(
    s.dmesg.some((l: string) =>
      /^\[\s+\d+\.\d{6}\] pfn0\.0 initialised, 792722944 pages in \d+ms$/.test(l),
    ),
  );
});

test('run --trace writes Chrome trace JSON with thread names and spans', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memmap-'));
  const trace = join(dir, 'sub', 't.json');
  assert.equal(cli('run', example('three-tib-per-node'), '--trace', trace).code, 0);
  const events = JSON.parse(readFileSync(trace, 'utf8')).traceEvents as {
    ph: string;
    name: string;
    args?: { name?: string };
  }[];
  assert.ok(events.some((e) => e.ph === 'M' && e.args?.name === 'probe/0:pmem0'));
  assert.ok(events.some((e) => e.ph === 'X' && e.name === 'memmap_init_zone_device'));
});

test('run --dyndbg: pr_debug lines (memmap_init_zone_device from v6.4) reach the dmesg, as with dyndbg="… +p"', () => {
  const dmesg = (...flags: string[]) =>
    (
      JSON.parse(
        cli('run', example('three-tib-per-node'), '--variant', 'v6.4', '--json', ...flags).out,
      ) as { dmesg: string[] }
    ).dmesg;
  assert.ok(!dmesg().some((l) => l.includes('memmap_init_zone_device')));
  assert.ok(dmesg('--dyndbg').some((l) => /memmap_init_zone_device initialised \d+ pages/.test(l)));
});

test('run exits 1 when an expectation fails, with the expectation in the output', () => {
  const r = cli('run', example('three-tib-per-node'), '--variant', 'v4.18');
  assert.equal(r.code, 1);
  assert.match(
    r.out,
    /FAIL line \d+: time pmem0 init — pmem0 init took 44\.\d+ s, expected below 30\.00 s/,
  );
});

test('check prints file:line:col: severity code: message', () => {
  const r = cli('check', example('missing-ref-regression'));
  assert.equal(r.code, 1);
  assert.match(
    r.out,
    new RegExp(
      `^${example('missing-ref-regression').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:16:5: error pgmap-ref-underflow: percpu ref \\(blk_queue_usage_counter_release\\) <= 0 \\(-\\d+\\) after switching to atomic`,
      'm',
    ),
  );
});

test('a scenario with mistakes: every problem as file:line:col, exit 1, no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memmap-'));
  const file = join(dir, 'bad.memmap.yaml');
  writeFileSync(
    file,
    'name: bad\narch: x86_46\nkernel: v4.20\nmachine:\n  nodes: [{ ram: 1GiB }]\n',
  );
  const r = cli('check', file);
  assert.equal(r.code, 1);
  assert.equal(
    r.err,
    `${file}:2:7: error scenario-schema: unknown arch 'x86_46'; did you mean 'x86_64'?; expected one of x86_64, arm64, arm64-64k, ppc64-radix, ppc64-hash, s390x, riscv64, loongarch64 (suggestion: x86_64)`,
  );
  const missing = cli('run', join(dir, 'missing.yaml'));
  assert.match(missing.err, /^cannot read .*missing\.yaml: ENOENT$/);
  assert.equal(missing.code, 3);
});

test('inspect --json: the struct page with flags by name', () => {
  const r = cli(
    'inspect',
    example('three-tib-per-node'),
    '--pfn',
    '0x6c00200',
    '--after-step',
    '1',
    '--json',
  );
  assert.equal(r.code, 0, r.err);
  const p = JSON.parse(r.out);
  assert.deepEqual(
    [
      p.flags,
      p.refcount,
      p.zone,
      p.nid,
      p.pgmap.device,
      p.pgmap.type,
      p.pfnValid,
      p.pfnToOnlinePage,
    ],
    [['reserved'], 1, 'Device', 0, 'pmem0', 'fsdax', true, false],
  );
  assert.equal(p.vmemmap.on, 'altmap');
  assert.equal(p.initialisedBy, 'memmap_init_zone_device');
  const human = cli(
    'inspect',
    example('three-tib-per-node'),
    '--pfn',
    '0x6c00200',
    '--after-step',
    '1',
  ).out;
  assert.match(human, /pfn_valid: true\s+pfn_to_online_page: NULL/);
});

test('inspect --raw: kmem -p rows for --count pages from a bare hex pfn, the same rows as the inspector', () => {
  const r = cli(
    'inspect',
    example('three-tib-per-node'),
    '--pfn',
    '6c00200',
    '--count',
    '2',
    '--after-step',
    '1',
    '--raw',
  );
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.equal(lines[0], '      PAGE          PHYSICAL      MAPPING       INDEX CNT FLAGS');
  assert.equal(lines[2], 'ffffea01b0008040  6c00201000      -------       -----   1 1000 reserved');
  assert.match(r.out, /MAPPING and INDEX are not modelled/);
  const json = JSON.parse(
    cli('inspect', example('three-tib-per-node'), '--pfn', '6c00200', '--raw', '--json').out,
  );
  assert.equal(json.rows.length, 1);
  const bad = cli('inspect', example('three-tib-per-node'), '--pfn', '6c00200', '--count', '2');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--count: only with --raw/);
  const many = cli(
    'inspect',
    example('three-tib-per-node'),
    '--pfn',
    '0',
    '--count',
    '257',
    '--raw',
  );
  assert.equal(many.code, 2);
  assert.match(many.err, /between 1 and 256 struct pages/);
});

test('variants and arches list the presets', () => {
  const v = JSON.parse(cli('variants', '--json').out) as { name: string }[];
  assert.deepEqual(
    v.map((x) => x.name),
    [
      'v4.18',
      'v4.20',
      'v4.20-missing-ref',
      'v4.20-pageblock',
      'v5.3',
      'v5.10',
      'v5.17',
      'v6.1',
      'v6.4',
      'latest',
      'hotplug-lock-rwsem',
      'hotplug-lock-range',
    ],
  );
  assert.match(
    cli('arches').out,
    /^ppc64-hash\s+page 64 KiB\s+section 16 MiB.*DAX vmemmap optimisation in v6\.18 no/m,
  );
});

test('--feature overrides a preset feature; a wrong one is a usage error', () => {
  const r = cli(
    'run',
    example('three-tib-per-node'),
    '--variant',
    'v4.18',
    '--feature',
    'hotplugLock=range',
    '--json',
  );
  const s = JSON.parse(r.out);
  const write = s.locks.find(
    (l: { name: string; mode: string }) => l.name === 'mem_hotplug_lock' && l.mode === 'write',
  );
  assert.equal(write.contentions, 0, 'a range lock lets the two nodes proceed');
  assert.match(
    cli('run', example('three-tib-per-node'), '--feature', 'hotplugLock=sometimes').err,
    /feature hotplugLock takes global \| rwsem-init-read \| range/,
  );
});

test('bad options are usage errors (exit 2); cost profiles that cannot be used are diagnostics on cost: (exit 1)', () => {
  assert.match(
    cli('run', example('three-tib-per-node'), '--variant', 'v4.2').err,
    /^--variant 'v4\.2': v4\.2 is older than the first release modelled \(v4\.18\)/,
  );
  assert.equal(cli('run', example('three-tib-per-node'), '--variant', 'v4.2').code, 2);
  assert.match(
    cli('run', example('three-tib-per-node'), '--until-step', 'abc').err,
    /--until-step abc: expected a step number/,
  );
  const dir = mkdtempSync(join(tmpdir(), 'memmap-'));
  const file = join(dir, 'c.memmap.yaml');
  writeFileSync(
    file,
    readFileSync(example('three-tib-per-node'), 'utf8').replace(
      'cost: default',
      'cost: ./nowhere.cost.json',
    ),
  );
  const r = cli('run', file);
  assert.equal(r.code, 1);
  assert.match(
    r.err,
    new RegExp(
      `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error scenario-schema: cannot read cost profile ./nowhere.cost.json: ENOENT`,
    ),
  );
  // A scenario is data: its cost profile is looked up in its own folder tree, never outside it.
  writeFileSync(join(dir, '..', 'outside.cost.json'), '{ "name": "outside", "costs": {} }');
  for (const path of ['../outside.cost.json', join(dir, '..', 'outside.cost.json')]) {
    writeFileSync(
      file,
      readFileSync(example('three-tib-per-node'), 'utf8').replace('cost: default', `cost: ${path}`),
    );
    const out = cli('run', file);
    assert.equal(out.code, 1, path);
    assert.match(
      out.err,
      /error scenario-schema: cost profile .* is outside the scenario's folder/,
      path,
    );
  }
});

const scratch = () => mkdtempSync(join(tmpdir(), 'memmap-'));
const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const calibrationLog = join(ROOT, 'examples', 'calibrate-dl380-devdax-2m.log');

test("an output that resolves to one of the command's inputs is refused, the input left as it was (exit 3)", () => {
  const dir = scratch();
  const s = join(dir, 's.memmap.yaml');
  const text = readFileSync(example('three-tib-per-node'), 'utf8');
  writeFileSync(s, text);
  symlinkSync(s, join(dir, 'alias.json'));
  const log = join(dir, 'c.log');
  writeFileSync(log, readFileSync(calibrationLog));
  const calibrated = join(dir, 'c.memmap.yaml');
  writeFileSync(calibrated, readFileSync(example('calibrate-dl380-devdax-2m'), 'utf8'));
  for (const argv of [
    ['run', s, '--trace', s],
    ['run', s, '--trace', join(dir, 'alias.json')],
    ['export', s, '--format', 'dmesg', '-o', s],
    ['calibrate', calibrated, log, '-o', log],
    ['calibrate', calibrated, log, '--output', calibrated],
  ]) {
    const r = cli(...argv);
    assert.equal(r.code, 3, argv.join(' '));
    assert.match(r.err, /^cannot write \S+: it is \S+, an input of this command$/, argv.join(' '));
  }
  assert.equal(readFileSync(s, 'utf8'), text);
  assert.equal(readFileSync(log, 'utf8'), readFileSync(calibrationLog, 'utf8'));
  assert.deepEqual(
    readdirSync(dir).sort(),
    ['alias.json', 'c.log', 'c.memmap.yaml', 's.memmap.yaml'],
    'no temp file left behind',
  );
});

test('a write that fails (EFBIG, EISDIR) is one line, exit 3, and the old file is untouched', () => {
  const dir = scratch();
  const target = join(dir, 't.json');
  writeFileSync(target, 'old');
  // The trace is ~20 KB; with an 8 KiB file size limit the write fails part-way (EFBIG).
  const r = spawnSync(
    'bash',
    [
      '-c',
      `ulimit -f 8; exec node --import tsx src/cli/main.ts export "$1" -o "$2"`,
      'x',
      example('three-tib-per-node'),
      target,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  assert.equal(r.stderr.trim(), `cannot write ${target}: EFBIG`);
  assert.equal(r.status, 3);
  assert.equal(readFileSync(target, 'utf8'), 'old');
  assert.deepEqual(readdirSync(dir), ['t.json'], 'the temp file is removed');
  const onDir = cli('export', example('three-tib-per-node'), '-o', dir);
  assert.deepEqual([onDir.code, onDir.err], [3, `cannot write ${dir}: EISDIR`]);
});

test('inputs must be regular files: a directory, /dev/zero or a FIFO is one clear error, never a hang or a crash', () => {
  const dir = scratch();
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  for (const [argv, what] of [
    [['import', dir], 'a directory'],
    [['import', '/dev/zero'], 'a character device'],
    [['check', '/dev/zero'], 'a character device'],
    [['run', fifo], 'a FIFO'],
    [['compare', example('three-tib-per-node'), fifo], 'a FIFO'],
  ] as const) {
    const r = cli(...argv);
    assert.equal(
      r.err,
      `cannot read ${argv.at(-1)}: it is ${what}, not a regular file`,
      argv.join(' '),
    );
    assert.equal(r.code, 3);
  }
  const big = join(dir, 'big.memmap.yaml');
  writeFileSync(big, `name: big\n#${'x'.repeat(LIMITS.textBytes)}\n`);
  assert.deepEqual(
    [cli('check', big).err, cli('check', big).code],
    [`cannot read ${big}: over the ${formatSize(LIMITS.textBytes)} limit for a scenario`, 3],
  );
});

test('cost profiles: symlinks resolved before the folder check, regular files of at most 1 MiB, content never echoed', () => {
  const dir = scratch();
  const file = join(dir, 'c.memmap.yaml');
  const withCost = (path: string) =>
    writeFileSync(
      file,
      readFileSync(example('three-tib-per-node'), 'utf8').replace('cost: default', `cost: ${path}`),
    );
  symlinkSync('/etc/passwd', join(dir, 'passwd.cost.json'));
  symlinkSync('/dev/zero', join(dir, 'zero.cost.json'));
  mkdirSync(join(dir, 'dir.cost.json'));
  execFileSync('mkfifo', [join(dir, 'fifo.cost.json')]);
  writeFileSync(join(dir, 'big.cost.json'), `{ "costs": {} ${' '.repeat(2 << 20)}}`);
  writeFileSync(join(dir, 'bad.cost.json'), 'root:x:0:0:root:/root:/bin/bash');
  const expected: Record<string, string> = {
    'passwd.cost.json': "cost profile passwd.cost.json is outside the scenario's folder",
    'zero.cost.json': "cost profile zero.cost.json is outside the scenario's folder",
    'dir.cost.json':
      'cannot read cost profile dir.cost.json: it is a directory, not a regular file',
    'fifo.cost.json': 'cannot read cost profile fifo.cost.json: it is a FIFO, not a regular file',
    'big.cost.json':
      'cannot read cost profile big.cost.json: over the 1 MiB limit for a cost profile',
    'bad.cost.json': 'bad.cost.json: not JSON',
  };
  for (const [path, message] of Object.entries(expected)) {
    withCost(path);
    const r = cli('run', file);
    assert.equal(r.code, 1, path);
    assert.match(
      r.err,
      new RegExp(`^${reEscape(file)}:\\d+:\\d+: error scenario-schema: ${reEscape(message)}$`),
      path,
    );
    assert.doesNotMatch(r.err, /root:/);
  }
});

test('the CLI contract: exit codes in --help, usage errors for unknown flags and extra arguments, JSON for every --json error', () => {
  const help = cli('--help');
  assert.equal(help.code, 0);
  assert.match(
    help.out,
    /^exit codes:\n  0  success\n  1  .*diagnostic.*\n  2  usage.*\n  3  .*read or written.*$/m,
  );
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| (\d) \| (.*) \|$/gm)].map(
    ([, code, meaning]) => `${code} ${meaning.replace(/`/g, '')}`,
  );
  assert.deepEqual(
    rows,
    Object.values(EXIT).map((e) => `${e.code} ${e.meaning}`),
    'the README lists the same exit codes',
  );
  const s = example('three-tib-per-node');
  const usage = (argv: string[], message: RegExp) => {
    const r = cli(...argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.err, message, argv.join(' '));
    assert.equal(r.out, '', 'nothing ran');
  };
  usage(['run', s, '--jsno'], /^unknown option --jsno\nusage: memmap-lab run <scenario>/);
  usage(['run', s, 'extra'], /^unexpected argument extra/);
  usage(['run', s, '--variant', 'v4.18', '--variant', 'v4.20'], /^--variant is given twice/);
  usage(['compare', s], /^missing <log>/);
  usage(['run', s, '--feature', '__proto__=1'], /^unknown feature '__proto__'/);
  usage(['run', s, '--feature', 'constructor=1'], /^unknown feature 'constructor'/);
  usage(
    ['export', s, '--format', 'perfetto'],
    /^--format perfetto: expected one of chrome, lock_stat, dmesg/,
  );
  const h = cli('run', s, '--help');
  assert.deepEqual(
    [h.code, h.out.split('\n')[0]],
    [
      0,
      'usage: memmap-lab run <scenario> [--variant P] [--feature name=value] [--until-step N] [--trace out.json] [--json] [--dyndbg]',
    ],
  );
  const dir = scratch();
  const bad = join(dir, 'bad.memmap.yaml');
  writeFileSync(bad, 'name: bad\narch: x86_46\n');
  for (const command of ['run', 'check']) {
    const r = cli(command, bad, '--json');
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out);
    assert.match(j.error, /x86_46/);
    assert.ok(
      j.diagnostics.some(
        (d: { line: number; column: number; code: string }) =>
          d.line === 2 && d.column === 7 && d.code === 'scenario-schema',
      ),
    );
  }
  const missing = cli('run', join(dir, 'nope.yaml'), '--json');
  assert.deepEqual(
    [missing.code, JSON.parse(missing.out)],
    [3, { error: `cannot read ${join(dir, 'nope.yaml')}: ENOENT`, diagnostics: [] }],
  );
  assert.deepEqual(
    JSON.parse(cli('run', s, '--json', '--jsno').out).error.split('\n')[0],
    'unknown option --jsno',
  );
});

test('inspect: --after-step and --pfn must name a step and a pfn the run has', () => {
  const s = example('three-tib-per-node');
  for (const [flag, value, message] of [
    ['--after-step', 'abc', /^--after-step abc: expected a step number/],
    ['--after-step', '-5', /^--after-step -5: expected a step number/],
    ['--after-step', '999999', /^--after-step 999999: the scenario has 5 steps \(0 to 4\)/],
    [
      '--pfn',
      '0x10000000000000',
      /^--pfn 0x10000000000000: beyond the 52-bit physical address space/,
    ],
  ] as const) {
    const r = cli(
      'inspect',
      s,
      '--pfn',
      flag === '--pfn' ? value : '0x6c00200',
      ...(flag === '--pfn' ? [] : [flag, value]),
    );
    assert.equal(r.code, 2, `${flag} ${value}`);
    assert.match(r.err, message);
  }
});

test('text output escapes control characters and line breaks from scenarios and logs: no forged diagnostics, no terminal escapes', () => {
  const dir = scratch();
  const s = join(dir, 's.memmap.yaml');
  writeFileSync(
    s,
    readFileSync(example('three-tib-per-node'), 'utf8').replace(
      '  - probe: [pmem0, pmem1]',
      '  - probe: ["pmem9\\nx.yaml:1:1: error forged: \\e]8;;http://evil\\e\\\\link"]',
    ),
  );
  const check = cli('check', s);
  assert.equal(check.code, 1);
  // An unknown device is a parse error now (stderr), a run's findings go to stdout: neither may be forged.
  const said = `${check.out}\n${check.err}`;
  assert.ok(!said.split('\n').some((l) => l.startsWith('x.yaml')), 'no forged line');
  assert.ok(
    said.includes(
      "no device named 'pmem9\\nx.yaml:1:1: error forged: \\x1b]8;;http://evil\\x1b\\link'",
    ),
    said,
  );
  const log = join(dir, 'l.log');
  writeFileSync(
    log,
    '[    2.000000] WARNING: CPU: 0 PID: 1 at mm/x.c:1 f+0x1 \u001b]8;;http://evil\u001b\\click\u009b2J\n',
  );
  const imported = cli('import', log);
  assert.doesNotMatch(imported.out, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  assert.match(imported.out, /\\x1b\]8;;http:\/\/evil\\x1b\\click\\x9b2J/);
});
