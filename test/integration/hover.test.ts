/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, cleanUp, fixture, hoverText, open, positionOf, settled } from './helpers';

async function hover(doc: vscode.TextDocument, word: string, nth = 0): Promise<string> {
  return hoverText(
    await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      positionOf(doc, word, 1, nth),
    ),
  );
}

suite('Hovers', () => {
  suiteSetup(() => api());
  teardown(cleanUp);

  test('an address: pfns, sections and sub-sections, alignment, the memmap it needs', async () => {
    const doc = await open(fixture('misaligned-gpu.memmap.yaml'));
    const text = await hover(doc, '0x1000100000');
    assert.match(text, /pfns `0x1000100`–`0x10400ff` · 262,144 pages of 4 KiB/);
    assert.match(text, /sections 512–520/);
    assert.match(text, /start ✗ sub-section \(1 MiB past 0x1000000000\)/);
    assert.match(text, /check_pfn_span\(\) \*\*refuses\*\* this range/);
    assert.match(
      text,
      /memmap: 262,144 struct pages × 64 B = 16 MiB → 4,096 vmemmap pages, in node 0 RAM/,
    );
  });

  test('a kernel preset shows its features', async () => {
    const doc = await open(fixture('misaligned-gpu.memmap.yaml'));
    const text = await hover(doc, 'v5.10');
    assert.match(text, /\*\*kernel v5\.10\*\*/);
    assert.match(text, /`hotplugUnit` \| `subsection`/);
  });

  test('a diagnostic code: what it means and the kernel source', async () => {
    const doc = await open(fixture('leaked-ref.memmap.yaml'));
    const text = await hover(doc, 'leaked-pgmap-ref');
    assert.match(
      text,
      /\*\*leaked-pgmap-ref\*\* \(error\) — pgmap references still held at memunmap_pages\(\)/,
    );
    assert.match(text, /source: mm\/memremap\.c/);
  });

  test('a pfn: where it is, and its struct page in the last run', async () => {
    const doc = await open(fixture('leaked-ref.memmap.yaml'));
    await settled(doc);
    const text = await hover(doc, '+0x1000');
    assert.match(text, /pmem0's first data page \+ 0x1000/);
    assert.match(text, /struct page of `0x[0-9a-f]+`\*\* after step 2: memmap initialised/);
    assert.match(text, /zone Device/);
  });

  test("a squiggle gets its rule's meaning", async () => {
    const doc = await open(fixture('misaligned-gpu.memmap.yaml'));
    await settled(doc);
    const text = await hover(doc, 'name: gpu0'); // the key: no hover of its own, but under the squiggle
    assert.match(text, /\*\*misaligned-subsection\*\* \(error\)/);
    assert.match(text, /source: mm\/memory_hotplug\.c: check_pfn_span\(\)/);
  });
});
