import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareWithLog } from '../../../../src/engine/compare/compareWithLog';
import { formatComparison } from '../../../../src/engine/compare/formatComparison';
import { importLogText } from '../../../../src/engine/trace/import/importLog';
import { toLockStatText } from '../../../../src/engine/trace/lockStatText';
import { buildLockModel } from '../../../../src/engine/views/lockModel';
import { buildLogCompare } from '../../../../src/engine/views/logCompareModel';
import { exampleText, ROOT, run, scenario } from '../../helpers';

// A run beside a real kernel log in the compare view: the same matching as `memmap-lab compare`.
const realLog = (name: string) =>
  readFileSync(join(ROOT, 'test', 'fixtures', 'logs', name), 'utf8');
const dl380 = run(exampleText('calibrate-dl380-devdax-2m'));
const side = {
  label: 'DL380 — v5.10',
  variant: dl380.run!.variant,
  summary: dl380.summary,
  trace: dl380.run!.trace,
};
const source = {
  uri: 'file:///logs/nvdimm-devdax-5.10-rc3.log',
  name: 'nvdimm-devdax-5.10-rc3.log',
};

test('the real 5.10 log beside its scenario: init times matched in order, with measured / predicted', () => {
  const log = importLogText(realLog('nvdimm-devdax-5.10-rc3.log'));
  const m = buildLogCompare(side, log, source);
  const cmp = compareWithLog(dl380.run!.trace, log);
  assert.deepEqual(
    { matched: m.log?.matched, onlyEmulated: m.log?.onlyEmulated, onlyReal: m.log?.onlyReal },
    { matched: cmp.matched, onlyEmulated: cmp.onlyEmulated, onlyReal: cmp.onlyReal },
  );
  assert.deepEqual(m.log?.rows, cmp.rows, 'the rows `memmap-lab compare` prints');
  assert.equal(m.b.source, 'imported');
  assert.equal(m.b.variant, 'dmesg');
  // v5.10 prints no device name: the run's record of its own line names the device and node.
  const inits = m.inits.map((r) => [
    r.node,
    r.what,
    r.bNs && r.bNs / 1e6,
    r.ratio?.toFixed(2),
    r.line,
  ]);
  assert.deepEqual(inits.slice(0, 2), [
    [0, 'dax0 memmap init (zone device #1)', 34, '0.68', 1],
    [0, 'dax1 memmap init (zone device #2)', 34, '0.68', 2],
  ]);
  assert.deepEqual(
    inits.filter((r) => r[0] === 1 && String(r[1]).startsWith('dax')).map((r) => r.slice(1)),
    [
      ['dax2 memmap init (zone device #3)', 24, '0.48', 3],
      ['dax3 memmap init (zone device #4)', 24, '0.48', 4],
    ],
  );
  // The reconfigured namespaces (lines 7–10) have no line in this scenario: node unknown, listed last.
  assert.deepEqual(
    m.inits.slice(-4).map((r) => [r.node, r.what, r.aNs, r.line]),
    [7, 8, 9, 10].map((l, i) => [-1, `zone device #${i + 5} memmap init`, undefined, l]),
  );
  assert.ok(
    m.inits.some((r) => r.what === 'deferred struct page init' && r.aNs && r.bNs === undefined),
    'what only the run printed stays',
  );
});

test("the stacked timelines: the log's first matched line on top of its prediction, both from 0", () => {
  const log = importLogText(realLog('nvdimm-devdax-5.10-rc3.log'));
  const m = buildLogCompare(side, log, source);
  assert.equal(m.log?.alignedOn, 'L1 zone-device-init zone device #1');
  const t = m.timeline;
  const groups = [...new Set(t.lanes.map((l) => l.group))];
  assert.deepEqual(groups, ['A: DL380 — v5.10', 'B: nvdimm-devdax-5.10-rc3.log']);
  const ends = (group: string) =>
    t.spans.end
      .filter(
        (_, i) =>
          t.lanes[t.spans.lane[i]].group === group &&
          t.names[t.spans.name[i]] === 'memmap_init_zone_device',
      )
      .sort((a, b) => a - b);
  const [a, b] = [ends(groups[0]!), ends(groups[1]!)];
  // The kernel prints when the init ends; the emulator's line is printed at its span's end too.
  assert.ok(Math.abs(a[0] - b[0]) < 1e3, `first init ends: run ${a[0]}, log ${b[0]}`);
  assert.equal(Math.min(...t.spans.start), 0);
  assert.equal(m.log?.logShiftNs, b[0] - 303.441089e9, 'the log moved by its shift');
  // The dmesg column keeps the kernel's own times.
  const paired = m.dmesg.filter((p) => p.a && p.b);
  assert.equal(paired.length, 4);
  assert.equal(paired[0].b?.t, 303.441089e9);
});

test("lock_stat in the log: each of the run's classes beside the log's row of the same class and mode", () => {
  const three = run(exampleText('three-tib-per-node'));
  // The run's own lock_stat, as /proc/lock_stat prints it, is a log with every class the run has.
  const log = importLogText(toLockStatText(three.run!.trace));
  assert.equal(log.format, 'lock_stat');
  const m = buildLogCompare({ label: 'three', variant: 'v4.20', trace: three.run!.trace }, log, {
    uri: 'file:///l.txt',
    name: 'l.txt',
  });
  assert.equal(m.log?.lockClasses, log.trace.lockClasses?.length);
  const hotplug = m.locks.find((l) => l.label.startsWith('mem_hotplug_lock'));
  assert.ok(hotplug?.a && hotplug.b, 'paired');
  assert.equal(hotplug.b.acquisitions, hotplug.a.acquisitions);
  assert.ok(
    Math.abs(hotplug.b.holdMaxNs - hotplug.a.holdMaxNs) <= 10,
    'lock_stat prints µs to two decimals',
  );
  // A log without lock_stat: the run's side only.
  const none = buildLogCompare(side, importLogText(realLog('nvdimm-devdax-5.10-rc3.log')), source);
  assert.equal(none.log?.lockClasses, 0);
  assert.ok(none.locks.length > 0 && none.locks.every((l) => l.a && !l.b));
});

test("a long log: the lines beside the run's stay with a few around them, the rest are counted gaps", () => {
  // Synthetic: the real 2 MiB log's four lines inside 6000 generated lines of unrelated dmesg.
  const filler = (from: number, n: number) =>
    Array.from(
      { length: n },
      (_, i) =>
        `[  ${(from + i * 0.001).toFixed(6)}] usb 1-1: reset high-speed USB device number ${i}`,
    );
  const text = [
    ...filler(100, 3000),
    ...readFileSync(join(ROOT, 'examples', 'calibrate-dl380-devdax-2m.log'), 'utf8')
      .trim()
      .split('\n'),
    ...filler(400, 3000),
  ].join('\n');
  const m = buildLogCompare(side, importLogText(text), source);
  assert.ok(m.dmesg.length < 100, `${m.dmesg.length} rows`);
  assert.equal(m.dmesg.filter((p) => p.a && p.b).length, 4);
  const skipped = m.dmesg.reduce((n, p) => n + (p.skipped ?? 0), 0);
  const shown = m.dmesg.filter((p) => p.b).length;
  assert.equal(skipped + shown, 6004, 'every line of the log is shown or counted');
});

test('an imported /proc/lock_stat in the lock view: its rows, no histograms or holders (it has no events)', () => {
  const log = importLogText(realLog('lock_stat-vmalloc.txt'));
  const m = buildLockModel(log.trace, 1e9, 'lock_stat-vmalloc.txt');
  assert.ok(
    m.rows.some(
      (r) => r.name === 'vmap_area_lock' && r.contentions === 2554276 && r.acquisitions === 3005712,
    ),
  );
  assert.equal(
    m.rows.find((r) => r.name === 'vmap_area_lock')?.holdAvgNs.toFixed(0),
    (3573323.37e3 / 3005712).toFixed(0),
  );
  assert.deepEqual([m.histograms.length, m.gantts.length], [0, 0]);
});

test("formatComparison prints the CLI's table", () => {
  const cmp = compareWithLog(
    dl380.run!.trace,
    importLogText(realLog('nvdimm-devdax-5.10-rc3.log')),
  );
  const text = formatComparison('DL380', 'x.log', cmp);
  assert.match(text, /^DL380 vs x\.log: 4 matched, 3 only emulated, 4 only in the log\n/);
  assert.match(
    text,
    /zone-device-init {13}zone device #1 {13}49\.77 ms {5}34\.00 ms {4}0\.68 {2}L1/,
  );
});

test('RAM hotplug refusals are matched one to one: an unaligned range, removing online memory', () => {
  const steps = [
    'boot',
    'add_memory: { node: 0, start: 0x1000000000, size: 1GiB }',
    'add_memory: { node: 0, start: 0x1000000000, size: 2GiB }',
    'online: { start: 0x1000000000, size: 2GiB }',
    'remove_memory: { start: 0x1000000000, size: 2GiB }',
  ];
  const emulated = run(scenario({ nodes: ['{ ram: 64GiB, cpus: 4 }'], steps })).run!.trace;
  // The same two refusals as a journal shows them (synthetic, in the kernel's words).
  const log = importLogText(
    [
      'Dez 03 13:53:20 vm kernel: Block size [0x80000000] unaligned hotplug range: start 0x1000000000, size 0x40000000',
      'Dez 03 13:53:29 vm kernel: removing memory fails, because memory [0x0000001000000000-0x000000107fffffff] is onlined',
    ].join('\n'),
  );
  const rows = compareWithLog(emulated, log).rows.filter(
    (r) => r.kind === 'hotplug-range-unaligned' || r.kind === 'remove-memory-online',
  );
  assert.deepEqual(
    rows.map((r) => [
      r.kind,
      r.emulated?.fields.size ?? r.emulated?.fields.start,
      r.real?.fields.size ?? r.real?.fields.start,
    ]),
    [
      ['hotplug-range-unaligned', '0x40000000', '0x40000000'],
      ['remove-memory-online', '0x0000001000000000', '0x0000001000000000'],
    ],
  );
});
