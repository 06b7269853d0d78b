import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exampleText, run } from '../../helpers';
import {
  buildTimeline,
  stackTimelines,
  type TimelineModel,
} from '../../../../src/engine/views/timelineModel';
import { laneGroups, type LaneItem } from '../../../../src/engine/views/laneGroups';

// How the timeline groups a big machine's threads (the 8-node example: 242 of them).
const threeTib = exampleText('three-tib-per-node');
const eight = buildTimeline(run(exampleText('eight-nodes-3tib')).run!.trace, 'eight');

/** The items as the view lists them: a thread's name, or "label (threads)[ folded]" and its items. */
function outline(m: TimelineModel, items: LaneItem[]): unknown[] {
  return items.map((it) =>
    'lane' in it
      ? m.lanes[it.lane].name
      : {
          [`${it.group.label} (${it.group.lanes})${it.group.folded ? ' folded' : ''}`]:
            it.group.items.length > 4
              ? `${it.group.items.length} items`
              : outline(m, it.group.items),
        },
  );
}

test('eight nodes: the scenario on top, a group per node, its 28 padata helpers folded', () => {
  const o = outline(eight, laneGroups(eight));
  assert.equal(o.length, 9, 'the scenario and eight nodes');
  assert.equal(o[0], 'scenario');
  assert.deepEqual(o[1], {
    'node 0 (31)': [
      'swapper/0',
      'pgdatinit0',
      'probe/0:pmem0',
      { 'padata0/* (28) folded': '28 items' },
    ],
  });
  assert.deepEqual(o[8], {
    'node 7 (30)': ['pgdatinit7', 'probe/7:pmem7', { 'padata7/* (28) folded': '28 items' }],
  });
});

test('two runs stacked (compare): a group per run, nodes inside; keys differ per run', () => {
  const a = buildTimeline(run(threeTib, { variant: 'v4.18' }).run!.trace, 'a');
  const b = buildTimeline(run(threeTib, { variant: 'v4.20' }).run!.trace, 'b');
  const items = laneGroups(stackTimelines(a, b, ['A: v4.18', 'B: v4.20']));
  const o = outline(stackTimelines(a, b, ['A: v4.18', 'B: v4.20']), items);
  assert.deepEqual(o, [
    {
      'A: v4.18 (6)': [
        'scenario',
        { 'node 0 (3)': ['swapper/0', 'pgdatinit0', 'probe/0:pmem0'] },
        { 'node 1 (2)': ['pgdatinit1', 'probe/1:pmem1'] },
      ],
    },
    {
      'B: v4.20 (6)': [
        'scenario',
        { 'node 0 (3)': ['swapper/0', 'pgdatinit0', 'probe/0:pmem0'] },
        { 'node 1 (2)': ['pgdatinit1', 'probe/1:pmem1'] },
      ],
    },
  ]);
  const keys = items.flatMap((it) => ('group' in it ? [it.group.key] : []));
  assert.equal(new Set(keys).size, 2);
});

test('a thread that only took locks is folded away in a "locks only" group', () => {
  const m = buildTimeline(run(threeTib).run!.trace, 't');
  const lockOnly: TimelineModel = {
    ...m,
    lanes: [...m.lanes, { thread: 99, name: 'kworker/3:1', node: 1, depth: 0 }],
    locks: [...m.locks, { ...m.locks[0], lane: m.lanes.length }],
  };
  const node1 = laneGroups(lockOnly).find((it) => 'group' in it && it.group.label === 'node 1') as {
    group: { items: LaneItem[] };
  };
  assert.deepEqual(outline(lockOnly, node1.group.items), [
    'pgdatinit1',
    'probe/1:pmem1',
    { 'locks only (1) folded': ['kworker/3:1'] },
  ]);
});
