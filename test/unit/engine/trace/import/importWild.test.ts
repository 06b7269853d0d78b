import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importLogText } from '../../../../../src/engine/trace/import/importLog';
import type { ImportedLog, LogEvent } from '../../../../../src/engine/trace/import/types';
import { parseRecording, sectionsNamed } from '../../../../kernel/recording';
import { ROOT } from '../../../helpers';

// Logs as people paste them (issue 14). The recordings under test/fixtures/kernels are real Debian
// 6.1 and 6.12 kernels (test/kernel/README.md); every other input here is synthetic, written from
// the kernel's format strings in the shape of the public report each test names.

const only = (log: ImportedLog, kind: LogEvent['kind']) =>
  log.events.filter((e) => e.kind === kind);
const brief = (log: ImportedLog) => log.events.map((e) => [e.kind, e.line, e.endLine]);
const MSG = 'memmap_init_zone_device initialised 524288 pages in 9ms';

function recording(release: string, experiment: string): { whole: string; dmesg: string } {
  const whole = readFileSync(
    join(ROOT, 'test/fixtures/kernels', release, `${experiment}.txt`),
    'utf8',
  );
  return { whole, dmesg: sectionsNamed(parseRecording(whole), 'dmesg')[0].body };
}

test('a kernel message is found whatever stands before its timestamp', () => {
  for (const line of [
    `node7.log:[   12.000500] ${MSG}`,
    `logs/node7.log:1234:[   12.000500] ${MSG}`,
    `(03/10) suite/test_x.py:  [   12.000500] ${MSG}`,
    `time="2024-05-01T10:00:00Z" level=info msg="guest console" console="[   12.000500] ${MSG}" vm=7`,
    `    [   12.000500] ${MSG}`,
    `> \t[   12.000500] ${MSG}`,
    `node7.log:[   12.000500 <    1.000500>] ${MSG}`,
  ]) {
    const log = importLogText(
      `${line.replace(MSG, 'boot').replace('12.000500', '11.000000')}\n${line}\n`,
    );
    assert.deepEqual(
      log.events.map((e) => [e.kind, e.t, e.text]),
      [['zone-device-init', 12_000_500_000, MSG]],
      line,
    );
  }
});

test('a logfmt console value ends at its closing quote and its escapes are undone', () => {
  const log = importLogText(
    'level=warn console="[    5.100000] nd_pmem namespace0.0: could not reserve region [mem 0x1-0x2]\\tdue to \\"busy\\"" src=ttyS0\n',
  );
  assert.equal(
    only(log, 'nvdimm-namespace-error')[0].fields.message,
    'could not reserve region [mem 0x1-0x2] due to "busy"',
  );
});

test('journal and dmesg -T lines in other locales, and dmesg --time-format iso, keep their wall-clock order', () => {
  const cases: [string, string][] = [
    ['Dez 03 13:53:20 host kernel: ', 'Dez 03 13:53:23 host kernel: '],
    ['déc. 03 13:53:20 host kernel: ', 'déc. 03 13:53:23 host kernel: '],
    ['12月 03 13:53:20 host kernel: ', '12月 03 13:53:23 host kernel: '],
    ['[Do Dez  3 13:53:20 2026] ', '[Do Dez  3 13:53:23 2026] '],
    ['[木 12月  3 13:53:20 2026] ', '[木 12月  3 13:53:23 2026] '],
    ['2026-12-03T13:53:20,123456+01:00 ', '2026-12-03T13:53:23,123456+01:00 '],
  ];
  for (const [a, b] of cases) {
    const log = importLogText(
      `${a}x86/mm: Memory block size: 128MB\n${b}node 0 deferred pages initialised in 7ms\n`,
    );
    assert.equal(log.summary.timing, 'syslog', a);
    assert.deepEqual(
      log.events.map((e) => [e.kind, e.t]),
      [
        ['memory-block-size', 0],
        ['deferred-init', 3e9],
      ],
      a,
    );
  }
  // Month boundaries order across locales' names (November before December).
  const log = importLogText(
    'Nov 30 23:59:59 h kernel: x86/mm: Memory block size: 128MB\nDez 01 00:00:01 h kernel: node 0 deferred pages initialised in 7ms\n',
  );
  assert.ok(log.events[1].t! > 0);
});

test('a message a mailer wrapped before its number is joined, stamped, unstamped or quoted', () => {
  for (const text of [
    `[   12.000500] memmap_init_zone_device initialised 524288 pages in\n9ms\n`,
    `memmap_init_zone_device initialised 524288 pages in\n9ms\n`,
    `> [   12.000500] memmap_init_zone_device initialised 524288 pages in\n> 9ms\n`,
    `> [   12.000500] memmap_init_zone_device initialised 524288 pages in\n9ms\n`,
  ]) {
    const log = importLogText(text);
    assert.deepEqual(
      log.events.map((e) => [e.kind, e.line, e.endLine, e.fields.ms]),
      [['zone-device-init', 1, 2, 9]],
      text,
    );
  }
  // Shape of the QEMU pc-dimm report quoted in Pavel Tatashin's "x86/mm/memory_hotplug: determine
  // block size based on the end of boot memory" (2018): the format has no "\n" and the mailer
  // pushed the size onto a tab-indented line.
  const log = importLogText(
    'Block size [0x80000000] unaligned hotplug range: start 0x1040000000,\n\t\t\t\t\t\t\tsize 0x80000000\nacpi PNP0C80:00: add_memory failed\n',
  );
  assert.deepEqual(
    log.events.map((e) => [e.kind, e.code, e.fields]),
    [
      [
        'hotplug-range-unaligned',
        'misaligned-memory-block',
        { blockSize: '0x80000000', start: '0x1040000000', size: '0x80000000' },
      ],
      ['add-memory-failed', undefined, { device: 'acpi PNP0C80:00' }],
    ],
  );
});

test('a file with nothing says what was tried and how it begins; kernel lines the importer does not know are still a log', () => {
  const log = importLogText('# Notes\n\nsome text here\nmore text\n', { name: 'notes.md' });
  assert.match(
    log.error ?? '',
    /^notes\.md is not a kernel log: none of its 4 lines .*\. Tried: dmesg timestamps .*Chrome trace JSON\. It begins: "# Notes", "some text here", "more text"$/,
  );
  const pieces = importLogText('Call Trace:\n dump_stack+0x1c/0x20\n memremap_pages+0x1f/0x40\n');
  assert.equal(pieces.error, undefined);
  for (const line of [
    'nd_pmem namespace0.0: unable to guarantee persistence of writes',
    'usb 1-1: new high-speed USB device number 2 using xhci_hcd',
    'smpboot: Total of 8 processors activated',
    'ACPI: Core revision 20220331',
    'x86/fpu: Supporting XSAVE feature 0x001',
  ]) {
    assert.equal(importLogText(`${line}\n`).error, undefined, line);
  }
});

test("journalctl -o json: kernel records at their printk time, other programs' never joined to them", () => {
  // Synthetic records with the fields journald stores for /dev/kmsg and for a service's stdout.
  const log = importLogText(
    [
      '{"__REALTIME_TIMESTAMP":"1714557600123456","_TRANSPORT":"kernel","_SOURCE_MONOTONIC_TIMESTAMP":"12000500","MESSAGE":"memmap_init_zone_device initialised 524288 pages in","_HOSTNAME":"vm"}',
      '{"__REALTIME_TIMESTAMP":"1714557600200000","_TRANSPORT":"stdout","SYSLOG_IDENTIFIER":"daxctl","MESSAGE":"9ms","_HOSTNAME":"vm"}',
      '\u001e{"__REALTIME_TIMESTAMP":"1714557601000000","_TRANSPORT":"kernel","_SOURCE_MONOTONIC_TIMESTAMP":"13000000","MESSAGE":"Offlined Pages 32768"}',
    ].join('\n'),
    { name: 'boot.json' },
  );
  assert.equal(log.error, undefined);
  assert.equal(log.summary.timing, 'kernel');
  assert.deepEqual(
    log.events.map((e) => [e.kind, e.t]),
    [['pages-offlined', 13e9]],
  );
  assert.deepEqual(
    log.trace.dmesg.map((l) => l.text),
    ['memmap_init_zone_device initialised 524288 pages in', 'Offlined Pages 32768'],
  );
});

test("a container runtime's json-file log of a serial console: the log values are the console lines", () => {
  // Synthetic, in the json-file driver's record shape.
  const log = importLogText(
    [
      '{"log":"[    5.100000] x86/mm: Memory block size: 128MB\\r\\n","stream":"stdout","time":"2024-05-01T10:00:00.1Z"}',
      '{"log":"[    5.200000] nd_pmem: probe of pfn0.0 failed with error -22\\n","stream":"stdout","time":"2024-05-01T10:00:00.2Z"}',
    ].join('\n'),
    { name: 'console-json.log' },
  );
  assert.equal(log.error, undefined);
  assert.deepEqual(
    log.events.map((e) => [e.kind, e.t]),
    [
      ['memory-block-size', 5.1e9],
      ['nvdimm-namespace-error', 5.2e9],
    ],
  );
});

test('caller ids: another task inside a WARN splat is its own event and does not end the splat', () => {
  // Shape of https://github.com/linuxppc/issues/issues/348 (a 5.11 WARN with `[  T650]` caller ids).
  const log = importLogText(
    [
      '[  360.836161][  T650] ------------[ cut here ]------------',
      '[  360.836170][  T650] percpu ref (dev_pagemap_percpu_release) <= 0 (-1) after switching to atomic',
      '[  360.836195][  T650] WARNING: CPU: 3 PID: 650 at lib/percpu-refcount.c:196 percpu_ref_switch_to_atomic_rcu+0x127/0x130',
      '[  360.836294][  T650] Modules linked in: nd_pmem',
      '[  360.836300][   T12] dax0.0 initialised, 524288 pages in 9ms',
      '[  360.836310][    C1] hrtimer: interrupt took 12345 ns',
      '[  360.836354][  T650] CPU: 3 PID: 650 Comm: sh Not tainted 6.1.0 #30',
      '[  360.836360][  T650] Call Trace:',
      '[  360.836362][   T12] ------------[ cut here ]------------',
      '[  360.836363][  T650]  rcu_core+0x30f/0x530',
      '[  360.836364][   T12] WARNING: CPU: 1 PID: 12 at mm/memremap.c:155 pagemap_range+0x1/0x2',
      '[  360.836365][  T650]  __do_softirq+0x1/0x2',
      '[  360.836366][  T650] ---[ end trace 0000000000000000 ]---',
      '[  360.836367][   T12] ---[ end trace 0000000000000001 ]---',
    ].join('\n'),
  );
  assert.deepEqual(brief(log), [
    ['percpu-ref-underflow', 1, 13],
    ['zone-device-init', 5, 5],
    ['warning', 9, 14],
  ]);
  const [w] = log.events;
  assert.deepEqual(w.callTrace, ['rcu_core', '__do_softirq']);
  assert.ok(!w.lines?.some((l) => /T12|C1/.test(l)));
  assert.deepEqual(
    log.unknownLines.map((u) => u.line),
    [6],
  );
  assert.equal(log.summary.truncated, false);
});

test('user-space lines (libdaxctl, prompts, fences) are never glued onto a kernel message', () => {
  const log = importLogText(
    [
      '```',
      '[   12.000500] nd_pmem namespace0.0: could not reserve region [mem 0x1-0x2]',
      'libdaxctl: daxctl_dev_disable: dax0.0: failed to disable',
      '$ daxctl reconfigure-device -m system-ram dax0.0',
      '[root@vm ~]# dmesg | tail -1',
      '[   13.000000] memmap_init_zone_device initialised 524288 pages in',
      '```',
      '9ms',
    ].join('\n'),
  );
  assert.deepEqual(
    log.events.map((e) => [e.kind, e.line, e.endLine, e.text]),
    [
      [
        'nvdimm-namespace-error',
        2,
        2,
        'nd_pmem namespace0.0: could not reserve region [mem 0x1-0x2]',
      ],
    ],
  );
  assert.deepEqual(
    log.unknownLines.map((u) => u.line),
    [1, 3, 4, 5, 6, 7, 8],
  );
  assert.ok(
    !log.trace.dmesg.some((l) => /daxctl|\$ |```/.test(l.text)),
    'the raw kernel log holds only the kernel',
  );
});

test("real 6.1 and 6.12 recordings: the misaligned namespace and the probe failure in each release's words", () => {
  const want = (form: string) => [
    [
      'nvdimm-namespace-error',
      'namespace-misaligned',
      {
        driver: 'nd_pmem',
        device: 'pfn0.0',
        namespace: 'namespace0.1',
        start: '0x0000000140001000',
        align: '0x200000',
        message: 'namespace0.1: start 0x0000000140001000 misaligned to 0x200000',
      },
    ],
    [
      'nvdimm-namespace-error',
      'probe-failed',
      { driver: 'nd_pmem', device: 'pfn0.0', error: -22, form },
    ],
    [
      'nvdimm-namespace-error',
      'namespace-misaligned',
      {
        driver: 'dax_pmem',
        device: 'dax0.0',
        namespace: 'namespace0.1',
        start: '0x0000000140001000',
        align: '0x200000',
        message: 'namespace0.1: start 0x0000000140001000 misaligned to 0x200000',
      },
    ],
    [
      'nvdimm-namespace-error',
      'probe-failed',
      { driver: 'dax_pmem', device: 'dax0.0', error: -22, form },
    ],
  ];
  for (const [release, form] of [
    ['6.1.0-57-amd64', 'pr_warn'],
    ['6.12.118+deb12-amd64', 'dev_err'],
  ]) {
    const { whole, dmesg } = recording(release, 'misaligned-start');
    for (const text of [dmesg, whole]) {
      const log = importLogText(text);
      assert.equal(log.error, undefined);
      assert.deepEqual(
        only(log, 'nvdimm-namespace-error').map((e) => [e.kind, e.code, e.fields]),
        want(form),
        release,
      );
    }
    const over = importLogText(recording(release, 'devdax-align-over-size').dmesg);
    assert.deepEqual(
      only(over, 'nvdimm-namespace-error').map((e) => [e.code, e.fields.device]),
      [['namespace-align-unsatisfiable', 'dax0.0']],
    );
    const kmem = only(importLogText(recording(release, 'kmem').dmesg), 'pages-offlined');
    assert.ok(kmem.length > 0 && kmem.every((e) => e.fields.pages === 32768), release);
  }
  // 6.12 refused to offline the DIMM's first block three times: a slab page in ZONE_NORMAL.
  const refused = only(
    importLogText(recording('6.12.118+deb12-amd64', 'dimm-hotadd').dmesg),
    'offlining-failed',
  );
  assert.deepEqual(
    refused.map((e) => [e.code, e.fields]),
    Array(3).fill([
      'memory-offline-failed',
      { start: '0x200000000', end: '0x207ffffff', reason: 'failure to isolate range' },
    ]),
  );
});

test('hotplug messages with their fields', () => {
  const log = importLogText(
    [
      '[  100.000001] removing memory fails, because memory [0x0000000140000000-0x0000000147ffffff] is onlined',
      '[  100.000002] Offlined Pages 32768',
      '[  100.000003] memory offlining [mem 0x140000000-0x147ffffff] failed',
      '[  100.000003] init_memory_mapping: [mem 0x140000000-0x147ffffff]',
      '[  100.000004] acpi PNP0C80:00: add_memory failed',
      '[  100.000005] Block size [0x8000000] unaligned hotplug range: start 0x140000000, size 0x1000000',
      '[  100.000006] Section-unaligned hotplug range: start 0x140000000, size 0x1000000',
    ].join('\n'),
  );
  assert.deepEqual(
    log.events.map((e) => [e.kind, e.code, e.fields]),
    [
      [
        'remove-memory-online',
        'memory-still-online',
        { start: '0x0000000140000000', end: '0x0000000147ffffff' },
      ],
      ['pages-offlined', undefined, { pages: 32768 }],
      ['offlining-failed', 'memory-offline-failed', { start: '0x140000000', end: '0x147ffffff' }],
      ['memory-mapping', undefined, { start: '0x140000000', end: '0x147ffffff' }],
      ['add-memory-failed', undefined, { device: 'acpi PNP0C80:00' }],
      [
        'hotplug-range-unaligned',
        'misaligned-memory-block',
        { blockSize: '0x8000000', start: '0x140000000', size: '0x1000000' },
      ],
      [
        'hotplug-range-unaligned',
        'misaligned-memory-block',
        { start: '0x140000000', size: '0x1000000' },
      ],
    ],
  );
});

test('"memremap attempted on mixed range" is the message of its WARN splat', () => {
  // Shape of Hussam Al-Tayeb's `strings /dev/mem` report as a linux-mm patch mail quotes it (message first).
  const log = importLogText(
    [
      '[   50.000001] memremap attempted on mixed range 0x000000000009c000 size: 0x1000',
      '[   50.000002] ------------[ cut here ]------------',
      '[   50.000003] WARNING: CPU: 0 PID: 11810 at kernel/iomem.c:78 memremap+0x104/0x170',
      '[   50.000004] Call Trace:',
      '[   50.000005]  xlate_dev_mem_ptr+0x25/0x40',
      '[   50.000006]  read_mem+0x89/0x1a0',
      '[   50.000007] ---[ end trace 0000000000000000 ]---',
    ].join('\n'),
  );
  assert.deepEqual(brief(log), [['memremap-mixed-range', 1, 7]]);
  assert.deepEqual(
    [
      log.events[0].fields.region,
      log.events[0].fields.start,
      log.events[0].fields.size,
      log.events[0].fields.location,
    ],
    ['mixed', '0x000000000009c000', '0x1000', 'kernel/iomem.c:78'],
  );
});

test('a lone cut-here rule followed by "kernel BUG at" is one BUG event', () => {
  // Shape of https://github.com/dolohow/uksm/issues/44 and https://github.com/CachyOS/linux-cachyos/issues/841.
  const log = importLogText(
    [
      '[ 8638.470708] ------------[ cut here ]------------',
      '[ 8638.470712] kernel BUG at mm/memremap.c:421!',
      '[ 8638.470722] Oops: invalid opcode: 0000 [#1] SMP NOPTI',
      '[ 8638.470726] CPU: 15 PID: 72081 Comm: kworker/u8:1 Tainted: G           O        6.12.1 #1',
      '[ 8638.470735] RIP: 0010:memunmap_pages+0x205/0x210',
      '[ 8638.470742] Call Trace:',
      '[ 8638.470743]  <TASK>',
      '[ 8638.470744]  devm_action_release+0x12/0x20',
      '[ 8638.470746]  </TASK>',
      '[ 8638.470747] ---[ end trace 0000000000000000 ]---',
    ].join('\n'),
  );
  assert.deepEqual(brief(log), [['bug', 1, 10]]);
  assert.deepEqual(
    [log.events[0].text, log.events[0].fields.ip],
    ['kernel BUG at mm/memremap.c:421!', 'memunmap_pages'],
  );
  assert.equal(log.unknownLines.length, 0);
});

test('ARM32 oops: "[<addr>] (func) from [<addr>] (caller)" frames, exception stack rows inside', () => {
  // Shape of https://github.com/beagleboard/linux/issues/89 (ARM32 verbose backtrace, exception stacks).
  const log = importLogText(
    [
      '[  816.077100] kernel BUG at mm/sparse.c:812!',
      '[  816.077110] Internal error: Oops - BUG: 0 [#1] SMP ARM',
      '[  816.077120] CPU: 0 PID: 53 Comm: kworker/0:2 Not tainted 5.10.0 #1',
      '[  816.077125] PC is at section_deactivate+0x1c4/0x1d0',
      '[  816.077130] LR is at section_deactivate+0x1c0/0x1d0',
      '[  816.077140] [<c0011a97>] (section_deactivate) from [<c0009107>] (__remove_pages+0xf3/0x124)',
      '[  816.077150] [<c0009107>] (__remove_pages) from [<c06d8eff>] (memunmap_pages+0x1/0x22)',
      '[  816.077155] Exception stack(0xdceed458 to 0xdceed4a0)',
      '[  816.077160] d440:                                                       00000000 c09e0f2c',
      '[  816.077169] d460: c004f2dd 57ac6e9d c0b5c280 df913280 dce66d00 dceed4f0 c0b662b0 df913280',
      '[  816.077188] [<c06d8eff>] (memunmap_pages) from [<c06d679e>] (devm_action_release+0x3ce/0x4f8)',
      '[  816.077190]  release_nodes from devres_release_all+0x10/0x14',
      '[  816.077200] ---[ end trace 1234567890abcdef ]---',
    ].join('\n'),
  );
  assert.deepEqual(brief(log), [['bug', 1, 13]]);
  const [bug] = log.events;
  assert.equal(bug.fields.arch, 'arm');
  assert.deepEqual(bug.callTrace, [
    'section_deactivate',
    '__remove_pages',
    'memunmap_pages',
    'release_nodes',
  ]);
});

test('ppc64 oops with ftrace_dump_on_oops: the dump, NIP/LR and the call trace after it are one event', () => {
  // Shape of the ppc64 hash oops (test/fixtures/logs/ppc64-hash-devdax-oops.txt) with the
  // ftrace_dump() block kernel/trace/trace.c prints from the die notifier.
  const log = importLogText(
    [
      '[   70.000001] BUG: Unable to handle kernel data access on write at 0xc00c000100400038',
      '[   70.000002] Faulting instruction address: 0xc0000000004b1d84',
      '[   70.000003] Oops: Kernel access of bad area, sig: 11 [#1]',
      '[   70.000004] LE PAGE_SIZE=64K MMU=Hash SMP NR_CPUS=2048 NUMA pSeries',
      '[   70.000005] Dumping ftrace buffer:',
      '[   70.000006] ---------------------------------',
      '[   70.000007] CPU:2 [LOST 1234 EVENTS]',
      '[   70.000008] kworker/-61      2.... 69999998us : memmap_init_zone_device <-memremap_pages',
      '[   70.000009] kworker/-61      2.... 69999999us : __init_zone_device_page <-memmap_init_zone_device',
      '[   70.000010] ---------------------------------',
      '[   70.000011] Modules linked in: dax_pmem nd_pmem',
      '[   70.000012] CPU: 2 PID: 61 Comm: kworker/u16:2 Not tainted 6.3.0-rc5 #1',
      '[   70.000013] NIP:  c0000000004b1d84 LR: c0000000004b1c20 CTR: 0000000000000000',
      '[   70.000014] NIP [c0000000004b1d84] __init_single_page.isra.74+0x14/0x4c',
      '[   70.000015] LR [c0000000004b1c20] memmap_init_zone_device+0x100/0x1f0',
      '[   70.000016] Call Trace:',
      '[   70.000017] [c000000008bd7a00] [c0000000004b1c20] memmap_init_zone_device+0x100/0x1f0 (unreliable)',
      '[   70.000018] [c000000008bd7a80] [c0000000004c2b14] memremap_pages+0x314/0x8d0',
      '[   70.000019] Instruction dump:',
      '[   70.000020] 7c0802a6 60000000 e9230008 e8e90000 <89470430> 2f8a0000 409e0020 a14d0008',
      '[   70.000021] ---[ end trace 0000000000000000 ]---',
    ].join('\n'),
  );
  assert.deepEqual(brief(log), [['bug', 1, 21]]);
  const [oops] = log.events;
  assert.deepEqual(
    [oops.fields.arch, oops.fields.ip, oops.callTrace],
    ['ppc64', '__init_single_page.isra.74', ['memremap_pages']],
  );
  assert.equal(log.unknownLines.length, 0); // A paste that lost the dump's closing rule: the registers end the dump, the line after the splat stands alone.
  const trimmed = importLogText(
    [
      '[    1.000001] Oops: Kernel access of bad area, sig: 11 [#1]',
      '[    1.000002] Dumping ftrace buffer:',
      '[    1.000003] ---------------------------------',
      '[    1.000004] kworker/-61      2.... 69999998us : memmap_init_zone_device <-memremap_pages',
      '[    1.000005] NIP:  c0000000004b1d84 LR: c0000000004b1c20 CTR: 0000000000000000',
      '[    1.000006] Call Trace:',
      '[    1.000007] [c000000008bd7a80] [c0000000004c2b14] memremap_pages+0x314/0x8d0',
      '[    1.000008] ---[ end trace 0000000000000000 ]---',
      '[    1.000009] x86/mm: Memory block size: 128MB',
    ].join('\n'),
  );
  assert.deepEqual(brief(trimmed), [
    ['oops', 1, 8],
    ['memory-block-size', 9, 9],
  ]);
});
