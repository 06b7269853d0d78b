import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exampleText, run } from '../../helpers';
import { buildTimeline } from '../../../../src/engine/views/timelineModel';
import { indexTimeline } from '../../../../src/engine/views/timelineLod';
import { summarizeArea } from '../../../../src/engine/views/areaSummary';

// A dragged area of the three-TiB run's timeline, summed per function as Perfetto sums slices.
const m = buildTimeline(
  run(exampleText('three-tib-per-node'), { variant: 'v4.20' }).run!.trace,
  't',
);
const rows = indexTimeline(m);
const lane = (name: string) => m.lanes.findIndex((l) => l.name === name);
const span = (fn: string, device: string) =>
  m.spans.name.findIndex((n, i) => m.names[n] === fn && m.devices[m.spans.device[i]] === device);

test("one probe worker over the whole run: the init's time is all its own, the probe's is its children's", () => {
  const area = summarizeArea(m, rows, new Set([lane('probe/0:pmem0')]), 0, m.endNs);
  const byName = new Map(area.map((r) => [r.name, r]));
  const init = span('memmap_init_zone_device', 'pmem0');
  const initNs = m.spans.end[init] - m.spans.start[init];
  assert.equal(byName.get('memmap_init_zone_device')?.count, 1);
  assert.equal(byName.get('memmap_init_zone_device')?.totalNs, initNs);
  assert.equal(byName.get('memmap_init_zone_device')?.selfNs, initNs, 'a leaf: all self time');
  const probe = byName.get('nd_pmem_probe')!;
  assert.ok(probe.selfNs < probe.totalNs * 0.01, `the probe waits on its calls: ${probe.selfNs}`);
  const self = area.reduce((s, r) => s + r.selfNs, 0);
  assert.equal(self, probe.totalNs, 'self times add up to the outermost span');
  assert.equal(area[0].name, 'memmap_init_zone_device', 'the largest self time first');
});

test('a time range clips the spans; lanes outside the area do not count', () => {
  const init = span('memmap_init_zone_device', 'pmem1');
  const t0 = m.spans.start[init];
  const t1 = t0 + 1e9;
  const area = summarizeArea(m, rows, new Set([lane('probe/1:pmem1')]), t0, t1);
  const r = area.find((x) => x.name === 'memmap_init_zone_device')!;
  assert.equal(r.totalNs, 1e9, 'one second of it inside the area');
  assert.deepEqual(summarizeArea(m, rows, new Set(), 0, m.endNs), []);
});
