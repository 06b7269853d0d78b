import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse } from '../../../../src/engine/analyse';
import { completionsAt } from '../../../../src/engine/editor/completion';
import { expectationLabel, scenarioLenses } from '../../../../src/engine/editor/lenses';
import { parseScenario } from '../../../../src/engine/parse/parseScenario';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleText, ROOT } from '../../helpers';

const example = exampleText('three-tib-per-node');

test('lenses: run/compare/export on top, two per device, one per step, a verdict per expectation', () => {
  const a = analyse(example);
  const lenses = scenarioLenses(a.scenario, a.expectations);
  const titles = (line: number) => lenses.filter((l) => l.span.line === line).map((l) => l.title);
  assert.deepEqual(titles(1), ['▶ Run', '⇄ Compare variants…', 'Export trace']);
  assert.deepEqual(titles(13), ['Inspect pages', 'Show in timeline']);
  assert.deepEqual(
    lenses.filter((l) => l.action.kind === 'runToStep').map((l) => l.span.line),
    [16, 17, 18, 19, 20],
  );
  assert.deepEqual(titles(22), ['✓ no leaked-pgmap-ref']);
  assert.equal(titles(25).length, 1);
  const measured = a.expectations
    .find((e) => e.span.line === 25)!
    .message.match(/took (\S+ s)/)![1];
  assert.deepEqual(
    titles(25),
    [`✓ time pmem0 init ${measured} < 30 s`],
    "the run's own value beside the bound",
  );
  assert.match(titles(24)[0], /^✓ page pmem0\+0 refcount 1, zone Device, flags \[reserved\]$/);
  assert.match(titles(26)[0], /^✓ lock mem_hotplug_lock hold \d+\.\d+ s < 5 s$/);
});

test('lenses: a failed expectation is short, its full message the hover; no run yet says so; no parse keeps the file lenses', () => {
  const text = example.replace('below: 30s', 'below: 1s');
  const a = analyse(text);
  const failed = scenarioLenses(a.scenario, a.expectations).find((l) => l.span.line === 25)!;
  assert.match(failed.title, /^✗ time pmem0 init 24\.\d+ s ≥ 1 s$/);
  assert.match(failed.tooltip!, /^pmem0 init took 24\.\d+ s, expected below 1\.00 s$/);
  assert.equal(
    scenarioLenses(a.scenario, undefined).find((l) => l.span.line === 25)!.title,
    '○ not run yet',
  );
  assert.equal(scenarioLenses(undefined, undefined).length, 3);
});

test('expectation labels are their own text on one line', () => {
  const s = parseScenario(example).scenario!;
  assert.equal(expectationLabel(example, s.expect[0].span), 'no-diagnostic: leaked-pgmap-ref');
  assert.equal(
    expectationLabel(example, s.expect[2].span),
    'page: { device: pmem0, pfn: +0, after-step: 1, refcount: 1, flags: [reserved], zone: Device }',
  );
  const json = '{ "expect": [ { "diagnostic": "leaked-pgmap-ref" } ] }';
  const start = json.indexOf('{ "diagnostic"');
  const span = {
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    offset: start,
    endOffset: json.indexOf('}', start) + 1,
  };
  assert.equal(expectationLabel(json, span), 'diagnostic: leaked-pgmap-ref');
});

/** Completion labels with the cursor at the `|`. */
function complete(textWithCursor: string): string[] {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.replace('|', '');
  return (
    completionsAt(text, offset, parseScenario(example).scenario)?.items.map((i) => i.label) ?? []
  );
}

test('completion: presets, arches, codes, device names and feature values after their key', () => {
  assert.ok(complete('kernel: v4|').includes('v4.20-pageblock'));
  assert.ok(complete('kernel:\n  preset: |').includes('latest'));
  assert.ok(complete('arch: |').includes('ppc64-hash'));
  assert.ok(complete('expect:\n  - no-diagnostic: leak|').includes('leaked-pgmap-ref'));
  assert.deepEqual(complete('steps:\n  - probe: [pmem0, |'), ['pmem0', 'pmem1']);
  assert.deepEqual(complete('    hotplugLock: |'), ['global', 'rwsem-init-read', 'range']);
  assert.deepEqual(complete('steps:\n  - alloc_pages: { pfn: 0x100000, gfp: |'), [
    'GFP_KERNEL',
    'GFP_HIGHUSER_MOVABLE',
  ]);
  assert.deepEqual(complete('name: |'), []);
});

test('completion: step ops in steps, kinds in expect, feature and cost names in their blocks', () => {
  assert.ok(complete('steps:\n  - boot\n  - get|').includes('get_dev_pagemap'));
  assert.ok(complete('steps:\n- |').includes('remove_memory'));
  assert.deepEqual(complete('expect:\n  - |'), [
    'diagnostic',
    'no-diagnostic',
    'lock',
    'page',
    'time',
  ]);
  assert.ok(complete('kernel:\n  preset: v4.20\n  features:\n    mem|').includes('memmapInit'));
  assert.ok(complete('cost:\n  overrides:\n    |').includes('structPageStorePmem'));
  assert.deepEqual(complete('devices:\n  - |'), []);
});

/** A snippet body as VS Code inserts it when every placeholder keeps its default. */
function expand(body: string[]): string {
  return body
    .join('\n')
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '');
}

test('the new-scenario snippets (YAML and JSON) are scenarios that run cleanly', () => {
  const snippets = (file: string) =>
    JSON.parse(readFileSync(join(ROOT, 'snippets', file), 'utf8')) as Record<
      string,
      { body: string[] }
    >;
  for (const text of [
    expand(snippets('memmap-scenario.json')['New scenario'].body),
    expand(snippets('memmap-scenario-json.json')['New Memmap Lab scenario (JSON)'].body),
  ]) {
    const a = analyse(text);
    assert.ok(a.run, a.diagnostics.map((d) => d.message).join('; '));
    assert.deepEqual(
      a.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
  }
});
