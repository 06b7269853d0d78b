import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importLogText } from '../../../../src/engine/trace/import/importLog';
import { recordsWindow } from '../../../../src/engine/views/recordsWindow';
import { ROOT } from '../../helpers';

// Where the timeline of a real kernel log opens (fixtures: test/fixtures/README.md).
const windowOf = (name: string) => {
  const text = readFileSync(join(ROOT, 'test', 'fixtures', 'logs', name), 'utf8');
  return recordsWindow(importLogText(text, { name }).trace);
};

test('a dmesg excerpt 303 s after boot opens on its eight inits and the BUG, not on 0–394 s', () => {
  const [t0, t1] = windowOf('nvdimm-devdax-5.10-rc3.log')!;
  assert.ok(t0 > 299e9 && t0 < 303.407e9, `starts just before the first init: ${t0}`);
  assert.ok(t1 > 368.785e9 && t1 < 373e9, `ends just after the BUG: ${t1}`);
});

test('a boot log whose only span is 30 ms long opens on it', () => {
  const [t0, t1] = windowOf('wsl-deferred-init.log')!;
  assert.ok(t0 <= 1.123627e9 && t1 >= 1.162799e9, `covers the span and its messages: ${t0}..${t1}`);
  assert.ok(t1 - t0 < 0.05e9, `the 30 ms span takes most of the window: ${t1 - t0}`);
});

test('an unstamped WARN pasted before the stamped lines does not stretch the window to 0', () => {
  const [t0, t1] = windowOf('qemu-nvme-cmb-misaligned.txt')!;
  assert.ok(t0 > 8.3e9 && t1 < 8.6e9, `${t0}..${t1}`);
});

test('ftrace events print no dmesg time and still count; a lock_stat has no events', () => {
  const [t0, t1] = windowOf('function-tracer-rpi.txt')!;
  assert.ok(t0 > 230e9 && t1 - t0 < 0.01e9, `${t0}..${t1}`);
  assert.equal(windowOf('lock_stat-vmalloc.txt'), undefined);
});
