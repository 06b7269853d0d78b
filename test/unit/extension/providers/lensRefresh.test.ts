import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { LensRefresh } from '../../../../src/extension/providers/lensRefresh';

/** Lets `ms` of fake time pass in 1 ms steps, so timers set by timers run too. */
function pass(ms: number): void {
  for (let i = 0; i < ms; i++) mock.timers.tick(1);
}

test('lens refresh: fires again while the editor still shows lenses from an older run, then stops', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    let shown = 0;
    const newest = 3;
    let fired = 0;
    // The editor ignores the first two change events (its refresh was cancelled by a focus bounce).
    const r = new LensRefresh(
      (uri) => uri === 'a' && shown !== newest,
      () => {
        if (++fired >= 3) shown = newest;
      },
      [10, 20, 40, 80],
    );
    r.watch('a');
    pass(10);
    assert.equal(fired, 1, 'the first check finds the lenses stale and asks again');
    pass(20);
    pass(40);
    assert.equal(fired, 3, 'asked until the lenses came from the newest run');
    pass(1000);
    assert.equal(fired, 3, 'no more events once the lenses are current');
  } finally {
    mock.timers.reset();
  }
});

test('lens refresh: bounded when the editor never asks, and nothing for a fresh or closed document', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    let fired = 0;
    const r = new LensRefresh(
      (uri) => uri !== 'fresh',
      () => fired++,
      [10, 10, 10],
    );
    r.watch('never');
    pass(1000);
    assert.equal(fired, 3, 'one event per delay, then it gives up');
    r.watch('fresh');
    r.watch('closed');
    r.stop('closed');
    pass(1000);
    assert.equal(fired, 3, 'no event for a document whose lenses are current or that was closed');
    r.watch('never');
    r.dispose();
    pass(1000);
    assert.equal(fired, 3, 'dispose cancels every watch');
  } finally {
    mock.timers.reset();
  }
});
