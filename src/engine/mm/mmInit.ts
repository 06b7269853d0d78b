import type { Ctx, Path } from '../runtime/context';
import { span, work } from '../runtime/context';
import type { CostName } from '../cost/profile';
import type { Pgmap } from '../state/machine';
import type { PageState, ZoneName } from '../state/page';
import { KernelOops } from '../sim/scheduler';
import { structPageAddress } from '../arch/presets';
import { bug, info } from '../runtime/printk';
import { compoundNrPages, vmemmapCanOptimize } from './sparseVmemmap';
import { percpuRefGet } from './percpuRef';

/** Pageblock boundaries in [start, end): where set_pageblock_migratetype() runs. */
export function pageblocksIn(pageblockPages: number, start: number, end: number): number {
  return end <= start
    ? 0
    : Math.floor((end - 1) / pageblockPages) - Math.ceil(start / pageblockPages) + 1;
}

/**
 * The cost terms of writing struct pages for pfns [start, end): CPU per page (page- or
 * pageblock-at-a-time loop) plus the store, on DRAM or pmem depending on where the vmemmap lives.
 * `writesPerPage` < 1 when optimised compound pages alias most of their tails.
 */
export function structPageTerms(
  x: Ctx,
  start: number,
  end: number,
  writesPerPage = 1,
  loop: 'page' | 'pageblock' = x.k.f.memmapInit,
): [CostName, number, number?][] {
  const { g, state } = x.k;
  const scale = g.structPageSize / 64;
  let pmem = 0;
  for (const run of state.vmemmap.current.overlapping(start, end))
    if (run.value.on === 'altmap') pmem += run.end - run.start;
  const writes = (end - start) * writesPerPage;
  const pmemWrites = pmem * writesPerPage;
  return [
    [loop === 'pageblock' ? 'pageInitCpuPageblock' : 'pageInitCpu', writes],
    ['structPageStorePmem', pmemWrites, scale],
    ['structPageStoreDram', writes - pmemWrites, scale],
    ['pageblockInit', pageblocksIn(g.pageblockPages, start, end)],
  ];
}

/** Initialises pfns [start, end) to `page`, timing each pfn along the loop that wrote it. */
export function* writePages(
  x: Ctx,
  id: number,
  by: string,
  start: number,
  end: number,
  page: Omit<PageState, 'initBy' | 'initStep' | 'initT0' | 'initT1' | 'initFirst' | 'initLast'>,
  writesPerPage = 1,
): Path {
  const { rec, state, sched } = x.k;
  const t0 = sched.now;
  yield* work(x, id, structPageTerms(x, start, end, writesPerPage));
  const value: PageState = {
    ...page,
    initBy: by,
    initStep: x.step,
    initT0: t0,
    initT1: sched.now,
    initFirst: start,
    initLast: end - 1,
  };
  state.pages.change({ step: x.step, t: sched.now, start, end, by, apply: () => value });
  rec.count('structPagesInitialised', end - start);
  rec.count('structPageWrites', Math.round((end - start) * writesPerPage));
}

/** The hot-plug memmap init function's name in this release. */
export function memmapInitName(x: Ctx): string {
  return x.k.f.memmapInitName;
}

/** memmap_init_range(MEMINIT_HOTPLUG) for hot-added RAM or a ZONE_DEVICE altmap's memmap pages. */
export function* memmapInitRange(
  x: Ctx,
  nid: number,
  zone: ZoneName,
  start: number,
  end: number,
  flag: string,
): Path {
  if (end <= start) return;
  const name = memmapInitName(x);
  yield* span(
    x,
    name,
    { pfn: start, pages: end - start, zone },
    function* (id) {
      yield* writePages(x, id, name, start, end, {
        nid,
        zone,
        flags: [flag],
        refcount: 1,
        mapcount: 0,
        compoundOrder: 0,
        compoundBase: start,
        migratetype: 'Movable',
      });
    },
    'init',
  );
}

/** The idle refcount memmap_init_zone_device() gives a page of this pgmap type. */
export function idleRefcount(x: Ctx, pgmap: Pgmap): number {
  const { f } = x.k;
  if (pgmap.type === 'fsdax' || pgmap.type === 'p2pdma') return f.fsdaxRefcountBase;
  if (pgmap.type === 'generic') return 1;
  return f.deviceRefcountBase;
}

/**
 * memmap_init_zone_device(): every device page once, outside the hotplug lock, starting after the
 * altmap's reserve and memmap; per compound page the head and compound_nr_pages() struct pages.
 */
export function* memmapInitZoneDevice(
  x: Ctx,
  pgmap: Pgmap,
  range: { start: number; end: number },
): Path {
  const { f, g } = x.k;
  const altmap = pgmap.altmap;
  const start =
    altmap && range.start === altmap.basePfn
      ? range.start + altmap.reserve + altmap.free
      : range.start;
  const nr = range.end - start;
  if (nr <= 0) return;
  const perCompound = f.compoundDevmap ? 2 ** pgmap.vmemmapShift : 1;
  const writesPerPage = f.compoundDevmap ? compoundNrPages(x, pgmap, altmap) / perCompound : 1;
  yield* span(
    x,
    'memmap_init_zone_device',
    { pfn: start, pages: nr, compoundOrder: pgmap.vmemmapShift },
    function* (id) {
      const t0 = x.k.sched.now;
      if (vmemmapCanOptimize(x, pgmap, altmap) && !g.vmemmapInInitMm) {
        // ppc64 hash: the compound vmemmap was "populated" in init_mm page tables the MMU never
        // walks, so the first tail struct page write faults (lore: "mm/vmemmap/devdax: Fix kernel crash when probing devdax devices" (2023)).
        const addr = structPageAddress(g, start + 1);
        bug(
          x,
          'vmemmap-opt-unsupported',
          `BUG: Unable to handle kernel data access on write at 0x${addr.toString(16)}`,
          [
            'Faulting instruction address: __init_single_page',
            'Oops: Kernel access of bad area, sig: 11 [#1]',
            'NIP [__init_single_page] LR [memmap_init_zone_device]',
          ],
          { address: `0x${addr.toString(16)}` },
        );
        throw new KernelOops('memmap_init_zone_device: unhandled vmemmap fault');
      }
      yield* writePages(
        x,
        id,
        'memmap_init_zone_device',
        start,
        range.end,
        {
          nid: pgmap.node,
          zone: 'Device',
          flags: f.devicePagesReserved ? ['reserved'] : [],
          refcount: idleRefcount(x, pgmap),
          mapcount: 0,
          pgmap: pgmap.id,
          compoundOrder: f.compoundDevmap ? pgmap.vmemmapShift : 0,
          compoundBase: start,
          migratetype: 'Movable',
        },
        writesPerPage,
      );
      const ms = Math.floor((x.k.sched.now - t0) / 1e6);
      logDeviceInit(x, nr, ms);
    },
    'init',
  );
}

function logDeviceInit(x: Ctx, pages: number, ms: number): void {
  const fields = { pages, ms };
  switch (x.k.f.deviceInitLog) {
    case 'none':
      return;
    case 'device-name':
      return info(x, `${x.devName ?? x.device} initialised, ${pages} pages in ${ms}ms`, fields);
    case 'function':
      return info(x, `memmap_init_zone_device initialised ${pages} pages in ${ms}ms`, fields);
    case 'debug':
      return info(
        x,
        `memmap_init_zone_device initialised ${pages} pages in ${ms}ms`,
        fields,
        'debug',
      );
  }
}

/**
 * v4.18's second pass in devm_memremap_pages(): for_each_device_pfn() sets page->pgmap (and
 * hmm_data) and takes a percpu_ref per page — the ~20 s per 3 TiB node of the "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap" (2018) thread. It walks
 * pfn_first()..pfn_end() of the driver's range, not the section padding around it.
 */
export function* forEachDevicePfn(x: Ctx, pgmap: Pgmap, start: number, end: number): Path {
  if (end <= start) return;
  yield* span(
    x,
    'for_each_device_pfn',
    { pfn: start, pages: end - start },
    function* (id) {
      yield* work(x, id, [['pgmapLoopPerPage', end - start]]);
      x.k.state.pages.change({
        step: x.step,
        t: x.k.sched.now,
        start,
        end,
        by: 'devm_memremap_pages',
        apply: (old) => old && { ...old, pgmap: pgmap.id },
      });
      yield* percpuRefGet(x, pgmap, end - start);
    },
    'init',
  );
}
