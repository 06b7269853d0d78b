import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exampleText } from '../../helpers';
import { EngineRunService } from '../../../e2e/viewHarness/engineRunService';
import { TimelineController } from '../../../../src/extension/panels/timelineController';
import { LocksController } from '../../../../src/extension/panels/locksController';
import { InspectorController } from '../../../../src/extension/panels/inspectorController';
import { CompareController } from '../../../../src/extension/panels/compareController';
import { parseFromWebview, parseSavedState } from '../../../../src/extension/panels/validate';
import { webviewHtml } from '../../../../src/extension/panels/html';
import type { PageModel } from '../../../../src/engine/views/pageModel';

// What each panel posts to its webview and answers it, through the controllers the extension uses,
// over a RunService that runs the engine in-process (as the core's worker does).
const URI = 'file:///work/examples/three-tib-per-node.memmap.yaml';
const runs = () =>
  new EngineRunService(
    new Map([
      [URI, exampleText('three-tib-per-node')],
      ['file:///broken.memmap.yaml', 'name: ['],
    ]),
  );

test('timeline panel: the model of the latest run, focused on a device once, and span details', async () => {
  const r = runs();
  const c = new TimelineController(r, URI, { device: 'pmem1' });
  const first = await c.model();
  assert.equal(first.type, 'timeline');
  if (first.type !== 'timeline') return;
  assert.equal(first.model.title, 'Three TiB of pmem per node — v4.20');
  assert.deepEqual(first.focus, { device: 'pmem1' });
  assert.equal(
    ((await c.model()) as typeof first).focus,
    undefined,
    'a redraw after an edit keeps the user’s view',
  );
  const span =
    first.model.spans.id[
      first.model.spans.name.findIndex((n) => first.model.names[n] === 'memmap_init_zone_device')
    ];
  const reply = await c.answer({ name: 'spanDetails', args: { spanId: span } });
  assert.equal(reply.name, 'spanDetails');
  assert.equal(reply.name === 'spanDetails' && reply.result?.name, 'memmap_init_zone_device');
  await assert.rejects(c.answer({ name: 'memoryMap', args: {} }), /does not answer/);
});

test('a scenario that does not parse gets a status, not a model', async () => {
  const c = new TimelineController(runs(), 'file:///broken.memmap.yaml');
  const m = await c.model();
  assert.equal(m.type, 'status');
  assert.match(m.type === 'status' ? m.message : '', /does not run: line \d+/);
});

test('locks panel: the lock_stat rows and the scenario’s long-hold threshold', async () => {
  const m = await new LocksController(runs(), URI).model();
  assert.equal(m.type, 'locks');
  if (m.type !== 'locks') return;
  assert.equal(m.model.thresholdNs, 5e9, 'options.long-lock-threshold: 5s');
  assert.deepEqual(
    m.model.rows.map((r) => [r.label, r.acquisitions, r.contentions]),
    [
      ['cpu_hotplug_lock-R', 4, 0],
      ['mem_hotplug_lock', 4, 1],
      ['pgdat_resize_lock', 4, 0],
      ['zone_span_seqlock', 2, 0],
    ],
  );
});

test('inspector panel: map and steps with their lines; pages and sections come from the worker’s queries', async () => {
  const c = new InspectorController(runs(), URI, 'pmem0+0x1000');
  const m = await c.model();
  assert.equal(m.type, 'inspector');
  if (m.type !== 'inspector') return;
  assert.equal(m.model.pfnText, 'pmem0+0x1000');
  assert.equal(
    m.model.afterStep,
    1,
    'opened on pmem0, it starts after the probe that made it live',
  );
  assert.deepEqual(await c.inspect('pmem1+0'), { type: 'inspect', text: 'pmem1+0', afterStep: 1 });
  assert.deepEqual(await c.inspect('0x6c01200'), {
    type: 'inspect',
    text: '0x6c01200',
    afterStep: undefined,
  });
  assert.deepEqual(
    m.model.steps.map((s) => [s.index, s.op, s.line]),
    [
      [0, 'boot', 16],
      [1, 'probe', 17],
      [2, 'get_dev_pagemap', 18],
      [3, 'put_dev_pagemap', 19],
      [4, 'remove', 20],
    ],
  );
  const page = await c.answer({
    name: 'inspectPage',
    args: { text: 'pmem0+0x1000', afterStep: 1 },
  });
  const p = page.name === 'inspectPage' ? (page.result as PageModel) : undefined;
  assert.equal(p?.pfn, 0x6c01200);
  assert.equal(p?.page.zone, 'Device');
  const map = await c.answer({ name: 'memoryMap', args: { afterStep: 1 } });
  assert.equal(map.name === 'memoryMap' && map.result.totals.device, 49152);
  const sec = await c.answer({ name: 'sectionDetail', args: { section: 3456, afterStep: 1 } });
  assert.equal(sec.name === 'sectionDetail' && sec.result.kind, 'device');
});

test('compare panel: two variants; its own other-variant run does not redraw it (no run loop)', async () => {
  const r = runs();
  await r.run(URI);
  const c = new CompareController(r, URI, ['v4.18', 'v4.20']);
  const before = r.started;
  let redraws = 0;
  r.onDidRun((s) => {
    if (c.concerns(s)) redraws++;
  });
  const m = await c.model();
  assert.equal(r.started - before, 1, 'v4.20 is the document’s own run; only v4.18 runs');
  assert.equal(redraws, 0);
  assert.equal(m.type, 'compare');
  if (m.type !== 'compare') return;
  assert.deepEqual([m.model.a.variant, m.model.b.variant], ['v4.18', 'v4.20']);
  assert.ok(m.variants.includes('v4.20-pageblock'));
  await r.run(URI);
  assert.equal(redraws, 1, 'an edit (a new own-variant run) redraws it');
  assert.equal(c.handle({ type: 'compareVariants', a: 'v4.20', b: 'no-such-kernel' }), false);
  assert.equal(c.handle({ type: 'compareVariants', a: 'v4.20', b: 'v4.20-pageblock' }), true);
  const again = await c.model();
  assert.equal(again.type === 'compare' && again.model.b.variant, 'v4.20-pageblock');
});

test('messages from a webview are checked field by field', () => {
  assert.deepEqual(parseFromWebview({ type: 'ready', extra: 1 }), { type: 'ready' });
  assert.deepEqual(parseFromWebview({ type: 'revealStep', step: 2 }), {
    type: 'revealStep',
    step: 2,
  });
  assert.deepEqual(
    parseFromWebview({
      type: 'request',
      id: 3,
      request: { name: 'inspectPage', args: { text: '0x1', afterStep: 1, evil: true } },
    }),
    {
      type: 'request',
      id: 3,
      request: { name: 'inspectPage', args: { text: '0x1', afterStep: 1 } },
    },
  );
  assert.deepEqual(
    parseFromWebview({
      type: 'request',
      id: 4,
      request: { name: 'kmemP', args: { text: '6c00200', count: 16 } },
    }),
    {
      type: 'request',
      id: 4,
      request: { name: 'kmemP', args: { text: '6c00200', count: 16, afterStep: undefined } },
    },
  );
  for (const bad of [
    null,
    'ready',
    { type: 'nope' },
    { type: 'revealStep', step: -1 },
    { type: 'revealStep', step: 1.5 },
    { type: 'request', id: 1, request: { name: 'eval', args: {} } },
    { type: 'request', id: 'x', request: { name: 'memoryMap', args: {} } },
    { type: 'openInspector', text: 'x'.repeat(1000) },
    { type: 'request', id: 1, request: { name: 'sectionDetail', args: { section: '1' } } },
    { type: 'request', id: 1, request: { name: 'kmemP', args: { text: '0', count: null } } },
  ]) {
    assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad));
  }
  assert.deepEqual(
    parseSavedState(
      { view: 'compare', uri: URI, variants: ['v4.18', 'v4.20'], window: [0, 1] },
      'compare',
    ),
    { view: 'compare', uri: URI, variants: ['v4.18', 'v4.20'] },
  );
  assert.equal(parseSavedState({ view: 'locks', uri: URI }, 'timeline'), undefined);
});

test('every view’s page: strict CSP, the bundle only with the nonce, no inline script or style', () => {
  const html = webviewHtml({
    view: 'timeline',
    title: '<x>',
    cspSource: 'https://x.vscode-cdn.net',
    scriptUri: 'https://x/t.js',
    styleUris: ['https://x/a.css'],
    nonce: 'abc',
  });
  const csp = /content="(default-src[^"]+)"/.exec(html)![1];
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-abc'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:\/\/\*|\*/);
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.match(html, /<script nonce="abc" src="https:\/\/x\/t.js"><\/script>/);
  assert.doesNotMatch(html, /<style|style="/);
  assert.match(html, /<title>&#60;x&#62;<\/title>/);
});
