import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareWithLog } from '../../../../src/engine/compare/compareWithLog';
import { toDmesgText } from '../../../../src/engine/trace/exportDmesg';
import { importLogText } from '../../../../src/engine/trace/import/importLog';
import { exampleText, ROOT, run } from '../../helpers';

const tib = exampleText('three-tib-per-node');

test('v4.20 predictions against a v4.20-pageblock "measurement": matched by device name and node, ratios ≈ 19.12/24.17', () => {
  const predicted = run(tib, { variant: 'v4.20' }).run!.trace;
  // The measured side is the pageblock kernel's log, its two device lines swapped to show name matching.
  const lines = toDmesgText(run(tib, { variant: 'v4.20-pageblock' }).run!.trace).split('\n');
  const devices = lines.filter((l) => / pfn\d\.0 initialised/.test(l));
  const measured = importLogText(
    lines
      .map((l) => (l === devices[0] ? devices[1] : l === devices[1] ? devices[0] : l))
      .join('\n'),
  );
  const cmp = compareWithLog(predicted, measured);
  const dev = cmp.rows.filter((r) => r.kind === 'zone-device-init');
  assert.deepEqual(
    dev.map((r) => [r.key, r.real?.fields.device]),
    [
      ['pfn0.0', 'pfn0.0'],
      ['pfn1.0', 'pfn1.0'],
    ],
  );
  for (const r of dev) assert.ok(Math.abs(r.ratio! - 19.12 / 24.17) < 0.02, `${r.key}: ${r.ratio}`);
  const nodes = cmp.rows.filter((r) => r.kind === 'deferred-init');
  assert.deepEqual(
    nodes.map((r) => r.key),
    ['node 0', 'node 1'],
  );
  for (const r of nodes) assert.ok(Math.abs(r.ratio! - 1.06 / 3.75) < 0.03, `${r.key}: ${r.ratio}`);
  assert.equal(cmp.onlyReal, 0);
});

test('a real log without device names is matched in order; what only one side has is listed', () => {
  const log = importLogText(
    readFileSync(join(ROOT, 'examples', 'calibrate-dl380-devdax-2m.log'), 'utf8'),
  );
  const predicted = run(
    readFileSync(join(ROOT, 'examples', 'calibrate-dl380-devdax-2m.memmap.yaml'), 'utf8'),
  ).run!.trace;
  const cmp = compareWithLog(predicted, log);
  const dev = cmp.rows.filter((r) => r.kind === 'zone-device-init');
  assert.deepEqual(
    dev.map((r) => [r.key, r.real?.line, r.measuredNs]),
    [
      ['zone device #1', 1, 34e6],
      ['zone device #2', 2, 34e6],
      ['zone device #3', 3, 24e6],
      ['zone device #4', 4, 24e6],
    ],
  );
  assert.ok(dev.every((r) => r.predictedNs! > 40e6 && r.resolutionNs === 1e6));
  assert.deepEqual(
    cmp.rows.filter((r) => !r.real).map((r) => r.kind),
    ['deferred-init', 'deferred-init', 'memory-block-size'],
  );
});

test('the seed-000 WARN is matched with the variant that reproduces it, and quoted copies count once', () => {
  const log = importLogText(
    readFileSync(
      join(ROOT, 'test', 'fixtures', 'logs', 'seed000-percpu-ref-underflow.txt'),
      'utf8',
    ),
  );
  const buggy = compareWithLog(
    run(tib, { variant: 'v4.20-missing-ref' }).run!.trace,
    log,
  ).rows.filter((r) => r.kind === 'percpu-ref-underflow');
  assert.equal(buggy.length, 1);
  assert.equal(buggy[0].emulated?.fields.release, buggy[0].real?.fields.release);
  const fixed = compareWithLog(run(tib, { variant: 'v4.20' }).run!.trace, log).rows.filter(
    (r) => r.kind === 'percpu-ref-underflow',
  );
  assert.deepEqual(
    fixed.map((r) => [!!r.emulated, !!r.real]),
    [[false, true]],
  );
});

test('a log of several configurations: device inits pair by page count first, and the comparison says why', () => {
  // The real 6.12 kernel's devdax-1g-mem recording (one namespace), and its devdax-3g-1g one before it: two sizes in one paste.
  const rec = (name: string) =>
    readFileSync(
      join(ROOT, 'test', 'fixtures', 'kernels', '6.12.118+deb12-amd64', `${name}.txt`),
      'utf8',
    );
  const inits = (text: string) =>
    text.split('\n').filter((l) => /memmap_init_zone_device initialised \d+ pages/.test(l));
  const pasted = [...inits(rec('devdax-3g-1g')), ...inits(rec('devdax-1g-mem'))];
  const pages = (l: string) => Number(/initialised (\d+) pages/.exec(l)![1]);
  assert.ok(new Set(pasted.map(pages)).size > 1, 'the two recordings initialise different sizes');
  const log = importLogText(pasted.join('\n'));
  const scenario = `name: t\narch: x86_64\nkernel: 6.12\nmachine:\n  nodes:\n    - { ram: 1GiB, cpus: 1 }\n    - { ram: 1GiB, cpus: 1 }\n  pmem:\n    - { node: 1, start: 0x100000000, size: 4GiB }\ndevices:\n  - { name: d, node: 1, mode: devdax, map: mem, size: 1GiB, align: 2MiB }\nsteps:\n  - boot\n  - probe: [d]\n`;
  const cmp = compareWithLog(run(scenario, { dyndbg: true }).run!.trace, log);
  const dev = cmp.rows.filter((r) => r.kind === 'zone-device-init' && r.emulated);
  assert.equal(dev.length, 1);
  assert.equal(
    dev[0].real?.fields.pages,
    dev[0].emulated!.fields.pages,
    'paired with the line of its own size, not the first line',
  );
  assert.equal(
    dev[0].real?.line,
    pasted.findIndex((l) => pages(l) === dev[0].emulated!.fields.pages) + 1,
  );
  assert.match(cmp.notes[0], /devices of 2 sizes .* it may hold several configurations/);
});
