import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse } from '../../../../src/engine/analyse';
import { ARCH_PRESETS } from '../../../../src/engine/arch/presets';
import type { KernelFeatures } from '../../../../src/engine/kernel/features';
import { kernelFeatures } from '../../../../src/engine/kernel/presets';
import { modelledReleases } from '../../../../src/engine/kernel/release';
import { SWITCHES, type SwitchRow } from '../../../../src/engine/kernel/switches';
import { versionName } from '../../../../src/engine/kernel/version';
import { inspectPfn } from '../../../../src/engine/run/inspect';
import { summarize, type RunSummary } from '../../../../src/engine/run/summary';
import { exampleText, freedDevdaxPage, scenario } from '../../helpers';

/**
 * Every row of the switch table, on each side of its boundary: at the row's release, putting the
 * row's features back to what the release before had must change what a user sees in at least one
 * probe scenario (dmesg, diagnostics, counters, locks, device states, times). A row no probe can
 * observe is a row the emulator does not honour; a probe that cannot tell is a probe to add.
 */

/**
 * Probe scenarios, as functions of the kernel and the arch, with the physical addresses whose page
 * state (the inspector's view) is part of what they show. Each runs in milliseconds.
 */
const PROBES: Record<string, { text: (kernel: string, arch: string) => string; pages?: number[] }> =
  {
    // Namespaces: memmap on the device and in RAM, compound devdax, one sharing a section with the
    // next (two 192 MiB namespaces), torn down at the end; one reference put too many on pmem0, and
    // on dax0 more than one per folio but fewer than one per page.
    namespaces: {
      text: (kernel, arch) =>
        scenario({
          kernel,
          arch,
          nodes: ['{ ram: 16GiB, cpus: 4 }'],
          machine: ['pmem:', '    - { node: 0, start: 0x480000000, size: 8GiB }'],
          devices: [
            '{ name: pmem0, node: 0, mode: fsdax, map: dev, size: 1GiB }',
            '{ name: dax0, node: 0, mode: devdax, map: mem, size: 1GiB, align: 2MiB }',
            '{ name: pmem1, node: 0, mode: fsdax, map: mem, size: 192MiB }',
            '{ name: pmem2, node: 0, mode: fsdax, map: mem, size: 192MiB }',
          ],
          steps: [
            'boot',
            'probe: [pmem0, dax0, pmem1, pmem2]',
            'put_dev_pagemap: { device: pmem0, count: 1 }',
            'put_dev_pagemap: { device: dax0, count: 600 }',
            'remove: [pmem2, pmem1, dax0, pmem0]',
          ],
        }),
    },
    // A namespace whose start is not on the compat alignment (1 MiB into the region).
    misaligned: {
      text: (kernel, arch) =>
        scenario({
          kernel,
          arch,
          nodes: ['{ ram: 16GiB, cpus: 4 }'],
          machine: ['pmem:', '    - { node: 0, start: 0x480100000, size: 1GiB }'],
          devices: ['{ name: pmem0, node: 0, mode: fsdax, map: dev, size: 512MiB }'],
          steps: ['boot', 'probe: [pmem0]'],
        }),
    },
    // fs-dax pages mapped into a process and referenced with get_page.
    'fs-dax': {
      text: (kernel, arch) =>
        scenario({
          kernel,
          arch,
          nodes: ['{ ram: 16GiB, cpus: 4 }'],
          machine: ['pmem:', '    - { node: 0, start: 0x480000000, size: 8GiB }'],
          devices: ['{ name: pmem0, node: 0, mode: fsdax, map: dev, size: 1GiB }'],
          steps: [
            'boot',
            'probe: [pmem0]',
            'map: { device: pmem0, pfn: +0, pages: 512 }',
            'get_page: { device: pmem0, pfn: +0 }',
          ],
        }),
      pages: [0x480000000 + 0x4000000, 0x480000000 + 0x4000000 + 0x1000],
    },
    // Device-private and coherent pgmaps, and a generic one that starts inside the last section of
    // boot RAM (RAM ends 64 MiB into a section) and one that is not sub-section aligned.
    pgmaps: {
      text: (kernel, arch) =>
        scenario({
          kernel,
          arch,
          nodes: ['{ cpus: 4 }'],
          machine: ['ram: [{ node: 0, start: 0, size: 0x104000000 }]'],
          devices: [
            '{ name: gpu0, type: private, ranges: [{ start: 0x480000000, size: 1GiB }] }',
            '{ name: gpu1, type: coherent, ranges: [{ start: 0x4c0000000, size: 1GiB }] }',
            '{ name: g0, type: generic, ranges: [{ start: 0x104000000, size: 64MiB }] }',
            '{ name: g1, type: generic, ranges: [{ start: 0x500100000, size: 4MiB }] }',
          ],
          steps: [
            'boot',
            'probe: [gpu0, gpu1, g0, g1]',
            'map: { device: gpu0, pfn: +0, pages: 4 }',
            'get_page: { device: gpu0, pfn: +0 }',
            'put_page: { device: gpu0, pfn: +0 }',
            'unmap: { device: gpu0, pfn: +0, pages: 4 }',
          ],
        }),
      pages: [0x480000000, 0x480000000 + 0x10000, 0x104000000, 0x100000000],
    },
    // RAM hot-add: boot memory ending 1 GiB past 64 GiB; add, online half, try to remove while online.
    ram: {
      text: (kernel, arch) =>
        scenario({
          kernel,
          arch,
          nodes: ['{ ram: 65GiB, cpus: 8 }'],
          steps: [
            'boot',
            'add_memory: { node: 0, start: 0x2000000000, size: 4GiB }',
            'online: { start: 0x2000000000, size: 2GiB, zone: movable }',
            'remove_memory: { start: 0x2000000000, size: 4GiB }',
            'offline: { start: 0x2000000000, size: 2GiB }',
          ],
        }),
      pages: [0x2000000000],
    },
    // memmap_on_memory: a one-block add and a two-block add, onlined.
    'memmap on memory': {
      text: (kernel, arch) =>
        scenario({
          kernel,
          arch,
          nodes: ['{ ram: 16GiB, cpus: 4 }'],
          steps: [
            'boot',
            'add_memory: { node: 0, start: 0x1000000000, size: 128MiB, memmap_on_memory: true }',
            'add_memory: { node: 0, start: 0x1040000000, size: 256MiB, memmap_on_memory: true }',
            'online: { start: 0x1000000000, size: 128MiB }',
            'online: { start: 0x1040000000, size: 256MiB }',
          ],
        }),
    },
    // auto_online_blocks=online_movable: add_memory() onlines what it adds.
    'auto-online': {
      text: (kernel, arch) =>
        scenario({
          kernel,
          arch,
          nodes: ['{ ram: 16GiB, cpus: 4 }'],
          machine: ['auto_online_blocks: online_movable'],
          steps: ['boot', 'add_memory: { node: 0, start: 0x1000000000, size: 256MiB }'],
        }),
    },
    // online_policy=auto-movable: "online" picks ZONE_MOVABLE while it fits 301% of boot memory.
    'auto-movable': {
      text: (kernel, arch) =>
        scenario({
          kernel,
          arch,
          nodes: ['{ ram: 4GiB, cpus: 4 }'],
          machine: ['auto_online_blocks: online', 'online_policy: auto-movable'],
          steps: [
            'boot',
            'add_memory: { node: 0, start: 0x1000000000, size: 8GiB }',
            'add_memory: { node: 0, start: 0x1200000000, size: 8GiB }',
          ],
        }),
      pages: [0x1000000000, 0x1200000000],
    },
    // kmem: a devdax namespace handed to the page allocator, online; taken back while online
    // (refused), then offlined and taken back.
    kmem: {
      text: (kernel, arch) =>
        scenario({
          kernel,
          arch,
          nodes: ['{ ram: 16GiB, cpus: 4 }'],
          machine: ['pmem:', '    - { node: 0, start: 0x480000000, size: 8GiB }'],
          devices: ['{ name: dax0, node: 0, mode: devdax, map: dev, size: 2GiB, align: 2MiB }'],
          steps: [
            'boot',
            'probe: [dax0]',
            'reconfigure: { device: dax0, mode: system-ram }',
            'reconfigure: { device: dax0, mode: devdax }',
            'offline: { start: 0x480000000, size: 2GiB }',
            'reconfigure: { device: dax0, mode: devdax }',
          ],
        }),
    },
    // Offline failures: a kernel allocation in a ZONE_NORMAL block, a pinned user page in a
    // ZONE_MOVABLE one; the second block carries its own memmap where the release has it.
    'offline failure': {
      text: (kernel, arch) =>
        scenario({
          kernel,
          arch,
          nodes: ['{ ram: 16GiB, cpus: 4 }'],
          steps: [
            'boot',
            'add_memory: { node: 0, start: 0x1000000000, size: 2GiB }',
            'online: { start: 0x1000000000, size: 1GiB, zone: normal }',
            'online: { start: 0x1040000000, size: 1GiB, zone: movable }',
            'alloc_pages: { pfn: 0x1000010, gfp: GFP_KERNEL }',
            'alloc_pages: { pfn: 0x1040010, pages: 4, gfp: GFP_HIGHUSER_MOVABLE }',
            'get_page: { pfn: 0x1040011 }',
            'offline: { start: 0x1000000000, size: 1GiB }',
            'offline: { start: 0x1040000000, size: 1GiB }',
          ],
        }),
    },
    // A devdax page put to 0 and taken again: get_page()'s VM_BUG check and its dump_page().
    'freed page': { text: freedDevdaxPage },
    // kmem with the dax device's memmap_on_memory attribute set.
    'kmem memmap': {
      text: (kernel, arch) =>
        scenario({
          kernel,
          arch,
          nodes: ['{ ram: 16GiB, cpus: 4 }'],
          machine: ['pmem:', '    - { node: 0, start: 0x480000000, size: 8GiB }'],
          devices: ['{ name: dax0, node: 0, mode: devdax, map: dev, size: 2GiB, align: 2MiB }'],
          steps: [
            'boot',
            'probe: [dax0]',
            'reconfigure: { device: dax0, mode: system-ram, memmap_on_memory: true }',
          ],
        }),
    },
    'compound devdax': {
      text: (kernel, arch) =>
        exampleText('compound-devdax')
          .replace(/^kernel: .*$/m, `kernel: ${kernel}`)
          .replace(/^arch: .*$/m, `arch: ${arch}`)
          .replace(/expect:[\s\S]*$/, '')
          .replace('align: 16MiB', arch === 'ppc64-hash' ? 'align: 16MiB' : 'align: 2MiB'),
    },
  };

/** What a user sees of a run, but the kernel's name: summary, timeline span names, page states. */
function seen(text: string, features: Partial<KernelFeatures>, pages: number[] = []): string {
  const a = analyse(text, { features });
  if (!a.run) return JSON.stringify(a.diagnostics.map((d) => [d.code, d.message]));
  const summary: Partial<RunSummary> = summarize(a.run, a.diagnostics, a.expectations);
  delete summary.variant;
  const spans = [...new Set(a.run.trace.spans.map((sp) => sp.name))].sort();
  const pageSize = a.run.geometry.pageSize;
  const pfns = pages.map((phys) => Math.floor(phys / pageSize));
  const history = pfns.map((pfn) =>
    a.run!.state.pages.history(pfn).map((h) => [h.by, h.value?.flags]),
  );
  const iomem = a.run.state.resources;
  return JSON.stringify({
    summary,
    spans,
    iomem,
    pages: pfns.map((pfn) => inspectPfn(a.run!, pfn)),
    history,
  });
}

function before(row: SwitchRow): number {
  const releases = modelledReleases();
  return releases[releases.indexOf(row.release) - 1];
}

// Rows at the oldest release modelled (what every arch starts with) have no release before them.
for (const row of SWITCHES.filter((r) => before(r) !== undefined)) {
  const prev = before(row);
  const label = `${versionName(row.release)} ${row.commit ?? '(commit not pinned)'} ${row.subject}`;
  test(`switch ${label}: the release before has the old behaviour, this one the new, and a probe sees it`, () => {
    const keys = Object.keys(row.set) as (keyof KernelFeatures)[];
    for (const arch of row.arches ?? ['x86_64']) {
      const now = kernelFeatures(versionName(row.release), arch)!;
      const then = kernelFeatures(versionName(prev), arch)!;
      // The table: this release has the row's values; the one before does not (in some key).
      for (const k of keys)
        assert.equal(now[k], row.set[k], `${arch}: ${k} at ${versionName(row.release)}`);
      assert.ok(
        keys.some((k) => then[k] !== row.set[k]),
        `${arch}: ${versionName(prev)} already has every value of the row`,
      );
    }
    // The behaviour: undo just this row at its release, and some probe on some arch it applies to
    // must tell. An arch without ZONE_DEVICE at that release cannot show a ZONE_DEVICE row (RAM
    // hotplug rows need none).
    const ramOnly = keys.every((k) => k === 'memmapOnMemory');
    const arches = (row.arches ?? ARCH_PRESETS.map((a) => a.name)).filter(
      (arch) =>
        ramOnly ||
        kernelFeatures(versionName(row.release), arch)!.zoneDevice ||
        keys.includes('zoneDevice'),
    );
    if (arches.length === 0) {
      assert.ok(
        keys.every((k) => k === 'archVmemmapOpt'),
        'only the DAX vmemmap opt-in rows may name arches that have no ZONE_DEVICE yet',
      );
      return;
    }
    const seenBy = arches
      .flatMap((arch) => Object.entries(PROBES).map(([name, probe]) => ({ arch, name, probe })))
      .find(({ arch, probe }) => {
        const then = kernelFeatures(versionName(prev), arch)!;
        const undo = Object.fromEntries(keys.map((k) => [k, then[k]])) as Partial<KernelFeatures>;
        const text = probe.text(versionName(row.release), arch);
        return seen(text, {}, probe.pages) !== seen(text, undo, probe.pages);
      });
    assert.ok(
      seenBy,
      `no probe scenario on ${arches.join(', ')} shows a difference for ${keys.join(', ')}`,
    );
  });
}
