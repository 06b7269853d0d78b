import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageFlagsWord } from '../../../../src/engine/kernel/pageFlags';
import { kernelFeatures } from '../../../../src/engine/kernel/presets';

// The flags word crash's kmem -p shows, from the bits of enum pageflags in each release.
test('PG_reserved moves with enum pageflags: bit 11 in v4.19, 12 in v4.20, 14 in v6.6, 13 in v6.10', () => {
  const reserved = (release: string) =>
    pageFlagsWord(kernelFeatures(release, 'x86_64')!.pageFlagBits, ['reserved']).word;
  assert.equal(reserved('v4.19'), 1n << 11n);
  assert.equal(reserved('v4.20'), 1n << 12n);
  assert.equal(reserved('6.5'), 1n << 12n);
  assert.equal(reserved('6.6'), 1n << 14n);
  assert.equal(reserved('6.9'), 1n << 14n);
  assert.equal(reserved('6.10'), 1n << 13n);
  assert.equal(reserved('6.18'), 1n << 13n);
});

test('names come lowest bit first, and a page type is no bit of page->flags', () => {
  const w = pageFlagsWord('v6.10', ['offline', 'reserved', 'lru', 'head']);
  assert.deepEqual(w.names, ['lru', 'head', 'reserved']);
  assert.equal(w.word, (1n << 5n) | (1n << 6n) | (1n << 13n));
  assert.deepEqual(w.pageTypes, ['offline']);
});
