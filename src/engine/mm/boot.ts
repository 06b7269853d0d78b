import type { Ctx, Path } from '../runtime/context';
import { acquire, release, span, work } from '../runtime/context';
import { info } from '../runtime/printk';
import type { ZoneName } from '../state/page';
import { EMPTY_SECTION } from '../state/section';
import { GiB, MiB } from '../units';
import { structPageTerms } from './mmInit';
import { chunkMask, pfnToSection, sectionChunks } from './sparse';

/**
 * arch/x86/mm/init_64.c: probe_memory_block_size() looks at the end of boot memory (max_pfn), not
 * its sum: below 64 GiB one section (128 MiB); above, 2 GiB on bare metal from v5.9
 * (fe124c95df9e), else the largest size up to 2 GiB that the end is aligned to. Other arches use
 * one section. (Scenarios model bare metal: the hypervisor case keeps the alignment rule.)
 */
export function memoryBlockSize(x: Ctx, bootEnd: number): number {
  const { g, f } = x.k;
  if (g.arch !== 'x86_64' || bootEnd < 64 * GiB) return g.sectionSize;
  if (f.x86BlockSize === 'bare-metal-max') return 2 * GiB;
  let bz = 2 * GiB;
  while (bz > g.sectionSize && bootEnd % bz !== 0) bz /= 2;
  return bz;
}

/** Zone boundaries of boot RAM (x86 style): DMA below 16 MiB, DMA32 below 4 GiB, Normal above. */
function zonesOf(
  startPfn: number,
  endPfn: number,
  pageSize: number,
): { zone: ZoneName; start: number; end: number }[] {
  const limits: [ZoneName, number][] = [
    ['DMA', (16 * MiB) / pageSize],
    ['DMA32', (4 * GiB) / pageSize],
    ['Normal', Infinity],
  ];
  const out: { zone: ZoneName; start: number; end: number }[] = [];
  let lo = 0;
  for (const [zone, hi] of limits) {
    const s = Math.max(startPfn, lo);
    const e = Math.min(endPfn, hi);
    if (e > s) out.push({ zone, start: s, end: e });
    lo = hi;
  }
  return out;
}

/**
 * memory_dev_init(): one online block per memory block of boot RAM. A block's zone is the zone of
 * its pages, or none when it spans two (memory0 holds ZONE_DMA and ZONE_DMA32): drivers/base/memory.c
 * early_node_zone_for_memory_block() (395f6081bad4), and valid_zones_show() prints "none" for it.
 */
function addBootBlocks(x: Ctx, nid: number, start: number, end: number): void {
  const { state, g } = x.k;
  const bs = state.memoryBlockSize;
  // One change per zone of the range, not per block; a block two zones reach is left without one.
  for (const z of zonesOf(start / g.pageSize, end / g.pageSize, g.pageSize)) {
    state.memoryBlocks.change({
      step: x.step,
      t: x.k.sched.now,
      start: Math.floor((z.start * g.pageSize) / bs),
      end: Math.ceil((z.end * g.pageSize) / bs),
      by: 'memory_dev_init',
      apply: (old) => ({
        state: 'online',
        zone: old && old.zone !== z.zone ? undefined : z.zone,
        node: nid,
      }),
    });
  }
}

/**
 * Boot: sparse_init() marks boot memory's sections present, early and valid with a memblock
 * memmap; memmap_init() initialises the low zones and the first section of each node's highest
 * zone; the rest is deferred to one pgdatinit thread per node (or padata jobs), which the boot
 * waits for (page_alloc_init_late()).
 */
export function* boot(x: Ctx): Path {
  const { state, g, f } = x.k;
  let bootEnd = 0;
  const deferred: { nid: number; zone: ZoneName; start: number; end: number }[] = [];
  yield* span(x, 'sparse_init', {}, function* (id) {
    let sections = 0;
    for (const node of state.nodes) {
      for (const r of node.ram) {
        bootEnd = Math.max(bootEnd, r.end);
        state.resources.push({ start: r.start, end: r.end, name: 'System RAM', node: node.id });
        const s0 = pfnToSection(g, r.start / g.pageSize);
        const s1 = pfnToSection(g, (r.end - 1) / g.pageSize) + 1;
        sections += s1 - s0;
        for (const [lo, hi] of sectionChunks(g, r.start / g.pageSize, r.end / g.pageSize)) {
          const mask = chunkMask(g, lo, hi);
          const a = pfnToSection(g, lo);
          state.sections.change({
            step: x.step,
            t: x.k.sched.now,
            start: a,
            end: pfnToSection(g, hi - 1) + 1,
            by: 'sparse_init',
            apply: (o = { ...EMPTY_SECTION, nid: node.id }) => ({
              ...o,
              present: true,
              valid: true,
              online: true,
              early: true,
              bootUsage: true,
              subsectionMap: o.subsectionMap | mask,
            }),
          });
        }
        state.vmemmap.change({
          step: x.step,
          t: x.k.sched.now,
          start: s0 * g.pagesPerSection,
          end: s1 * g.pagesPerSection,
          by: 'sparse_init',
          apply: () => ({ on: 'boot', node: node.id }),
        });
      }
    }
    yield* work(x, id, [['bootSectionInit', sections]]);
  });
  state.memoryBlockSize = memoryBlockSize(x, bootEnd);
  yield* span(
    x,
    'memmap_init',
    {},
    function* (id) {
      for (const node of state.nodes) {
        const zones = node.ram.flatMap((r) =>
          zonesOf(r.start / g.pageSize, r.end / g.pageSize, g.pageSize),
        );
        const highest = zones.reduce(
          (h, z) => (zoneRank(z.zone) > zoneRank(h) ? z.zone : h),
          'DMA' as ZoneName,
        );
        let firstOfHighest = true;
        for (const z of zones) {
          state.growZone(node.id, z.zone, z.start, z.end);
          let end = z.end;
          if (f.deferredInit !== 'off' && z.zone === highest && firstOfHighest) {
            // Only the first section of the highest zone is initialised now.
            end = Math.min(z.end, (pfnToSection(g, z.start) + 1) * g.pagesPerSection);
            firstOfHighest = false;
            if (end < z.end) deferred.push({ nid: node.id, zone: z.zone, start: end, end: z.end });
          } else if (f.deferredInit !== 'off' && z.zone === highest) {
            deferred.push({ nid: node.id, zone: z.zone, start: z.start, end: z.end });
            continue;
          }
          yield* initFreePages(x, id, node.id, z.zone, z.start, end, 'memmap_init');
        }
        for (const r of node.ram) addBootBlocks(x, node.id, r.start, r.end);
      }
    },
    'init',
  );
  if (f.deferredInit !== 'off' && deferred.length > 0) {
    const threads = [];
    for (const node of state.nodes) {
      const mine = deferred.filter((d) => d.nid === node.id);
      if (mine.length === 0) continue;
      threads.push(
        yield {
          kind: 'spawn',
          name: `pgdatinit${node.id}`,
          node: node.id,
          body: (t) => deferredInitMemmap({ ...x, t }, node.id, node.cpus, mine),
        },
      );
    }
    yield { kind: 'join', threads: threads as never };
  }
  // memory_dev_init() runs from driver_init(), after page_alloc_init_late() waited for pgdatinit.
  if (g.arch === 'x86_64') info(x, `x86/mm: Memory block size: ${state.memoryBlockSize / MiB}MB`);
}

function zoneRank(z: ZoneName): number {
  return ['DMA', 'DMA32', 'Normal', 'Movable', 'Device'].indexOf(z);
}

/**
 * Initialises pfns [start, end) and frees them to the buddy allocator: page at a time, or a
 * MAX_ORDER block at a time (deferred_init_maxorder(); 3.75 s → 1.06 s for 384 GB in "[mm PATCH v5
 * 0/7] Deferred page init improvements").
 */
function* initFreePages(
  x: Ctx,
  id: number,
  nid: number,
  zone: ZoneName,
  start: number,
  end: number,
  by: string,
): Path {
  const { f, g, state, sched, rec } = x.k;
  if (end <= start) return;
  const t0 = sched.now;
  const maxorder = f.deferredInitLoop === 'maxorder';
  const free: ['freePagePerPage' | 'freeMaxOrderBlock', number] = maxorder
    ? ['freeMaxOrderBlock', Math.ceil((end - start) / g.maxOrderPages)]
    : ['freePagePerPage', end - start];
  yield* work(x, id, [...structPageTerms(x, start, end, 1, maxorder ? 'pageblock' : 'page'), free]);
  const value = {
    initBy: by,
    initStep: x.step,
    initT0: t0,
    initT1: sched.now,
    initFirst: start,
    initLast: end - 1,
    nid,
    zone,
    flags: [] as string[],
    refcount: 0,
    mapcount: 0,
    compoundOrder: 0,
    compoundBase: start,
    migratetype: 'Movable',
  };
  state.pages.change({ step: x.step, t: sched.now, start, end, by, apply: () => value });
  rec.count('structPagesInitialised', end - start);
  rec.count('structPageWrites', end - start);
}

/**
 * deferred_init_memmap(): the pgdatinit thread of a node, alone or with padata helpers. It holds
 * pgdat_resize_lock (IRQs off) across the whole init until v5.8 (3d060856adfc), then only to read
 * first_deferred_pfn.
 */
function* deferredInitMemmap(
  x: Ctx,
  nid: number,
  cpus: number,
  ranges: { zone: ZoneName; start: number; end: number }[],
): Path {
  const { f, locks, sched } = x.k;
  const t0 = sched.now;
  const pages = ranges.reduce((n, r) => n + r.end - r.start, 0);
  yield* span(
    x,
    'deferred_init_memmap',
    { node: nid, pages },
    function* (id) {
      yield* acquire(x, locks.pgdatResizeLock(nid), 'write');
      if (f.deferredInitLock === 'first-pfn') yield* release(x, locks.pgdatResizeLock(nid));
      if (f.deferredInit === 'per-node') {
        for (const r of ranges)
          yield* initFreePages(x, id, nid, r.zone, r.start, r.end, 'deferred_init_memmap');
      } else {
        yield* padataJobs(x, nid, cpus, ranges);
      }
      if (f.deferredInitLock === 'whole-init') yield* release(x, locks.pgdatResizeLock(nid));
    },
    'init',
  );
  const ms = Math.floor((sched.now - t0) / 1e6);
  if (f.deferredInitLog === 'pages')
    info(x, `node ${nid} initialised, ${pages} pages in ${ms}ms`, { node: nid, pages, ms });
  else info(x, `node ${nid} deferred pages initialised in ${ms}ms`, { node: nid, ms });
}

/**
 * padata_do_multithreaded(): section-aligned chunks spread over deferred_page_init_max_threads(),
 * the node's CPUs on x86 and one thread elsewhere, until the generic version took the node's CPUs
 * on every arch (v6.11).
 */
function* padataJobs(
  x: Ctx,
  nid: number,
  cpus: number,
  ranges: { zone: ZoneName; start: number; end: number }[],
): Path {
  const { f, g } = x.k;
  const helpers = [];
  const threads = f.deferredInitThreads === 'every-arch' || g.arch === 'x86_64' ? cpus : 1;
  for (const r of ranges) {
    const sections = Math.ceil((r.end - r.start) / g.pagesPerSection);
    const n = Math.max(1, Math.min(threads, sections));
    const per = Math.ceil(sections / n) * g.pagesPerSection;
    for (let s = r.start, i = 0; s < r.end; s += per, i++) {
      const e = Math.min(r.end, s + per);
      helpers.push(
        yield {
          kind: 'spawn',
          name: `padata${nid}/${i}`,
          node: nid,
          body: (t) =>
            span(
              { ...x, t },
              'deferred_init_memmap_chunk',
              { pfn: s, pages: e - s },
              function* (cid) {
                yield* initFreePages(
                  { ...x, t },
                  cid,
                  nid,
                  r.zone,
                  s,
                  e,
                  'deferred_init_memmap_chunk',
                );
              },
              'init',
            ),
        },
      );
    }
  }
  yield { kind: 'join', threads: helpers as never };
}
