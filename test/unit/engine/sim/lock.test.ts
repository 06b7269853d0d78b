import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lock, type LockRequest } from '../../../../src/engine/sim/lock';

let event = 0;
const req = (thread: number, mode: 'read' | 'write', range?: [number, number]): LockRequest => ({
  thread,
  mode,
  range,
  event: event++,
});

test('a mutex grants one holder at a time, in FIFO order', () => {
  const m = new Lock('device_hotplug_lock', 'mutex');
  assert.equal(m.request(req(1, 'read')), true, 'a mutex treats every request as exclusive');
  assert.equal(m.request(req(2, 'write')), false);
  assert.equal(m.request(req(3, 'write')), false);
  assert.deepEqual(
    m.release(1).map((r) => r.thread),
    [2],
  );
  assert.deepEqual(
    m.release(2).map((r) => r.thread),
    [3],
  );
});

test('percpu rw-semaphore: readers share; a waiting writer blocks later readers', () => {
  const l = new Lock('mem_hotplug_lock', 'percpu-rwsem');
  assert.equal(l.request(req(1, 'read')), true);
  assert.equal(l.request(req(2, 'read')), true);
  assert.equal(l.request(req(3, 'write')), false);
  assert.equal(l.request(req(4, 'read')), false, 'percpu_down_write() makes new readers wait');
  assert.deepEqual(l.release(1), []);
  assert.deepEqual(
    l.release(2).map((r) => r.thread),
    [3],
  );
  assert.deepEqual(
    l.release(3).map((r) => r.thread),
    [4],
  );
});

test('range lock: disjoint ranges proceed in parallel, overlapping ones queue', () => {
  const l = new Lock('mem_hotplug_lock', 'range');
  assert.equal(l.request(req(1, 'write', [0, 100])), true);
  assert.equal(l.request(req(2, 'write', [100, 200])), true);
  assert.equal(l.request(req(3, 'write', [50, 150])), false);
  assert.deepEqual(l.release(1), []);
  assert.deepEqual(
    l.release(2).map((r) => r.thread),
    [3],
  );
});

test('releasing a lock one does not hold is an engine bug, loudly', () => {
  assert.throws(() => new Lock('x', 'mutex').release(7), /does not hold it/);
});
