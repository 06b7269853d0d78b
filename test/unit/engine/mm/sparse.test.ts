import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, run, scenario } from '../../helpers';
import { inspectPfn } from '../../../../src/engine/run/inspect';
import { pfnToSection } from '../../../../src/engine/mm/sparse';

// One node: 16 GiB RAM at 0, pmem region at 16 GiB (auto-placed, 1 GiB aligned).
const PMEM = 16 * 2 ** 30;
const pfnOf = (bytes: number) => bytes / 4096;

test('a 2 MiB-aligned raw pgmap inside a section sets exactly its sub-section bits (v5.3+)', () => {
  const start = PMEM + 6 * 2 ** 20; // sub-sections 3..4 of the section
  const a = run(
    scenario({
      devices: [`{ name: gpu0, type: generic, ranges: [{ start: ${start}, size: 4MiB }] }`],
      steps: ['boot', 'probe: [gpu0]'],
    }),
  );
  const p = inspectPfn(a.run!, pfnOf(start));
  assert.equal(p.section.subsectionsPopulated, 2);
  assert.equal(p.section.subsection, 3);
  assert.ok(p.section.subsectionActive);
  assert.equal(p.pfnValid, true);
  // The neighbouring sub-section of the same section has no memmap: pfn_valid() says no.
  assert.equal(inspectPfn(a.run!, pfnOf(start) - 512).pfnValid, false);
  assert.equal(p.pfnToOnlinePage, false, 'ZONE_DEVICE memory is never online');
});

test('boot (early) sections are valid across the whole section even where RAM ends mid-section', () => {
  const a = run(scenario({ nodes: ['{ ram: 16100MiB, cpus: 4 }'], steps: ['boot'] }));
  const lastRam = pfnOf(16100 * 2 ** 20) - 1;
  const beyond = lastRam + 100;
  assert.equal(pfnToSection(a.run!.geometry, lastRam), pfnToSection(a.run!.geometry, beyond));
  const p = inspectPfn(a.run!, beyond);
  assert.equal(p.section.early, true);
  assert.equal(p.pfnValid, true, 'early sections: pfn_valid across the section');
  assert.equal(p.section.subsectionActive, false);
});

test('adding the same sub-sections twice is -EEXIST: the second probe fails', () => {
  const a = run(
    scenario({
      devices: [
        `{ name: a, type: generic, ranges: [{ start: ${PMEM}, size: 4MiB }] }`,
        `{ name: b, type: generic, ranges: [{ start: ${PMEM + 2 ** 21}, size: 4MiB }] }`,
      ],
      steps: ['boot', 'probe: [a]', 'probe: [b]'],
    }),
  );
  assert.equal(a.run!.devices[1].state, 'failed');
  assert.ok(codes(a).includes('range-overlap'));
});

test('pre-v5.3 hotplug rounds out to whole sections; a second mapping in the section conflicts', () => {
  const a = run(
    scenario({
      kernel: 'v4.20',
      devices: [
        `{ name: a, type: generic, ranges: [{ start: ${PMEM}, size: 64MiB }] }`,
        `{ name: b, type: generic, ranges: [{ start: ${PMEM + 64 * 2 ** 20}, size: 64MiB }] }`,
      ],
      steps: ['boot', 'probe: [a]', 'probe: [b]'],
    }),
  );
  assert.deepEqual(
    a.run!.devices.map((d) => d.state),
    ['live', 'failed'],
  );
  assert.ok(codes(a).includes('section-conflict'));
  assert.ok(a.summary.dmesg.some((l) => l.includes('Conflicting mapping in same section')));
  assert.equal(
    inspectPfn(a.run!, pfnOf(PMEM + 100 * 2 ** 20)).section.subsectionsPopulated,
    64,
    'the whole section was added',
  );
  const b = run(
    scenario({
      kernel: 'v5.3',
      devices: [
        `{ name: a, type: generic, ranges: [{ start: ${PMEM}, size: 64MiB }] }`,
        `{ name: b, type: generic, ranges: [{ start: ${PMEM + 64 * 2 ** 20}, size: 64MiB }] }`,
      ],
      steps: ['boot', 'probe: [a]', 'probe: [b]'],
    }),
  );
  assert.deepEqual(
    b.run!.devices.map((d) => d.state),
    ['live', 'live'],
  );
  assert.ok(!codes(b).includes('section-conflict'));
});

test('removal clears the bits; the section loses its memmap when the last sub-section goes', () => {
  const start = PMEM + 6 * 2 ** 20;
  const a = run(
    scenario({
      devices: [`{ name: gpu0, type: generic, ranges: [{ start: ${start}, size: 4MiB }] }`],
      steps: ['boot', 'probe: [gpu0]', 'remove: gpu0'],
    }),
  );
  const p = inspectPfn(a.run!, pfnOf(start));
  assert.equal(p.section.valid, false);
  assert.equal(p.memmap, 'no-memmap');
  assert.equal(
    inspectPfn(a.run!, pfnOf(start), 1).memmap,
    'initialised',
    'still there after the probe step',
  );
});

test('a ZONE_DEVICE range that does not start on a section taints the section (v5.17)', () => {
  const start = PMEM + 6 * 2 ** 20;
  const dev = `{ name: gpu0, type: generic, ranges: [{ start: ${start}, size: 4MiB }] }`;
  assert.equal(
    inspectPfn(
      run(scenario({ kernel: 'v5.17', devices: [dev], steps: ['boot', 'probe: [gpu0]'] })).run!,
      pfnOf(start),
    ).section.taintZoneDevice,
    true,
  );
  assert.equal(
    inspectPfn(
      run(scenario({ kernel: 'v5.10', devices: [dev], steps: ['boot', 'probe: [gpu0]'] })).run!,
      pfnOf(start),
    ).section.taintZoneDevice,
    false,
  );
});
