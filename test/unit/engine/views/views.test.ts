import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exampleText, near, run } from '../../helpers';
import {
  buildTimeline,
  spanCategory,
  stackTimelines,
} from '../../../../src/engine/views/timelineModel';
import { SPAN_CATEGORIES } from '../../../../src/engine/trace/model';
import {
  indexTimeline,
  levelOfDetail,
  spansInWindow,
} from '../../../../src/engine/views/timelineLod';
import { spanDetails } from '../../../../src/engine/views/spanDetails';
import { stepExtent } from '../../../../src/engine/views/stepExtent';
import { searchTimeline } from '../../../../src/engine/views/timelineSearch';
import { formatDuration, formatTick, timeTicks } from '../../../../src/engine/views/timeAxis';
import { buildLockModel } from '../../../../src/engine/views/lockModel';
import { buildCompare } from '../../../../src/engine/views/compareModel';
import { alignDmesg, messageKey } from '../../../../src/engine/views/dmesgAlign';
import { manyPageOps } from '../../../e2e/viewHarness/scenarios';

// The timeline, lock and compare views' data, from real runs of the examples: what a kernel
// developer would read off the screen.
const threeTib = exampleText('three-tib-per-node');
const v420 = run(threeTib, { variant: 'v4.20' });
const v418 = run(threeTib, { variant: 'v4.18' });

test('timeline: one lane per thread, the scenario first, each node its pgdatinit and probe worker', () => {
  const m = buildTimeline(v420.run!.trace, 't');
  assert.deepEqual(
    m.lanes.map((l) => l.name),
    ['scenario', 'swapper/0', 'pgdatinit0', 'probe/0:pmem0', 'pgdatinit1', 'probe/1:pmem1'],
  );
  assert.deepEqual(
    m.lanes.map((l) => l.node),
    [undefined, 0, 0, 0, 1, 1],
  );
  assert.equal(m.spans.id.length, v420.run!.trace.spans.length);
});

test('timeline: a probe lane nests the kernel functions devm_memremap_pages → … → memmap_init_zone_device', () => {
  const m = buildTimeline(v420.run!.trace, 't');
  const lane = m.lanes.findIndex((l) => l.name === 'probe/0:pmem0');
  const at = (depth: number) =>
    m.spans.id
      .map((_, i) => i)
      .filter((i) => m.spans.lane[i] === lane && m.spans.depth[i] === depth)
      .map((i) => m.names[m.spans.name[i]]);
  assert.deepEqual(at(0), ['nd_pmem_probe']);
  // v4.20: kernel/memremap.c's devm_memremap_pages() did it all; pagemap_range() came with ranges[] (v5.10).
  assert.deepEqual(at(1), ['devm_memremap_pages']);
  assert.deepEqual(at(2), [
    'arch_add_memory',
    'move_pfn_range_to_zone',
    'memmap_init_zone_device',
    'percpu_ref_get_many',
  ]);
  // x86's arch_add_memory() maps with init_memory_mapping() and adds through add_pages(); before
  // v5.3 a section is added by sparse_add_one_section(), which populates with sparse_mem_map_populate().
  assert.deepEqual(at(3), ['init_memory_mapping', 'add_pages', 'memmap_init_zone']);
  assert.deepEqual(at(4), ['__add_pages']);
  assert.deepEqual(
    [at(5), at(6), at(7)],
    [['sparse_add_one_section'], ['sparse_mem_map_populate'], ['vmemmap_populate']],
  );
  const v510 = buildTimeline(run(threeTib, { variant: 'v5.10' }).run!.trace, 't');
  const lane510 = v510.lanes.findIndex((l) => l.name === 'probe/0:pmem0');
  const at510 = (depth: number) =>
    v510.spans.id
      .map((_, i) => i)
      .filter((i) => v510.spans.lane[i] === lane510 && v510.spans.depth[i] === depth)
      .map((i) => v510.names[v510.spans.name[i]]);
  assert.deepEqual([at510(1), at510(2)], [['memremap_pages'], ['pagemap_range']]);
});

test('timeline colours: an emulated span keeps the category its kernel path gave it', () => {
  const m = buildTimeline(v420.run!.trace, 't');
  const categoriesOf = (name: string) => {
    const spans = m.spans.id.map((_, i) => i).filter((i) => m.names[m.spans.name[i]] === name);
    return [...new Set(spans.map((i) => SPAN_CATEGORIES[m.spans.category[i]]))];
  };
  assert.deepEqual(categoriesOf('memmap_init_zone_device'), ['init']);
  assert.deepEqual(categoriesOf('arch_add_memory'), ['hotplug']);
  assert.deepEqual(categoriesOf('percpu_ref_get_many'), ['ref']);
  // The scenario's get_dev_pagemap step, and the kernel's get_dev_pagemap() it calls.
  assert.deepEqual(categoriesOf('get_dev_pagemap').sort(), ['ref', 'step']);
  // An imported trace has only names: the category is guessed from them.
  assert.equal(spanCategory('memmap_init_zone_device'), 'init');
  assert.equal(spanCategory('arch_add_memory'), 'hotplug');
  assert.equal(spanCategory('percpu_ref_get_many'), 'ref');
  assert.equal(spanCategory('probe'), 'step');
});

test('timeline: lock holds on their lanes, pr_info markers on the probe workers', () => {
  const m = buildTimeline(v420.run!.trace, 't');
  const lane = (name: string) => m.lanes.findIndex((l) => l.name === name);
  const hotplug = m.locks.filter((l) => l.lock === 'mem_hotplug_lock');
  assert.deepEqual(
    hotplug.map((l) => m.lanes[l.lane].name),
    ['probe/0:pmem0', 'probe/1:pmem1', 'scenario', 'scenario'],
  );
  assert.equal(
    hotplug.find((l) => l.lane === lane('probe/1:pmem1'))!.contended,
    true,
    'node 1 waits for node 0 under the lock',
  );
  const info = m.instants.find((i) => i.text.startsWith('pfn0.0 initialised'))!;
  assert.equal(info.text, 'pfn0.0 initialised, 792722944 pages in 24165ms');
  assert.equal(info.lane, lane('probe/0:pmem0'));
  assert.equal(info.level, 'info');
});

test('span details: memmap_init_zone_device with its pfn range, pages and cost terms', () => {
  const trace = v420.run!.trace;
  const s = trace.spans.find(
    (x) => x.name === 'memmap_init_zone_device' && x.args.device === 'pmem0',
  )!;
  const d = spanDetails(trace, s.id)!;
  assert.equal(d.thread, 'probe/0:pmem0');
  assert.equal(d.node, 0);
  assert.deepEqual(d.pfnRange, ['0x6c00200', '0x35ffffff']);
  assert.equal(d.pages, 792722944);
  assert.deepEqual(d.path, ['nd_pmem_probe', 'devm_memremap_pages']);
  assert.deepEqual(
    d.cost.map((c) => c.name),
    ['structPageStorePmem', 'pageInitCpu', 'pageblockInit'],
  );
  assert.equal(d.cost[1].count, 792722944);
  assert.ok(near(d.durationNs / 1e9, 24.17, 1), `${d.durationNs}`);
  assert.ok(near(d.costNs, d.durationNs, 0.1), 'the cost terms make up its time');
  assert.equal(d.step, 1);
  assert.equal(spanDetails(trace, trace.spans.length + 5), undefined);
});

test('level of detail: 10k spans zoomed out draw as about two items per pixel, each span counted once', () => {
  const big = run(manyPageOps(9_900).text);
  const m = buildTimeline(big.run!.trace, 'big');
  assert.ok(m.spans.id.length >= 9_900, `${m.spans.id.length} spans`);
  const rows = indexTimeline(m);
  const width = 1000;
  const items = levelOfDetail(m, rows, 0, m.endNs, width);
  assert.equal(
    items.reduce((n, i) => n + i.count, 0),
    m.spans.id.length,
    'buckets account for every span',
  );
  assert.ok(
    items.length <= rows.length * width * 2,
    `${items.length} items for ${rows.length} rows`,
  );
  assert.ok(items.length < 2000, `${items.length} items drawn for ${m.spans.id.length} spans`);
  const buckets = items.filter((i) => i.count > 1);
  assert.ok(
    buckets.some((b) => b.count > 1000),
    'the page operations collapse into buckets',
  );
  // Zoomed into 2 µs of page operations every span is wider than a pixel: drawn one by one.
  const op = m.spans.id.findIndex(
    (_, i) => m.names[m.spans.name[i]] === 'get_page' && m.spans.depth[i] === 1,
  );
  const t0 = m.spans.start[op];
  const zoomed = levelOfDetail(m, rows, t0, t0 + 2000, width);
  assert.ok(
    zoomed.length > 10 && zoomed.every((i) => i.count === 1),
    `${zoomed.length} items, ${zoomed.filter((i) => i.count > 1).length} buckets`,
  );
  const listed = spansInWindow(rows, t0, t0 + 2000, 50);
  assert.equal(listed.spans.length, 50);
  assert.ok(listed.total >= zoomed.length);
  assert.ok(
    listed.spans.every((s, i, a) => i === 0 || m.spans.start[a[i - 1]] <= m.spans.start[s]),
    'earliest first',
  );
});

test('search: by function, device or thread, earliest first, highlighted rather than filtered', () => {
  const m = buildTimeline(v420.run!.trace, 't');
  const found = searchTimeline(m, 'MEMMAP_INIT_ZONE_DEVICE');
  assert.deepEqual(
    found.spans.map((i) => m.devices[m.spans.device[i]]),
    ['pmem0', 'pmem1'],
  );
  const byDevice = searchTimeline(m, 'pmem1');
  assert.ok(byDevice.spans.every((i) => m.devices[m.spans.device[i]] === 'pmem1'));
  const byThread = searchTimeline(m, 'pgdatinit');
  assert.deepEqual(
    byThread.lanes.map((l) => m.lanes[l].name),
    ['pgdatinit0', 'pgdatinit1'],
  );
  assert.deepEqual(
    byThread.spans.map((i) => `${m.lanes[m.spans.lane[i]].name} ${m.names[m.spans.name[i]]}`),
    ['pgdatinit0 deferred_init_memmap', 'pgdatinit1 deferred_init_memmap'],
    'a thread contributes its outermost spans',
  );
  assert.ok(
    byDevice.spans.every((s, i, a) => i === 0 || m.spans.start[a[i - 1]] <= m.spans.start[s]),
    'earliest first',
  );
  assert.deepEqual(searchTimeline(m, '  '), { spans: [], lanes: [] });
});

test('time axis: ticks in s for a whole run, ms and µs when zoomed in', () => {
  const ticks = timeTicks(0, 43.37e9, 1000);
  assert.deepEqual(
    ticks.slice(0, 3).map((t) => t.label),
    ['0 s', '5 s', '10 s'],
  );
  assert.equal(formatTick(24.2e9, 2e8), '24.2 s');
  assert.equal(formatTick(3.05e6, 5e4), '3.05 ms');
  // An axis that ends before a second counts in milliseconds.
  assert.deepEqual(
    timeTicks(0, 5e7, 500).map((tk) => tk.label),
    ['0 ms', '10 ms', '20 ms', '30 ms', '40 ms', '50 ms'],
  );
  assert.equal(formatDuration(1_700_379_816), '1.70 s');
  assert.equal(formatDuration(0), '0');
});

test('locks: lock_stat rows of the v4.20 run, per class and mode, named as lock_stat names them', () => {
  const m = buildLockModel(v420.run!.trace, 5e9, 't');
  // lockdep_proc.c seq_stats(): `-R` for a read row, `-W` only beside one; a class taken only
  // for writing (the hotplug lock here, a spinlock, a seqlock) is its bare name.
  assert.deepEqual(
    m.rows.map((r) => r.label),
    ['cpu_hotplug_lock-R', 'mem_hotplug_lock', 'pgdat_resize_lock', 'zone_span_seqlock'],
  );
  const r = m.rows.find((x) => x.label === 'mem_hotplug_lock')!;
  assert.equal(r.acquisitions, 4);
  assert.equal(r.contentions, 1);
  assert.ok(near(r.holdMaxNs / 1e9, 1.7, 2), `hold max ${r.holdMaxNs}`);
  assert.ok(near(r.waitMaxNs / 1e9, 1.7, 2), `wait max ${r.waitMaxNs}`);
  assert.equal(r.holdAvgNs, r.holdTotalNs / 4);
  assert.equal(r.waitAvgNs, r.waitTotalNs);
  assert.equal(m.gantts[0].name, 'mem_hotplug_lock', 'the watched lock comes first');
});

test('locks: an rwsem held both ways is -W and -R; a spinlock beside it stays its bare name', () => {
  const rwsem = run(threeTib, { variant: 'hotplug-lock-rwsem' });
  const labels = buildLockModel(rwsem.run!.trace, 5e9, 't').rows.map((r) => r.label);
  assert.ok(
    labels.includes('mem_hotplug_lock-W') && labels.includes('mem_hotplug_lock-R'),
    `${labels}`,
  );
  assert.ok(labels.includes('pgdat_resize_lock'), `${labels}`);
  assert.ok(!labels.some((l) => l.startsWith('pgdat_resize_lock-')), `${labels}`);
});

test('locks: v4.18 holds mem_hotplug_lock past the threshold while node 1 waits', () => {
  const m = buildLockModel(v418.run!.trace, 5e9, 't');
  const hist = m.histograms.find((x) => x.label === 'mem_hotplug_lock')!;
  assert.equal(hist.thresholdNs, 5e9);
  assert.equal(hist.bins.length, 20);
  assert.equal(
    hist.bins.reduce((n, b) => n + b.count, 0),
    4,
  );
  assert.ok(hist.bins[hist.bins.length - 1].count >= 1, 'the longest hold lands in the last bin');
  assert.equal(
    m.histograms.find((x) => x.name === 'cpu_hotplug_lock')!.thresholdNs,
    undefined,
    'the rule watches mem_hotplug_lock only',
  );
  const g = m.gantts.find((x) => x.name === 'mem_hotplug_lock')!;
  assert.deepEqual(g.lanes, ['probe/0:pmem0', 'probe/1:pmem1', 'scenario']);
  const hold0 = g.bars.find((b) => b.lane === 0 && b.kind === 'hold')!;
  const wait1 = g.bars.find((b) => b.lane === 1 && b.kind === 'wait')!;
  assert.equal(hold0.long, true);
  assert.ok(near((hold0.end - hold0.start) / 1e9, 25.9, 2), `${hold0.end - hold0.start}`);
  assert.ok(
    wait1.start <= hold0.start + 1e6 && wait1.end >= hold0.end && wait1.end - hold0.end < 1e6,
    'node 1 waits exactly while node 0 holds',
  );
});

test('compare: v4.18 vs v4.20 per-node init, lock deltas, stacked timelines, aligned dmesg', () => {
  const side = (label: string, a: typeof v420) => ({
    label,
    variant: label,
    summary: a.summary,
    trace: a.run!.trace,
  });
  const c = buildCompare(side('v4.18', v418), side('v4.20', v420), 5e9);
  const init = c.inits.find((r) => r.node === 0 && r.what === 'pmem0 memmap init')!;
  assert.ok(
    near(((init.aNs ?? 0) - (init.bNs ?? 0)) / 1e9, 20, 10),
    `v4.18 − v4.20 = ${init.aNs} − ${init.bNs}`,
  );
  assert.deepEqual(
    c.inits.filter((r) => r.node === 1).map((r) => r.what),
    ['deferred struct page init', 'pmem1 memmap init', 'pmem1 probe'],
  );
  const lock = c.locks.find((l) => l.label === 'mem_hotplug_lock')!;
  assert.ok(lock.a!.holdMaxNs > 10 * lock.b!.holdMaxNs, 'v4.18 holds the lock over the whole init');
  assert.deepEqual([...new Set(c.timeline.lanes.map((l) => l.group))], ['A: v4.18', 'B: v4.20']);
  assert.equal(c.timeline.lanes.length, 12);
  assert.equal(
    c.timeline.spans.id.length,
    v418.run!.trace.spans.length + v420.run!.trace.spans.length,
  );
  assert.equal(c.timeline.endNs, Math.max(v418.run!.trace.endNs, v420.run!.trace.endNs));
  assert.deepEqual(
    c.dmesg.slice(0, 3).map((p) => [p.a?.text, p.b?.text]),
    [
      [
        'node 0 initialised, 99581952 pages in 3730ms',
        'node 0 initialised, 99581952 pages in 3730ms',
      ],
      [
        'node 1 initialised, 100630528 pages in 3770ms',
        'node 1 initialised, 100630528 pages in 3770ms',
      ],
      ['x86/mm: Memory block size: 2048MB', 'x86/mm: Memory block size: 2048MB'],
    ],
  );
  assert.ok(
    c.dmesg.some((p) => !p.a && p.b?.text.startsWith('pfn0.0 initialised')),
    'v4.18 prints no device init line',
  );
});

test('dmesg alignment pairs the same message with different numbers', () => {
  assert.equal(
    messageKey('pfn0.0 initialised, 792722944 pages in 24165ms'),
    messageKey('pfn0.0 initialised, 792722944 pages in 19120ms'),
  );
  const a = [
    { t: 1, text: 'a' },
    { t: 2, text: 'node 0 initialised, 5 pages in 3ms' },
    { t: 3, text: 'only in a' },
  ];
  const b = [
    { t: 1, text: 'a' },
    { t: 2, text: 'node 0 initialised, 5 pages in 1ms' },
    { t: 4, text: 'only in b' },
  ];
  const pairs = alignDmesg(a, b);
  assert.deepEqual(
    pairs.map((p) => [p.a?.text, p.b?.text]),
    [
      ['a', 'a'],
      ['node 0 initialised, 5 pages in 3ms', 'node 0 initialised, 5 pages in 1ms'],
      ['only in a', undefined],
      [undefined, 'only in b'],
    ],
  );
});

test('stacking keeps indices valid: B’s names and devices re-interned', () => {
  const a = buildTimeline(v420.run!.trace, 'a');
  const b = buildTimeline(run(exampleText('cxl-ram-hotplug')).run!.trace, 'b');
  const s = stackTimelines(a, b, ['A', 'B']);
  const i = s.spans.id.length - 1;
  assert.equal(s.names[s.spans.name[i]], b.names[b.spans.name[b.spans.id.length - 1]]);
  assert.equal(s.lanes[s.spans.lane[i]].group, 'B');
  assert.deepEqual(s.spans.category.length, s.spans.name.length);
});

test('"Run to here": a step runs from its first span to the end of the async probe it started', () => {
  const trace = v420.run!.trace;
  const probe = v420.run!.steps.findIndex((s) => s.op === 'probe');
  const [start, end] = stepExtent(trace, probe)!;
  const probeEnds = trace.spans.filter((s) => s.name === 'nd_pmem_probe').map((s) => s.end);
  assert.equal(probeEnds.length, 2);
  assert.equal(end, Math.max(...probeEnds), "the step lasts until both nodes' probes finished");
  const [, bootEnd] = stepExtent(trace, 0)!;
  assert.equal(start, bootEnd, 'the probe step starts where boot ended');
  assert.equal(
    stepExtent(trace, v420.run!.steps.length + 5),
    undefined,
    'a step that never ran has no extent',
  );
});
