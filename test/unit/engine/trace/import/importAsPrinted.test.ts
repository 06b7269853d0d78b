import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importLogText } from '../../../../../src/engine/trace/import/importLog';
import type { ImportedLog } from '../../../../../src/engine/trace/import/types';
import { toDmesgText } from '../../../../../src/engine/trace/exportDmesg';
import { buildTimeline } from '../../../../../src/engine/views/timelineModel';
import { spanDetails } from '../../../../../src/engine/views/spanDetails';
import { buildLockModel, DEFAULT_THRESHOLD } from '../../../../../src/engine/views/lockModel';
import { formatImport } from '../../../../../src/cli/importCommand';
import { ROOT } from '../../../helpers';

// Real kernel output (cited in test/fixtures/README.md): times and lock_stat columns as printed.
const read = (name: string) => readFileSync(join(ROOT, 'test', 'fixtures', 'logs', name), 'utf8');
const fixture = (name: string): ImportedLog => importLogText(read(name), { name });

/** Every exported line that carries a time is a line of the file, character for character. */
function assertStampedLinesSurvive(name: string, log: ImportedLog): void {
  const source = new Set(read(name).split('\n'));
  const stamped = toDmesgText(log.trace)
    .split('\n')
    .filter((l) => /^\[/.test(l));
  assert.ok(stamped.length > 10, `${stamped.length} stamped lines`);
  for (const l of stamped)
    assert.ok(source.has(l), `exported line not in ${name}: ${JSON.stringify(l)}`);
}

test('two boots in one paste (hibernate, reboot, resume): a second segment, every printed time kept', () => {
  const log = fixture('arm64-hibernate-two-boots.txt');
  assert.equal(log.summary.timing, 'kernel');
  assert.equal(
    log.summary.timeJumps,
    1,
    "only the reboot goes back; the resumed kernel's 42 s follows 1.87 s",
  );
  const [jump] = log.trace.instants.filter((i) => i.fields?.segment === 2);
  assert.match(jump.text, /went back from 56\.643432 s to 0\.000000 s: segment 2 starts/);
  assert.deepEqual(jump.printed, { clock: 'boot', text: '0.000000', segment: 2 });
  const lines = log.trace.dmesg;
  const at = (text: string) => lines.find((l) => l.text.startsWith(text))!;
  assert.ok(
    at('Booting Linux').t > at('reboot: Restarting system').t,
    'the second boot follows the first on the axis',
  );
  assert.ok(
    lines.every((l, i) => i === 0 || l.t >= lines[i - 1].t),
    'the axis never goes back',
  );
  assert.equal(at('Booting Linux').prefix, '[    0.000000] ');
  assertStampedLinesSurvive('arm64-hibernate-two-boots.txt', log);
  assert.match(
    formatImport('h.txt', log, false),
    /timestamps went backwards 1 time\(s\): 2 segments/,
  );
});

test("an init span's details show the time its line printed", () => {
  const log = fixture('nvdimm-devdax-5.10-rc3.log');
  const d = spanDetails(log.trace, log.trace.spans[0].id)!;
  assert.deepEqual(
    d.extra.find(([k]) => k === 'printed at'),
    ['printed at', '303.441089 s'],
  );
});

test('dmesg -T pasted twice: the wall clock goes back, both dates kept as printed', () => {
  const log = fixture('nanopi-dmesg-T-pasted-twice.txt');
  assert.equal(log.summary.timing, 'syslog');
  assert.equal(log.summary.timeJumps, 1);
  const jump = log.trace.instants.find((i) => i.fields?.segment === 2)!;
  assert.match(
    jump.text,
    /from Sat Aug {2}5 22:32:01 2017 to Sat Aug {2}5 22:30:53 2017: segment 2/,
  );
  assert.deepEqual(jump.printed, { clock: 'wall', text: 'Sat Aug  5 22:30:53 2017', segment: 2 });
  assertStampedLinesSurvive('nanopi-dmesg-T-pasted-twice.txt', log);
});

test('dmesg -H: relative stamps reported as relative, on the event, the timeline and the CLI', () => {
  const log = fixture('ice-list-corruption-dmesg-H.txt');
  assert.equal(log.summary.timing, 'relative');
  const bug = log.events.find((e) => e.kind === 'bug')!;
  assert.match(bug.text, /kernel BUG at lib\/list_debug\.c:29!/);
  assert.deepEqual(bug.printed, { clock: 'relative', text: '+0.000015' });
  const shown = buildTimeline(log.trace, 'ice').instants.find((i) => /kernel BUG/.test(i.text))!;
  assert.equal(shown.printed, '+0.000015 s');
  assert.match(formatImport('ice.txt', log, false), /^ {2}L5-\d+ +\+0\.000015 s {2}bug/m);
  assert.match(formatImport('ice.txt', log, false), /times from deltas between lines \(dmesg -H\)/);
  assertStampedLinesSurvive('ice-list-corruption-dmesg-H.txt', log);
});

test('dmesg -d: each event keeps its printed delta; a stamp 8 ms before the line above stays as printed', () => {
  const name = 'ubuntu-3.8-dmesg-d-slow-boot.txt';
  const log = fixture(name);
  assert.deepEqual([log.format, log.summary.timing], ['dmesg', 'kernel']);
  assert.deepEqual(
    log.events.map((e) => [e.kind, e.line, e.fields?.start, e.fields?.end, e.printed]),
    [
      ['memory-mapping', 23, '0x00000000', '0xcff8ffff', PRINTED_AT_ZERO],
      ['memory-mapping', 28, '0x100000000', '0x12fffffff', PRINTED_AT_ZERO],
    ],
  );
  // The TSC calibration restarts the clock by 8 ms: not another boot, and nothing is shifted.
  assert.equal(log.summary.timeJumps, 0);
  const calibrating = log.trace.dmesg.find((l) => l.text.startsWith('Calibrating delay loop'))!;
  assert.equal(calibrating.prefix, '[    0.000003 <   -0.007997>] ');
  assertStampedLinesSurvive(name, log);
});

const PRINTED_AT_ZERO = { clock: 'boot', text: '0.000000', delta: '0.000000' };

test('lock_stat of an rwlock: -W and -R rows, every column and both call-site lists as printed', () => {
  const log = fixture('lock_stat-tasklist-rw.txt');
  assert.equal(log.format, 'lock_stat');
  const [w, r] = log.trace.lockClasses!;
  assert.deepEqual(
    [w.label, w.mode, r.label, r.mode],
    ['tasklist_lock-W', 'write', 'tasklist_lock-R', 'read'],
  );
  assert.deepEqual(w.columns, [
    '56291',
    '56830',
    '0.23',
    '3352084.59',
    '3191025005.50',
    '56150.36',
    '86555',
    '110489',
    '0.60',
    '65916.78',
    '50226089.66',
    '454.58',
  ]);
  assert.deepEqual([r.conBounces, r.acqBounces], [40925, 73248]);
  assert.deepEqual(
    r.points?.map((p) => [p.kind, p.count, p.ip, p.symbol]),
    [
      ['contention', 21879, '[<000000004337def3>]', 'exit_notify+0x86/0x790'],
      ['contention', 40987, '[<000000008c6daba0>]', '__do_wait+0xdc/0x700'],
      ['contention', 17632, '[<00000000c86b4505>]', 'release_task+0x106/0x470'],
      ['contention', 17319, '[<000000004c9a1afc>]', 'copy_process+0x2a1b/0x4b00'],
      ['contending', 73231, '[<000000004337def3>]', 'exit_notify+0x86/0x790'],
      ['contending', 15082, '[<00000000c86b4505>]', 'release_task+0x106/0x470'],
      ['contending', 4233, '[<000000004c9a1afc>]', 'copy_process+0x2a1b/0x4b00'],
      ['contending', 5271, '[<000000008c6daba0>]', '__do_wait+0xdc/0x700'],
    ],
  );
  const view = buildLockModel(log.trace, DEFAULT_THRESHOLD, 'lock_stat');
  assert.deepEqual(
    view.rows.map((x) => [x.label, x.columns?.[3]]),
    [
      ['tasklist_lock-W', '3352084.59'],
      ['tasklist_lock-R', '3450788.93'],
    ],
  );
  assert.equal(
    view.thresholdNs,
    undefined,
    'no long-hold threshold judges a table nobody set one for',
  );
});

test('lock_stat of spinlocks and read-only classes: no -W the kernel did not print', () => {
  const log = fixture('lock_stat-zsmalloc-two-tables.txt');
  const rows = buildLockModel(log.trace, DEFAULT_THRESHOLD, 'zsmalloc').rows;
  assert.deepEqual(
    rows.slice(0, 5).map((x) => [x.label, x.mode]),
    [
      ['&pool->migrate_lock-R', 'read'],
      ['&class->lock', 'write'],
      ['&zspage->lock-R', 'read'],
      ['&zram->table[index].lock', 'write'],
      ['&zstrm->lock', 'write'],
    ],
  );
  assert.equal(rows.length, 10, 'both tables of the mail');
  assert.deepEqual(rows[9].columns?.slice(8), ['1.77', '7071.30', '14838397.61', '22.34']);
  assert.equal(rows[9].label, '&per_cpu_ptr(comp->stream, cpu)->lock');
});
