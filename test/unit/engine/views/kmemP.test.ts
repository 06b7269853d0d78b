import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exampleText, run, scenario } from '../../helpers';
import { kmemP } from '../../../../src/engine/views/kmemP';
import {
  formatKmemP,
  KMEM_P_MAX_ROWS,
  type KmemPModel,
} from '../../../../src/engine/views/kmemPText';
import { QUERIES } from '../../../../src/engine/views/queries';

// `kmem -p` in the inspector and `memmap-lab inspect --raw`: struct pages of a pfn range as crash
// prints them, from real runs.
const threeTib = run(exampleText('three-tib-per-node')).run!;

function model(answer: ReturnType<typeof kmemP>): KmemPModel {
  if ('error' in answer) throw new Error(answer.error);
  return answer;
}

test("kmem -p after the probe: pmem0's first data pages at vmemmap + pfn × 64, reserved, one ref each", () => {
  const m = model(kmemP(threeTib, '6c00200', 3, 1));
  assert.deepEqual(
    m.rows.map((r) => r.page),
    [0x6c00200n, 0x6c00201n, 0x6c00202n].map((pfn) =>
      (0xffffea0000000000n + pfn * 64n).toString(16),
    ),
    'x86-64 VMEMMAP_START 0xffffea0000000000, sizeof(struct page) 64',
  );
  const first = m.rows[0];
  assert.equal(first.phys, '6c00200000');
  // v4.20's enum pageflags: PG_reserved is bit 12 (PG_error moved below PG_waiters).
  assert.equal(first.flags, '1000');
  assert.deepEqual(first.flagNames, ['reserved']);
  assert.equal(first.refcount, 1);
  assert.equal(first.pgmap, 'pmem0 (fsdax)');
  assert.equal(first.compoundHead, undefined, 'order-0 pages have no compound_head');
});

test('kmem -p reads a bare number as hex, as crash does; 0x, a struct page address and device+offset name the same page', () => {
  const page = (text: string) => model(kmemP(threeTib, text, 1, 1)).rows[0].page;
  const bare = page('6c00200');
  assert.equal(page('0x6c00200'), bare);
  assert.equal(page('ffffea01b0008000'), bare, 'a page pointer, as kmem -p takes one');
  assert.equal(page('pmem0+0'), bare);
});

test('kmem -p refuses what it cannot read, and more than a screenful of rows', () => {
  const error = (text: string, count = 1) => {
    const a = kmemP(threeTib, text, count);
    return 'error' in a ? a.error : undefined;
  };
  assert.match(error('6c00200g')!, /not a pfn: hex/);
  assert.match(error('ffffea01b0008001')!, /not at a struct page/);
  assert.match(error('nvdimm9+0')!, /no device named 'nvdimm9'/);
  assert.match(error('6c00200', KMEM_P_MAX_ROWS + 1)!, /between 1 and 256/);
  assert.match(error('6c00200', 0)!, /between 1 and 256/);
  assert.equal(model(kmemP(threeTib, '6c00200', KMEM_P_MAX_ROWS)).rows.length, KMEM_P_MAX_ROWS);
});

test('kmem -p of a compound devdax namespace on 6.12: PG_head in bit 6, tails point at the head with bit 0 set', () => {
  const r = run(
    scenario({
      kernel: '6.12',
      devices: ['{ name: dax0, node: 0, mode: devdax, map: mem, size: 1GiB, align: 2MiB }'],
      steps: ['boot', 'probe: [dax0]'],
    }),
  ).run!;
  const m = model(kmemP(r, 'dax0+0', 3));
  const [head, tail1, tail2] = m.rows;
  // Lowest bit first, as crash decodes them: PG_head is bit 6, PG_reserved bit 13 since PG_slab left.
  assert.deepEqual(head.flagNames, ['head', 'reserved']);
  assert.equal(head.flags, '2040');
  assert.equal(head.compoundHead, undefined);
  const headAddress = BigInt('0x' + head.page);
  assert.equal(tail1.compoundHead, (headAddress | 1n).toString(16));
  assert.equal(tail2.compoundHead, tail1.compoundHead);
  assert.equal(tail1.flags, '2000', 'a tail is reserved too, not a head');
  assert.equal(tail1.refcount, 0, 'a tail keeps _refcount 0');
  assert.equal(head.pgmap, 'dax0 (generic)', 'MEMORY_DEVICE_GENERIC');
});

test("kmem -p text is crash's column layout: PAGE, PHYSICAL as wide as the highest address, dashes for what is not modelled", () => {
  const text = formatKmemP(model(kmemP(threeTib, '6c00200', 2, 1)));
  const lines = text.split('\n');
  assert.equal(lines[0], '      PAGE          PHYSICAL      MAPPING       INDEX CNT FLAGS');
  assert.equal(lines[1], 'ffffea01b0008000  6c00200000      -------       -----   1 1000 reserved');
  assert.equal(lines[3], '', 'then the fields kmem -p has no column for');
  assert.equal(lines[4].trim(), 'PAGE        compound_head  pgmap');
  assert.equal(lines[5], 'ffffea01b0008000  -              pmem0 (fsdax)');
});

test('kmem -p of pfns without a memmap: the address and nothing the model does not hold', () => {
  const m = model(kmemP(threeTib, '6c00200', 1));
  assert.equal(m.rows[0].memmap, 'no-memmap', 'the namespaces are removed at the end of the run');
  assert.equal(m.rows[0].flags, undefined);
  assert.equal(formatKmemP(m).split('\n')[1], 'ffffea01b0008000  6c00200000');
});

test('the kmemP query checks the step against the run', () => {
  assert.throws(
    () => QUERIES.kmemP(threeTib, { text: '6c00200', count: 1, afterStep: 99 }),
    /step 99 is not one of the run's/,
  );
});
