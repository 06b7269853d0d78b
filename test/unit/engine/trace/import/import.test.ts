import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importLogText } from '../../../../../src/engine/trace/import/importLog';
import type { ImportedLog, LogEvent } from '../../../../../src/engine/trace/import/types';
import { ROOT } from '../../../helpers';

// Real kernel output from mailing lists and bug reports, cited in test/fixtures/README.md.
function fixture(name: string): ImportedLog {
  return importLogText(readFileSync(join(ROOT, 'test', 'fixtures', 'logs', name), 'utf8'), {
    name,
  });
}

const only = (log: ImportedLog, kind: LogEvent['kind']) =>
  log.events.filter((e) => e.kind === kind);

test('5.10 devdax report: eight memmap_init_zone_device lines become spans of the printed length', () => {
  const log = fixture('nvdimm-devdax-5.10-rc3.log');
  assert.equal(log.format, 'dmesg');
  assert.equal(log.summary.timing, 'kernel');
  const inits = only(log, 'zone-device-init');
  assert.deepEqual(
    inits.map((e) => e.fields.pages),
    [2063872, 2063872, 2063872, 2063872, 1835008, 1835008, 1835008, 1835008],
  );
  assert.deepEqual(
    inits.map((e) => e.fields.ms),
    [34, 34, 24, 24, 21, 22, 31, 32],
  );
  assert.equal(inits[0].t, 303_441_089_000);
  const spans = log.trace.spans.filter((s) => s.name === 'memmap_init_zone_device');
  assert.equal(spans.length, 8);
  assert.equal(spans[0].end - spans[0].start, 34e6);
  assert.equal(spans[0].end, 303_441_089_000, 'the kernel prints when the loop ends');
  // The instants carry what the compare view reads: ms and a device.
  assert.ok(
    log.trace.instants.filter((i) => typeof i.fields?.ms === 'number').every((i) => i.device),
  );
});

test('a BUG splat is one event, and a perf line printed inside its call trace is not swallowed', () => {
  const log = fixture('nvdimm-devdax-5.10-rc3.log');
  const [bug] = only(log, 'bug');
  assert.equal(bug.text, 'BUG: Bad page state in process kworker/41:0  pfn:891066');
  assert.equal(bug.line, 11);
  assert.equal(bug.endLine, 36);
  assert.equal(bug.fields.comm, 'kworker/41:0');
  assert.equal(bug.fields.kernel, '5.10.0-rc3');
  assert.deepEqual(bug.callTrace?.slice(0, 3), [
    'dump_stack',
    'bad_page.cold.114',
    'free_pcppages_bulk',
  ]);
  assert.ok(
    !bug.callTrace?.includes('process_one_work') ||
      bug.callTrace.filter((f) => f === 'process_one_work').length === 1,
    '"? " frames are unreliable',
  );
  assert.ok(
    log.unknownLines.some((u) => u.line === 22 && u.text.includes('perf: interrupt took too long')),
  );
});

test('seed 000: the wrapped percpu-ref WARN, and its quoted copy, are each one underflow event', () => {
  const log = fixture('seed000-percpu-ref-underflow.txt');
  assert.equal(log.summary.timing, 'line-order');
  const warns = only(log, 'percpu-ref-underflow');
  assert.equal(warns.length, 2);
  for (const w of warns) {
    assert.equal(
      w.text,
      'percpu ref (blk_queue_usage_counter_release) <= 0 (-1530626) after switching to atomic',
    );
    assert.equal(w.fields.release, 'blk_queue_usage_counter_release');
    assert.equal(w.fields.count, -1530626);
    assert.equal(w.fields.location, 'lib/percpu-refcount.c:155');
    assert.equal(
      w.fields.function,
      'percpu_ref_switch_to_atomic_rcu',
      'the function the mailer wrapped onto the next line',
    );
    assert.equal(w.code, 'pgmap-ref-underflow');
    assert.ok(w.callTrace?.includes('devm_memremap_pages_release'));
  }
  assert.equal(warns[0].line, 4);
  assert.equal(warns[1].fields.quoted, 2);
});

test('4.10 device-dax WARN: the WARNING line before the message, module-qualified release function', () => {
  const [w] = fixture('devdax-1g-percpu-ref-warning-first.txt').events;
  assert.equal(w.kind, 'percpu-ref-underflow');
  assert.equal(w.fields.release, 'dax_pmem_percpu_release');
  assert.equal(w.fields.module, 'dax_pmem');
  assert.equal(w.fields.count, 0);
  assert.equal(w.fields.comm, 'rcuos/1');
  assert.equal(w.code, 'pgmap-ref-underflow');
});

test('s390 splat: PSW, GPRS, code dump and the panic stay in one event; unreliable frames are dropped', () => {
  const log = fixture('s390-percpu-ref-obj-cgroup.log');
  assert.equal(log.events.length, 1);
  const [w] = log.events;
  assert.equal(w.kind, 'percpu-ref-underflow');
  assert.equal(w.fields.release, 'obj_cgroup_release');
  assert.equal(w.code, undefined, 'a cgroup ref is not a pgmap ref');
  assert.equal(w.fields.arch, 's390');
  assert.equal(w.fields.ip, 'percpu_ref_switch_to_atomic_rcu');
  assert.equal(w.endLine, 37);
  assert.deepEqual(w.callTrace?.slice(0, 3), [
    'percpu_ref_switch_to_atomic_rcu',
    'rcu_do_batch',
    'rcu_core',
  ]);
  assert.ok(!w.callTrace?.includes('0x0'));
  assert.equal(log.unknownLines.length, 0);
});

test('a mail-quoted x86 WARN keeps its timestamps and says it was quoted', () => {
  const [w] = only(fixture('x86-percpu-ref-css-quoted.txt'), 'percpu-ref-underflow');
  assert.equal(w.fields.quoted, 1);
  assert.equal(w.t, 704_259_734_000);
  assert.equal(w.fields.kernel, '5.10.60');
  assert.equal(w.fields.arch, 'x86');
  assert.deepEqual(w.callTrace?.slice(-2), ['kthread', 'ret_from_fork']);
});

test('seed 001 ppc64 hash oops: one event, ppc64 frames, evidence of vmemmap-opt-unsupported', () => {
  const log = fixture('ppc64-hash-devdax-oops.txt');
  const [oops] = only(log, 'bug');
  assert.equal(
    oops.text,
    'BUG: Unable to handle kernel data access on write at 0xc00c000100400038',
  );
  assert.equal(oops.fields.arch, 'ppc64');
  assert.equal(oops.fields.ip, '__init_single_page.isra.74');
  assert.equal(oops.code, 'vmemmap-opt-unsupported');
  assert.deepEqual(oops.callTrace?.slice(0, 3), [
    'memmap_init_zone_device',
    'memremap_pages',
    'devm_memremap_pages',
  ]);
  assert.equal(oops.callTrace?.at(-1), 'ret_from_kernel_thread');
});

test('QEMU CMB report: the #%lx typo form, a 0 ms init, and an oops across wrapped Code: lines', () => {
  const log = fixture('qemu-nvme-cmb-misaligned.txt');
  const [mis] = only(log, 'misaligned-pages');
  assert.deepEqual(mis.fields, { op: 'add', start: '0xfdd00', end: '0xfdeff', form: 'typo' });
  assert.equal(mis.code, 'misaligned-subsection');
  assert.deepEqual(
    only(log, 'zone-device-init').map((e) => [e.fields.pages, e.fields.ms]),
    [[512, 0]],
  );
  const [bug] = only(log, 'bug');
  assert.equal(bug.text, 'BUG: kernel NULL pointer dereference, address: 0000000000000120');
  assert.ok(
    bug.lines?.some((l) => l.includes('Oops: 0002 [#1] PREEMPT SMP PTI')),
    'the Oops line is part of the BUG',
  );
  assert.ok(
    bug.lines?.some((l) => l.startsWith('0 41 0f b7')),
    'a wrapped Code: line stays inside',
  );
  assert.ok(bug.lines?.at(-1)?.includes('---[ end trace ff1849437c76af12 ]---'));
  assert.equal(bug.fields.ip, 'nvme_process_cq');
  assert.deepEqual(bug.callTrace?.slice(0, 2), ['nvme_irq', '__handle_irq_event_percpu']);
});

test('dev_WARN "Conflicting mapping in same section" with the device prefix, indented as pasted', () => {
  const [w] = fixture('nvme-conflicting-mapping.txt').events;
  assert.equal(w.kind, 'section-conflict');
  assert.equal(w.fields.device, 'nvme 0000:00:03.0');
  assert.equal(w.fields.location, 'kernel/memremap.c:155');
  assert.equal(w.code, 'section-conflict');
  assert.ok(w.callTrace?.includes('pci_p2pdma_add_resource'));
});

test('"attempted on mixed region" (pre-5.3 text) with its range', () => {
  const [w] = fixture('mixed-region-warning.txt').events;
  assert.equal(w.kind, 'mixed-region');
  assert.deepEqual(
    [w.fields.region, w.fields.start, w.fields.end],
    ['mixed', '0x200000000', '0x2fbffffff'],
  );
  assert.equal(w.code, 'mixed-region');
});

test('libnvdimm namespace errors: invalid size/SPA, probe failure, could not reserve region', () => {
  const a = fixture('nd-pmem-namespace-errors.txt').events;
  assert.deepEqual(
    a.map((e) => [e.kind, e.fields.device]),
    [
      ['nvdimm-namespace-error', 'namespace0.1'],
      ['nvdimm-namespace-error', 'namespace0.1'],
    ],
  );
  assert.equal(a[1].fields.error, -95);
  const [b] = only(fixture('kmem-could-not-reserve.txt'), 'nvdimm-namespace-error');
  assert.equal(b.fields.device, 'namespace0.0');
  assert.match(String(b.fields.message), /^could not reserve region/);
});

test('journal, mail-quoted and mail-wrapped: syslog prefixes peeled, wrapped lines joined', () => {
  const log = fixture('journal-xen-deferred-quoted.txt');
  assert.equal(log.summary.timing, 'syslog');
  assert.deepEqual(
    only(log, 'deferred-init').map((e) => e.fields),
    [{ node: 0, ms: 20, format: 'deferred', quoted: 1 }],
  );
  assert.deepEqual(
    only(log, 'memory-block-size').map((e) => e.fields.mb),
    [128],
  );
  const wrapped = log.unknownLines.find((u) => u.text.includes('Total of 8 processors'));
  assert.ok(
    wrapped?.text.includes('(38707.20 BogoMIPS)'),
    'the continuation belongs to its message',
  );
  assert.equal(
    log.trace.dmesg.find((l) => l.text.startsWith('smpboot: Total'))?.text,
    'smpboot: Total of 8 processors activated ',
  );
});

test('WSL and journalctl -o short-monotonic boots: deferred init and memory block size', () => {
  const wsl = fixture('wsl-deferred-init.log');
  assert.deepEqual(
    wsl.events.map((e) => [e.kind, e.t]),
    [
      ['deferred-init', 1_153_627_000],
      ['memory-block-size', 1_162_799_000],
    ],
  );
  const journal = fixture('journal-monotonic-deferred.log');
  assert.deepEqual(
    journal.events.map((e) => e.kind),
    ['deferred-init', 'memory-block-size'],
  );
  assert.equal(journal.events[0].t, 895_327_000);
  assert.ok(journal.trace.dmesg.every((l) => !l.text.startsWith('kernel:')));
  const [span] = journal.trace.spans;
  assert.deepEqual(
    [span.name, journal.trace.threads[span.thread].name, span.end - span.start],
    ['deferred_init_memmap', 'pgdatinit0', 16e6],
  );
});

test('/proc/lock_stat: rows, times in ns, contention and contending points', () => {
  const log = fixture('lock_stat-vmalloc.txt');
  assert.equal(log.format, 'lock_stat');
  const classes = log.trace.lockClasses!;
  assert.deepEqual(
    classes.map((c) => c.name),
    ['vmap_area_lock', 'vmap_blocks.xa_lock', 'free_vmap_area_lock', 'purge_vmap_area_lock'],
  );
  const v = classes[0];
  assert.deepEqual(
    [v.mode, v.conBounces, v.contentions, v.acquisitions],
    ['write', 2554079, 2554276, 3005712],
  );
  assert.deepEqual(
    [v.waitMinNs, v.waitMaxNs, v.waitTotalNs, v.holdMaxNs],
    [60, 213_610, 11_719_647_670, 67_020],
  );
  assert.deepEqual(
    v.points?.map((p) => [p.kind, p.count, p.symbol]),
    [
      ['contention', 1297948, 'alloc_vmap_area+0x1c7/0x910'],
      ['contention', 1256330, 'free_vmap_block+0x4a/0xe0'],
      ['contention', 1, 'find_vm_area+0x16/0x70'],
      ['contending', 1738590, 'alloc_vmap_area+0x1c7/0x910'],
      ['contending', 815688, 'free_vmap_block+0x4a/0xe0'],
      ['contending', 1, '__get_vm_area_node+0xd2/0x170'],
    ],
  );
  assert.equal(
    classes[3].points?.length,
    4,
    'a 20-dash separator is a point separator, not the header',
  );
  assert.deepEqual(
    [v.label, v.columns],
    [
      'vmap_area_lock',
      [
        '2554079',
        '2554276',
        '0.06',
        '213.61',
        '11719647.67',
        '4.59',
        '2986513',
        '3005712',
        '0.05',
        '67.02',
        '3573323.37',
        '1.19',
      ],
    ],
    'a spinlock printed as `name:` is no -W',
  );
  assert.equal(v.points?.[0].ip, '[<00000000dd41cbaa>]');
});

test('function_graph (quoted): nesting by indentation, calls laid end to end inside their parent', () => {
  const log = fixture('function_graph-htab-quoted.txt');
  assert.equal(log.format, 'ftrace-function-graph');
  const spans = log.trace.spans;
  const top = spans.find((s) => s.name === 'htab_map_update_elem')!;
  assert.equal(top.end - top.start, 28_439);
  assert.equal(top.depth, 0);
  const alloc = spans.find((s) => s.name === 'alloc_htab_elem')!;
  assert.equal(alloc.parent, top.id);
  assert.equal(alloc.end - alloc.start, 25_486);
  for (const s of spans) {
    if (s.parent === undefined) continue;
    const p = spans[s.parent];
    assert.ok(p.start <= s.start && s.end <= p.end, `${s.name} inside ${p.name}`);
  }
  assert.deepEqual(
    only(log, 'ftrace-call')
      .filter((e) => e.fields.marker)
      .map((e) => [e.fields.function, e.fields.marker]),
    [
      ['__pcpu_freelist_pop', '+'],
      ['alloc_htab_elem', '+'],
      ['htab_map_update_elem', '+'],
    ],
  );
});

test('function_graph # marker (over 1 ms) and the function tracer with a stack trace', () => {
  const graph = fixture('function_graph-coresight.txt');
  assert.deepEqual(
    only(graph, 'ftrace-call').map((e) => [e.fields.us, e.fields.marker]),
    [
      [8148.32, '#'],
      [2463.98, '#'],
    ],
  );
  const fn = fixture('function-tracer-rpi.txt');
  assert.equal(fn.format, 'ftrace-function');
  assert.deepEqual(
    fn.events.map((e) => e.fields.function ?? e.fields.event),
    ['irq_handler_entry', 'do_timer', 'stack'],
  );
  assert.equal(fn.events[1].t, 230_859_943_000);
  assert.equal(fn.events[1].fields.parent, 'tick_do_update_jiffies64.part.0');
  assert.equal(fn.events[2].lines?.length, 17);
  assert.equal(fn.events[2].lines?.at(-1), '=> start_kernel');
  assert.equal(fn.unknownLines.length, 0);
});
