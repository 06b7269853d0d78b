import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exampleText, run } from '../../helpers';
import { buildTimeline } from '../../../../src/engine/views/timelineModel';
import { lockFlows } from '../../../../src/engine/trace/lockFlows';

// v4.18 takes mem_hotplug_lock around the whole device init: pmem1's probe waits for pmem0's.
const threeTib = exampleText('three-tib-per-node');

test("v4.18: pmem1's wait for mem_hotplug_lock ends at pmem0's release", () => {
  const m = buildTimeline(run(threeTib, { variant: 'v4.18' }).run!.trace, 't');
  const flows = lockFlows(m.locks).map(({ from, to }) => {
    const [a, b] = [m.locks[from], m.locks[to]];
    return `${m.lanes[a.lane].name} releases ${a.lock} → ${m.lanes[b.lane].name} (waited ${b.acquired! - b.requested} ns)`;
  });
  assert.equal(flows.length, 1, flows.join('\n'));
  assert.match(
    flows[0],
    /^probe\/0:pmem0 releases mem_hotplug_lock → probe\/1:pmem1 \(waited \d+ ns\)$/,
  );
  const { from, to } = lockFlows(m.locks)[0];
  assert.ok(m.locks[from].released! <= m.locks[to].acquired!);
  assert.ok(m.locks[from].released! >= m.locks[to].requested);
});

test('v4.20 inits outside the lock: the one wait is the hotplug part; uncontended takes have no arrow', () => {
  const m = buildTimeline(run(threeTib, { variant: 'v4.20' }).run!.trace, 't');
  const flows = lockFlows(m.locks);
  assert.equal(flows.length, 1, `of ${m.locks.length} lock events`);
  const w = m.locks[flows[0].to];
  assert.ok(w.acquired! - w.requested < 2e9, 'under 2 s, not the 24 s init');
});
