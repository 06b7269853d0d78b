import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exampleText, near, run } from '../../helpers';

// DOMAIN §9: the default cost model must land on the published figures. These are outputs of the
// model (per-page/per-pageblock costs are the inputs), so a change to a kernel path shows up here.
const text = exampleText('three-tib-per-node');

function initMs(dmesg: string[], device: string): number {
  const line = dmesg.find((l) => l.includes(`${device} initialised`));
  assert.ok(line, `no init line for ${device} in:\n${dmesg.join('\n')}`);
  return Number(/in (\d+)ms/.exec(line)![1]);
}

test('v4.20: 3 TiB of pmem per node initialises in ≈ 24.17 s', () => {
  const { summary } = run(text, { variant: 'v4.20' });
  for (const dev of ['pfn0.0', 'pfn1.0'])
    assert.ok(
      near(initMs(summary.dmesg, dev) / 1000, 24.17),
      `${dev}: ${initMs(summary.dmesg, dev)} ms`,
    );
});

test('v4.20-pageblock: ≈ 19.12 s per node, and deferred RAM init 3.75 s → 1.06 s', () => {
  const before = run(text, { variant: 'v4.20' }).summary;
  const after = run(text, { variant: 'v4.20-pageblock' }).summary;
  assert.ok(
    near(initMs(after.dmesg, 'pfn0.0') / 1000, 19.12),
    `pageblock init ${initMs(after.dmesg, 'pfn0.0')} ms`,
  );
  const avg = (s: typeof before) =>
    s.nodes.reduce((n, x) => n + x.deferredInitNs, 0) / s.nodes.length / 1e9;
  assert.ok(near(avg(before), 3.75), `deferred init before: ${avg(before)} s`);
  assert.ok(near(avg(after), 1.06), `deferred init after: ${avg(after)} s`);
});

test('v4.18: the second per-page pgmap loop costs ≈ 20 s more per node', () => {
  const old = run(text, { variant: 'v4.18' }).summary.nodes[0].devices[0].initNs;
  const now = run(text, { variant: 'v4.20' }).summary.nodes[0].devices[0].initNs;
  assert.ok(near((old - now) / 1e9, 20, 10), `v4.18 − v4.20 = ${(old - now) / 1e9} s`);
});

test('multi-node totals emerge: v4.18 serialises nodes on mem_hotplug_lock, v4.20 runs them in parallel', () => {
  for (const [variant, serial] of [
    ['v4.18', true],
    ['v4.20', false],
  ] as const) {
    const s = run(text, { variant }).summary;
    const [a, b] = s.nodes.map((n) => n.devices[0]);
    const lock = s.locks.find((l) => l.name === 'mem_hotplug_lock' && l.mode === 'write')!;
    if (serial) {
      // The second node waits for the first node's whole under-lock init.
      assert.ok(b.probeNs - a.probeNs > 0.5 * a.initNs, `probe ${a.probeNs} vs ${b.probeNs}`);
      assert.ok(lock.waitMaxNs > 20e9, `wait max ${lock.waitMaxNs}`);
    } else {
      assert.ok(b.probeNs - a.probeNs < 0.1 * a.initNs, `probe ${a.probeNs} vs ${b.probeNs}`);
      assert.ok(lock.holdMaxNs < 5e9, `hold max ${lock.holdMaxNs}`);
    }
  }
});

test('the same scenario and variant give the same run, byte for byte', () => {
  const a = run(text, { variant: 'v4.18' });
  const b = run(text, { variant: 'v4.18' });
  assert.equal(JSON.stringify(a.run!.trace), JSON.stringify(b.run!.trace));
  assert.equal(JSON.stringify(a.summary), JSON.stringify(b.summary));
});
