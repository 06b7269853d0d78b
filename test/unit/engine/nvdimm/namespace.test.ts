import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutNamespace } from '../../../../src/engine/state/namespace';
import { findArch, resolveGeometry } from '../../../../src/engine/arch/presets';
import { GiB, KiB, MiB, TiB } from '../../../../src/engine/units';

const x86 = resolveGeometry(findArch('x86_64')!, 510, 64);
const base = {
  devName: 'namespace0.0',
  sectionUnit: false,
  compatCheck: true,
  neighbours: [] as [number, number][],
};

test('map=dev: 8 KiB info block + 64 bytes of memmap per page, rounded up to align (DOMAIN §8)', () => {
  const start = 0x6000000000;
  const size = 3 * TiB;
  const r = layoutNamespace(x86, { ...base, start, size, align: 2 * MiB, map: 'dev' });
  assert.ok(r.ok);
  const npfns0 = (size - 8 * KiB) / (4 * KiB);
  const offset = Math.ceil((start + 8 * KiB + 64 * npfns0) / (2 * MiB)) * 2 * MiB - start;
  assert.equal(r.layout.offset, offset);
  assert.equal(r.layout.offset, 48 * GiB + 2 * MiB);
  assert.equal(r.layout.npfns, (size - offset) / (4 * KiB));
  assert.equal(r.layout.npfns, 792722944);
  assert.deepEqual(
    {
      basePfn: r.layout.altmap!.basePfn,
      reserve: r.layout.altmap!.reserve,
      free: r.layout.altmap!.free,
    },
    { basePfn: start / 4096, reserve: 2, free: offset / 4096 - 2 },
  );
  assert.equal(r.layout.rangeEnd - r.layout.rangeStart, size);
});

test('map=mem: only the info block and alignment; no altmap', () => {
  const r = layoutNamespace(x86, {
    ...base,
    start: 0x480000000,
    size: 1 * GiB,
    align: 2 * MiB,
    map: 'mem',
  });
  assert.ok(r.ok);
  assert.equal(r.layout.offset, 2 * MiB);
  assert.equal(r.layout.npfns, (GiB - 2 * MiB) / 4096);
  assert.equal(r.layout.altmap, undefined);
});

test('a size that is not a multiple of align is truncated at the end', () => {
  const r = layoutNamespace(x86, {
    ...base,
    start: 0x480000000,
    size: 1 * GiB + 1 * MiB,
    align: 2 * MiB,
    map: 'mem',
  });
  assert.ok(r.ok);
  assert.equal(r.layout.endTrunc, MiB);
  assert.equal(r.layout.rangeEnd, 0x480000000 + GiB);
  assert.equal(r.layout.collision, 0);
});

test('a start not on the compat alignment is refused in libnvdimm words', () => {
  const r = layoutNamespace(x86, {
    ...base,
    start: 0x480100000,
    size: GiB,
    align: 2 * MiB,
    map: 'mem',
  });
  assert.ok(!r.ok);
  assert.equal(r.code, 'namespace-misaligned');
  assert.equal(r.message, 'namespace0.0: start 0x0000000480100000 misaligned to 0x200000');
  const hash = resolveGeometry(findArch('ppc64-hash')!, 510, 64);
  const r2 = layoutNamespace(hash, {
    ...base,
    start: 0x480200000,
    size: GiB,
    align: 16 * MiB,
    map: 'mem',
  });
  assert.ok(!r2.ok, 'ppc64 hash needs 16 MiB');
  assert.match(r2.message, /misaligned to 0x1000000/);
});

test('an alignment the namespace cannot satisfy', () => {
  const r = layoutNamespace(x86, {
    ...base,
    start: 0x480000000,
    size: 512 * MiB,
    align: GiB,
    map: 'dev',
  });
  assert.ok(!r.ok);
  assert.equal(r.code, 'namespace-align-unsatisfiable');
  assert.equal(r.message, 'namespace0.0 unable to satisfy requested alignment');
});

test('pre-v5.3: sharing a section with a neighbour costs an alignment collision truncation', () => {
  const start = 0x480000000;
  const r = layoutNamespace(x86, {
    ...base,
    sectionUnit: true,
    start,
    size: 192 * MiB,
    align: 2 * MiB,
    map: 'mem',
    neighbours: [[start + 192 * MiB, start + 384 * MiB]],
  });
  assert.ok(r.ok);
  assert.equal(r.layout.collision, 64 * MiB);
  assert.deepEqual(r.messages, [`namespace0.0 alignment collision, truncate ${64 * MiB} bytes`]);
  const after = layoutNamespace(x86, {
    ...base,
    sectionUnit: false,
    start,
    size: 192 * MiB,
    align: 2 * MiB,
    map: 'mem',
    neighbours: [[start + 192 * MiB, start + 384 * MiB]],
  });
  assert.ok(after.ok);
  assert.equal(after.layout.collision, 0);
});

test('a struct page larger than 64 bytes cannot live on pmem', () => {
  const debug = resolveGeometry(findArch('x86_64')!, 510, 80);
  const r = layoutNamespace(debug, {
    ...base,
    start: 0x480000000,
    size: GiB,
    align: 2 * MiB,
    map: 'dev',
  });
  assert.ok(!r.ok);
  assert.equal(r.message, 'Memory debug options prevent using pmem for the page map');
});
