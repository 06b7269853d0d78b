import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importLogText } from '../../../../../src/engine/trace/import/importLog';
import { toDmesgText } from '../../../../../src/engine/trace/exportDmesg';
import { parseRecording, sectionsNamed } from '../../../../kernel/recording';
import { ROOT } from '../../../helpers';

// Format variants no fixture covers, each written here in the exact shape the tool or kernel
// prints it (these inputs are synthetic; the messages are the kernel's format strings).

test('every timestamp style yields the same event at the same time', () => {
  const msg = 'memmap_init_zone_device initialised 524288 pages in 9ms';
  for (const line of [
    `[   12.000500] ${msg}`,
    `<6>[   12.000500] ${msg}`,
    `[   12.000500][  T517] ${msg}`,
    `Nov  9 03:12:01 host kernel: [   12.000500] ${msg}`,
    `2020-11-09T03:12:01.123456+01:00 host kernel: [   12.000500] ${msg}`,
    `[   12.000500] kernel: ${msg}`,
    `> > [   12.000500] ${msg}`,
  ]) {
    const log = importLogText(`[   11.000000] boot\n${line}\n`);
    assert.deepEqual(
      log.events.map((e) => [e.kind, e.t, e.fields.pages]),
      [['zone-device-init', 12_000_500_000, 524288]],
      line,
    );
  }
});

test('dmesg --reltime deltas add up; dmesg -T and syslog-only logs order by wall clock', () => {
  const rel = importLogText(
    '[    5.000000] a\n[  +0.500000] node 0 deferred pages initialised in 12ms\n[  +1.250000] x86/mm: Memory block size: 2048MB\n',
  );
  assert.deepEqual(
    rel.events.map((e) => e.t),
    [5.5e9, 6.75e9],
  );
  const human = importLogText(
    '[Nov 9 03:12] a\n[  +0.500000] node 0 deferred pages initialised in 12ms\n',
  );
  assert.equal(human.summary.timing, 'relative');
  assert.deepEqual(
    human.events.map((e) => e.printed),
    [{ clock: 'relative', text: '+0.500000' }],
  );
  const wall = importLogText(
    '[Mon Nov  9 03:12:01 2020] x86/mm: Memory block size: 128MB\n[Mon Nov  9 03:12:03 2020] node 1 deferred pages initialised in 7ms\n',
  );
  assert.equal(wall.summary.timing, 'syslog');
  assert.deepEqual(
    wall.events.map((e) => e.t),
    [0, 2e9],
  );
  const syslog = importLogText(
    'Nov  9 03:12:01 host kernel: x86/mm: Memory block size: 128MB\nNov  9 03:12:01 host systemd[1]: Started foo.\nNov  9 03:12:04 host kernel: node 0 deferred pages initialised in 31ms\n',
  );
  assert.deepEqual(
    syslog.events.map((e) => e.t),
    [0, 3e9],
  );
  assert.ok(
    !syslog.trace.dmesg.some((l) => l.text.includes('systemd')),
    "another program's syslog lines are not the kernel's",
  );
});

test('timestamps that jump backwards (a reboot in the journal) keep the timeline monotonic', () => {
  const log = importLogText(
    [
      '[    3.000000] node 0 initialised, 99581952 pages in 3730ms',
      '[  120.000000] dax0.0 initialised, 524288 pages in 9ms',
      '[    0.000000] Linux version 5.10.0',
      '[    3.100000] node 0 initialised, 99581952 pages in 3750ms',
    ].join('\n'),
  );
  assert.equal(log.summary.timeJumps, 1);
  const ts = log.events.map((e) => e.t!);
  assert.ok(ts[2] > ts[1], `${ts}`);
  assert.equal(ts[2] - ts[1], 3.1e9 + 1000);
  assert.ok(log.trace.instants.some((i) => /timestamps went back/.test(i.text)));
  assert.deepEqual(
    log.events.map((e) => [e.printed?.text, e.printed?.segment]),
    [
      ['3.000000', undefined],
      ['120.000000', undefined],
      ['3.100000', 2],
    ],
    'the second boot keeps the times it printed, tagged with its segment',
  );
});

test('a line stamped before the one above it keeps its time and moves no later line', () => {
  const log = importLogText(
    [
      '[  100.500000] dax0.0 initialised, 524288 pages in 9ms',
      '[  100.200000] dax1.0 initialised, 524288 pages in 9ms',
      '[  100.600000] dax2.0 initialised, 524288 pages in 9ms',
    ].join('\n'),
  );
  assert.equal(log.summary.timeJumps, 0);
  assert.deepEqual(
    log.events.map((e) => [e.t, e.printed?.text]),
    [
      [100.5e9, '100.500000'],
      [100.5e9, '100.200000'],
      [100.6e9, '100.600000'],
    ],
  );
});

test('printed times survive the export as dmesg text: -T dates, -d deltas, caller ids, syslog prefixes', () => {
  const text =
    [
      '[Mon Nov  9 03:12:01 2020] x86/mm: Memory block size: 128MB',
      '[    5.000000 <    0.000123>] node 0 deferred pages initialised in 12ms',
      '[   12.000500][  T517] dax0.0 initialised, 524288 pages in 9ms',
      'Nov  9 03:12:01 host kernel: [   13.000000] dax1.0 initialised, 524288 pages in 9ms',
    ].join('\n') + '\n';
  const log = importLogText(text);
  assert.equal(toDmesgText(log.trace), text);
  assert.deepEqual(
    log.events.map((e) => e.printed),
    [
      { clock: 'wall', text: 'Mon Nov  9 03:12:01 2020' },
      { clock: 'boot', text: '5.000000', delta: '0.000123' },
      { clock: 'boot', text: '12.000500' },
      { clock: 'boot', text: '13.000000', wall: 'Nov  9 03:12:01' },
    ],
  );
});

test('both formats of each init line (v4.20 device name / v5.4 function; pre-5.8 / 5.8+ deferred)', () => {
  const log = importLogText(
    [
      '[   29.696299] pfn0.0 initialised, 792722944 pages in 24165ms',
      '[   30.000000] dax0.0 initialised, 524288 pages in 9ms',
      '[   31.000000] memmap_init_zone_device initialised 524288 pages in 9ms',
      '[    3.790947] node 0 initialised, 99581952 pages in 3730ms',
      '[    3.800000] node 1 deferred pages initialised in 3770ms',
    ].join('\n'),
  );
  assert.deepEqual(
    log.events.map((e) => [e.kind, e.fields.format, e.fields.device ?? e.fields.node]),
    [
      ['zone-device-init', 'device-name', 'pfn0.0'],
      ['zone-device-init', 'device-name', 'dax0.0'],
      ['zone-device-init', 'function', undefined],
      ['deferred-init', 'pages', 0],
      ['deferred-init', 'deferred', 1],
    ],
  );
  assert.deepEqual(
    log.trace.threads.map((t) => t.name),
    ['probe/pfn0.0', 'probe/dax0.0', 'probe/zone device 1', 'pgdatinit0', 'pgdatinit1'],
  );
});

test('Misaligned __add_pages/__remove_pages in the v5.3 "#%lx" and v6.5 "%#lx" forms', () => {
  const log = importLogText(
    'Misaligned __add_pages start: 0x6c00100 end: #6c001ff\nMisaligned __remove_pages start: 0x6c00100 end: 0x6c001ff\n',
  );
  assert.deepEqual(
    log.events.map((e) => [e.fields.op, e.fields.end, e.fields.form]),
    [
      ['add', '0x6c001ff', 'typo'],
      ['remove', '0x6c001ff', 'fixed'],
    ],
  );
});

test('"section already deactivated" WARN splat, message before the WARNING line', () => {
  const log = importLogText(
    [
      '[  101.000001] ------------[ cut here ]------------',
      '[  101.000002] section already deactivated (0x6c00000 + 512)',
      '[  101.000003] WARNING: CPU: 3 PID: 812 at mm/sparse.c:727 section_deactivate+0x1d4/0x200',
      '[  101.000004] Call Trace:',
      '[  101.000005]  __remove_pages+0x6f/0x90',
      '[  101.000006]  memunmap_pages+0x14e/0x290',
      '[  101.000007] ---[ end trace 0000000000000000 ]---',
    ].join('\n'),
  );
  assert.equal(log.events.length, 1);
  const [w] = log.events;
  assert.deepEqual(
    [w.kind, w.fields.pfn, w.fields.pages, w.fields.location, w.code],
    [
      'section-already-deactivated',
      '0x6c00000',
      512,
      'mm/sparse.c:727',
      'section-already-deactivated',
    ],
  );
  assert.deepEqual(w.callTrace, ['__remove_pages', 'memunmap_pages']);
});

test('the percpu-ref message wrapped by a mailer is unwrapped only when that completes it', () => {
  const log = importLogText(
    'percpu ref (dev_pagemap_percpu_release) <= 0 (-1) after\nswitching to atomic\nswitching to atomic\n',
  );
  assert.deepEqual(
    log.events.map((e) => [e.kind, e.line, e.endLine, e.code]),
    [['percpu-ref-underflow', 1, 2, 'pgmap-ref-underflow']],
  );
  assert.deepEqual(
    log.unknownLines.map((u) => u.line),
    [3],
  );
});

test('function_graph with abstime and the ! @ markers; trace-cmd report lines', () => {
  const graph = importLogText(
    [
      '# tracer: function_graph',
      ' 1234.500000 |   3)               |  memremap_pages() {',
      ' 1234.500010 |   3) ! 180.250 us   |    pagemap_range();',
      ' 1234.700000 |   3) @ 200012.0 us  |  }',
    ].join('\n'),
  );
  const [inner, outer] = graph.events;
  assert.deepEqual(
    [inner.fields.marker, inner.t, inner.fields.us],
    ['!', 1_234_500_010_000, 180.25],
  );
  assert.deepEqual(
    [outer.fields.function, outer.fields.marker, outer.t],
    ['memremap_pages', '@', 1_234_500_000_000],
  );
  const cmd = importLogText(
    [
      '  kworker/0:1-57    [000]   440.396794: funcgraph_entry:                   |  memmap_init_zone_device() {',
      '  kworker/0:1-57    [000]   440.396795: funcgraph_entry:        0.130 us   |    __init_zone_device_page();',
      '  kworker/0:1-57    [000]   440.420000: funcgraph_exit:       # 23206.00 us |  }',
    ].join('\n'),
  );
  assert.equal(cmd.format, 'ftrace-function-graph');
  const top = cmd.trace.spans.find((s) => s.name === 'memmap_init_zone_device')!;
  assert.deepEqual([top.start, top.end - top.start], [440_396_794_000, 23_206_000]);
});

test('a mail with a dmesg excerpt and a function_graph trace yields both', () => {
  const log = importLogText(
    [
      'dmesg says:',
      '[   24.229777] memmap_init_zone_device initialised 3584 pages in 0ms',
      'and ftrace:',
      ' 0)   0.198 us    |  memmap_init_zone_device();',
    ].join('\n'),
  );
  assert.deepEqual(
    log.events.map((e) => e.kind),
    ['zone-device-init', 'ftrace-call'],
  );
});

test('real function_graph traces: every kprobe line becomes the fields of the call it fired in, numbers as numbers', () => {
  for (const release of ['6.1.0-57-amd64', '6.12.118+deb12-amd64']) {
    for (const experiment of ['trace-fsdax-1g-dev', 'trace-devdax-1g-2m']) {
      const rec = parseRecording(
        readFileSync(
          join(ROOT, 'test', 'fixtures', 'kernels', release, `${experiment}.txt`),
          'utf8',
        ),
      );
      const trace = sectionsNamed(rec, 'trace')[0].body;
      const probes = [...trace.matchAll(/\/\* ([\w.]+): \(([\w.]+)\+/g)].map((m) => m[2]);
      assert.ok(probes.length > 0, `${release}/${experiment} has kprobe lines`);
      const log = importLogText(trace);
      const calls = log.events.filter(
        (e) => e.kind === 'ftrace-call' && e.fields?.kprobe !== undefined,
      );
      assert.deepEqual(
        calls.map((e) => e.fields!.function).sort(),
        probes.sort(),
        `${release}/${experiment}`,
      );
      // sparse_add_section(nid, start_pfn, nr_pages, …): one call per section, the pfn and count printed in decimal or hex.
      for (const e of calls.filter((c) => c.fields!.function === 'sparse_add_section')) {
        assert.equal(typeof e.fields!.nid, 'number');
        assert.equal(typeof e.fields!.nr_pages, 'number');
        assert.match(String(e.fields!.start_pfn), /^0x[0-9a-f]+$/);
      }
    }
  }
});
