import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../../../../src/engine/parse/parseScenario';
import { hoverAt } from '../../../../src/engine/hover/hover';
import { exampleText, ROOT } from '../../helpers';

/** The hover for the `nth` occurrence of `word` in `text` (cursor one character in). */
function hover(text: string, word: string, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(word, at + 1);
  assert.ok(at >= 0, `no '${word}' in the text`);
  return hoverAt(text, parseScenario(text).scenario, at + 1);
}

const example = exampleText('three-tib-per-node');
const gpu = readFileSync(
  join(ROOT, 'test', 'fixtures', 'workspace', 'misaligned-gpu.memmap.yaml'),
  'utf8',
);

test('a misaligned range: pfns, sections, sub-sections, the alignment verdict and the memmap', () => {
  const h = hover(gpu, '0x1000100000')!;
  assert.deepEqual(h.range, [gpu.indexOf('0x1000100000'), gpu.indexOf('0x1000100000') + 12]);
  assert.match(h.markdown, /`0x1000100000`–`0x10400fffff`\*\* · 1 GiB/);
  assert.match(h.markdown, /pfns `0x1000100`–`0x10400ff` · 262,144 pages of 4 KiB/);
  assert.match(h.markdown, /sections 512–520 \(128 MiB each, 64 sub-sections of 2 MiB\)/);
  assert.match(h.markdown, /start ✗ sub-section \(1 MiB past 0x1000000000\)/);
  assert.match(h.markdown, /check_pfn_span\(\) \*\*refuses\*\* this range/);
  assert.match(
    h.markdown,
    /memmap: 262,144 struct pages × 64 B = 16 MiB → 4,096 vmemmap pages, in node 0 RAM/,
  );
  assert.equal(hover(gpu, '1GiB')!.markdown, h.markdown, 'start and size describe the same range');
});

test('a namespace: placed like ndctl, memmap on the device, data pages', () => {
  const h = hover(example, 'align: 2MiB')!;
  assert.match(h.markdown, /\*\*pmem0\*\* \(pfn0\.0\) — fsdax namespace, map=dev/);
  assert.match(h.markdown, /in pmem0's altmap \(on the device\)/);
  assert.match(h.markdown, /792,722,944 data pages/);
  assert.match(h.markdown, /v4\.20 hot-plugs whole 128 MiB sections/);
});

test('a node size: pages, sections and the boot memmap', () => {
  const h = hover(example, '384GiB')!;
  assert.match(
    h.markdown,
    /\*\*384 GiB\*\* · 100,663,296 pages of 4 KiB · 3,072 sections of 128 MiB/,
  );
  assert.match(
    h.markdown,
    /6 GiB → 1,572,864 vmemmap pages, in node 0 RAM \(boot memmap, memblock\)/,
  );
});

test('a kernel lists its features with the commit of each; an arch its sizes', () => {
  const k = hover(example, 'v4.20', 2)!; // the first two are in the comment
  assert.match(
    k.markdown,
    /\*\*kernel v4\.20\*\* \(v4\.20\) — memmap_init_zone_device\(\) outside the hotplug lock/,
  );
  assert.match(
    k.markdown,
    /\| `zoneDeviceInit` \| `deferred` \| v4\.20 966cf44f637e mm: defer ZONE_DEVICE page initialization/,
  );
  assert.match(k.markdown, /\| `hotplugUnit` \| `section` \| v4\.18 or earlier \|/);
  assert.match(
    hover(example, 'x86_64')!.markdown,
    /4 KiB pages, 128 MiB sections, 2 MiB sub-sections/,
  );
});

test('a diagnostic code: what it means and where in the kernel it comes from', () => {
  const h = hover(example, 'leaked-pgmap-ref')!;
  assert.match(h.markdown, /^\*\*leaked-pgmap-ref\*\* \(error\)/);
  assert.match(h.markdown, /source: mm\/memremap\.c: memunmap_pages\(\)/);
});

test('a relative pfn resolves against the device and asks the run for the page', () => {
  const h = hover(example, '+0x1000')!;
  assert.match(h.markdown, /\*\*pfn `0x6c01200`\*\* \(pmem0's first data page \+ 0x1000\)/);
  assert.deepEqual(h.pfn, { text: 'pmem0+0x1000', afterStep: 2 });
});

test('steps, features and costs explain themselves; plain words do not', () => {
  assert.match(hover(example, 'get_dev_pagemap')!.markdown, /take `count` references/);
  const text = example
    .replace('kernel: v4.20', 'kernel: { preset: v4.20, features: { memmapInit: pageblock } }')
    .replace('cost: default', 'cost: { overrides: { pageInitCpu: 10 } }');
  assert.match(
    hover(text, 'memmapInit')!.markdown,
    /kernel feature `memmapInit`\*\* — `page` \| `pageblock`/,
  );
  assert.match(hover(text, 'pageInitCpu')!.markdown, /default: 14\.53 ns/);
  assert.equal(hover(example, 'Three TiB'), undefined);
});

test('without a parse only context-free words are explained', () => {
  const broken = example.replace('steps:', 'steps: [');
  assert.match(hover(broken, 'x86_64')?.markdown ?? '', /x86_64/);
  assert.equal(hover(broken, '0x1000'), undefined);
});

test('a device name is literal text in the hover: no emphasis, link, HTML or raw control characters', () => {
  const evil = 'p*m_[x](http://evil)<img>\\u001b';
  const text = example.replaceAll('pmem0', `"${evil}"`);
  const h = hover(text, 'align: 2MiB')!;
  const first = h.markdown.split('\n')[0];
  assert.equal(
    first.slice(0, first.indexOf(' (')),
    '**p\\*m\\_\\[x\\](http://evil)\\<img\\>\\\\x1b**',
  );
});

test('in expectations: a duration in ns and what the run measures against it; a lock class, a flag and a zone by their kernel names', () => {
  const text = exampleText('three-tib-per-node');
  const time = hover(text, '30s')!.markdown;
  assert.match(time, /^\*\*30\.00 s\*\* \(30,000,000,000 ns\)/);
  assert.match(
    time,
    /when the time pmem0's struct pages took to initialise \(.*`memmap_init_zone_device`.*\), lock waits excluded, is below it/,
  );
  assert.match(
    hover(text, '5s', 0)!.markdown,
    /longest hold of mem\\_hotplug\\_lock is below it \(\/proc\/lock_stat's holdtime-max\)/,
  );
  assert.match(
    hover(text, 'mem_hotplug_lock, max')!.markdown,
    /a lock class as \/proc\/lock_stat names it/,
  );
  assert.match(hover(text, 'reserved]')!.markdown, /^\*\*PG_reserved\*\*: a page->flags bit/);
  assert.match(
    hover(text, 'Device }')!.markdown,
    /^\*\*ZONE_DEVICE\*\*: page_zone\(page\), as \/proc\/zoneinfo names it: Device/,
  );
});
