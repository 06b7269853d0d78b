import type { Ctx, Path } from '../runtime/context';
import { work } from '../runtime/context';
import type { Altmap } from '../state/namespace';
import type { Pgmap, VmemmapBacking } from '../state/machine';
import { isPowerOfTwo } from '../units';
import type { KernelFeatures } from '../kernel/features';
import type { Geometry } from '../arch/presets';

/**
 * vmemmap_can_optimize(): compound-page tail reuse (v5.19, 4917f55b4ef9) needs a power-of-two
 * struct page, a pgmap with vmemmap_shift, no altmap — on every arch until v6.4 (87a7ae75d738),
 * then only on an arch that opts in.
 */
export function vmemmapCanOptimize(
  x: Ctx,
  pgmap: Pgmap | undefined,
  altmap: Altmap | undefined,
): boolean {
  return !!pgmap && vmemmapOptimisation(x.k.f, x.k.g, pgmap.vmemmapShift, !!altmap) === 'optimised';
}

/** Whether compound pages get tail reuse, or why not (the vmemmap-opt-disabled rule says it). */
export function vmemmapOptimisation(
  f: KernelFeatures,
  g: Geometry,
  vmemmapShift: number,
  altmap: boolean,
): 'optimised' | 'not-compound' | 'kernel' | 'altmap' | 'struct-page-size' | 'arch' {
  if (!f.compoundDevmap || vmemmapShift === 0) return 'not-compound';
  if (f.vmemmapOptimize === 'never') return 'kernel';
  if (altmap) return 'altmap';
  if (!isPowerOfTwo(g.structPageSize)) return 'struct-page-size';
  return f.vmemmapOptimize === 'any-arch' || f.archVmemmapOpt ? 'optimised' : 'arch';
}

/**
 * Whether tail reuse saves anything: a compound page whose struct pages fill no more than two
 * vmemmap pages (VMEMMAP_RESERVE_NR) has none to share. v6.6 (c1a6c536fb08) stops optimising
 * those; before it vmemmap_populate_compound_pages() ran for them but, populating only PTEs still
 * empty, mapped the same vmemmap pages a plain populate does (and at most one page past the
 * range, which we do not count).
 */
function tailReuseSaves(x: Ctx, pgmap: Pgmap): boolean {
  return 2 ** pgmap.vmemmapShift * x.k.g.structPageSize > 2 * x.k.g.pageSize;
}

/** compound_nr_pages(): struct pages memmap_init_zone_device() writes per compound page. */
export function compoundNrPages(x: Ctx, pgmap: Pgmap, altmap: Altmap | undefined): number {
  const nr = 2 ** pgmap.vmemmapShift;
  return vmemmapCanOptimize(x, pgmap, altmap)
    ? Math.min(nr, 2 * (x.k.g.pageSize / x.k.g.structPageSize))
    : nr;
}

/** Vmemmap pages holding the struct pages of pfns [start, end). */
function vmemmapSpan(x: Ctx, start: number, end: number): [number, number] {
  const { structPageSize: sz, pageSize } = x.k.g;
  return [Math.floor((start * sz) / pageSize), Math.ceil((end * sz) / pageSize)];
}

/**
 * Whether vmemmap page `idx` also holds struct pages of populated pfns outside [start, end): then
 * it is mapped already (populate) or must stay (depopulate). With 64 KiB pages one vmemmap page
 * holds the struct pages of 1024 pfns, several sections, so the neighbour need not be adjacent.
 */
function sharedVmemmapPage(x: Ctx, idx: number, start: number, end: number): boolean {
  const { structPageSize: sz, pageSize } = x.k.g;
  const lo = Math.floor((idx * pageSize) / sz);
  const hi = Math.ceil(((idx + 1) * pageSize) / sz);
  for (const run of x.k.state.vmemmap.current.overlapping(lo, hi)) {
    if (!run.value.compoundPages && (run.start < start || run.end > end)) return true;
  }
  return false;
}

/** Vmemmap pages for pfns [start, end) that no other populated pfn uses, and which of its edge pages those are. */
function ownVmemmap(x: Ctx, start: number, end: number): { pages: number; edges: number[] } {
  const [first, last] = vmemmapSpan(x, start, end);
  let pages = last - first;
  const edges: number[] = [];
  for (const idx of last - 1 > first ? [first, last - 1] : pages > 0 ? [first] : []) {
    if (sharedVmemmapPage(x, idx, start, end)) pages--;
    else edges.push(idx);
  }
  return { pages, edges };
}

function ownVmemmapPages(x: Ctx, start: number, end: number): number {
  return ownVmemmap(x, start, end).pages;
}

/**
 * Optimised compound vmemmap: one head and one tail vmemmap page per compound page of pfns
 * [start, end), counted from `base`; a compound page already (or still) populated through pfns
 * outside [start, end) is not counted again — vmemmap_populate_compound_pages() reuses its tail.
 */
function ownCompoundPages(
  x: Ctx,
  start: number,
  end: number,
  perCompound: number,
  base: number,
): number {
  const k0 = Math.floor((start - base) / perCompound);
  const k1 = Math.floor((end - 1 - base) / perCompound);
  const populatedElsewhere = (k: number) => {
    const c0 = base + k * perCompound;
    for (const run of x.k.state.vmemmap.current.overlapping(c0, c0 + perCompound)) {
      if (
        run.value.compoundPages === perCompound &&
        run.value.compoundBase === base &&
        (run.start < start || run.end > end)
      )
        return true;
    }
    return false;
  };
  let compounds = k1 - k0 + 1;
  if (populatedElsewhere(k0)) compounds--;
  if (k1 > k0 && populatedElsewhere(k1)) compounds--;
  return 2 * compounds;
}

/** The range start compound pages of `pgmap` count from (memmap_init_zone_device()'s start). */
function compoundBaseOf(
  pgmap: Pgmap,
  pfn: number,
  pagesPerSection: number,
  sectionUnit: boolean,
): number {
  const r =
    pgmap.ranges.find((r) => {
      const s = sectionUnit ? Math.floor(r.start / pagesPerSection) * pagesPerSection : r.start;
      const e = sectionUnit ? Math.ceil(r.end / pagesPerSection) * pagesPerSection : r.end;
      return pfn >= s && pfn < e;
    }) ?? pgmap.ranges[0];
  return sectionUnit ? Math.floor(r.start / pagesPerSection) * pagesPerSection : r.start;
}

/**
 * The altmap pad that aligns its first vmemmap allocation to the allocation's size
 * (altmap_alloc_block_buf(): a PMD block, or nothing for base pages), altmap->align.
 */
function altmapPad(x: Ctx, altmap: Altmap): number {
  if (altmap.alloc !== 0 || altmap.align !== 0) return altmap.align;
  const pmdPages = x.k.g.vmemmapBlock / x.k.g.pageSize;
  const next = altmap.basePfn + altmap.reserve;
  return Math.ceil(next / pmdPages) * pmdPages - next;
}

/** The most whole sections from `start`, up to `sections`, for which `fits(end)` holds (it holds for fewer if for more). */
export function sectionsFitting(
  x: Ctx,
  start: number,
  sections: number,
  fits: (end: number) => boolean,
): number {
  const per = x.k.g.pagesPerSection;
  let lo = 0;
  let hi = sections;
  while (hi > lo) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(start + mid * per)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function altmapFits(x: Ctx, start: number, end: number, altmap: Altmap): boolean {
  return altmapPad(x, altmap) + altmap.alloc + ownVmemmapPages(x, start, end) <= altmap.free;
}

/**
 * Whether populating pfns [start, end) can proceed: always when it does not use the altmap; with
 * it, when the altmap has room — or on ppc64, whose vmemmap_populate() falls back to node RAM.
 */
export function altmapHasRoom(
  x: Ctx,
  start: number,
  end: number,
  altmap: Altmap | undefined,
  pgmap: Pgmap | undefined,
): boolean {
  if (!altmap || vmemmapCanOptimize(x, pgmap, altmap) || end - start < x.k.g.pagesPerSection)
    return true;
  return altmapFits(x, start, end, altmap) || x.k.g.altmapFallback;
}

/**
 * __populate_section_memmap(): maps struct pages for pfns [start, end). Optimised compound pages
 * take one head and one shared tail vmemmap page each; otherwise one vmemmap page per
 * PAGE_SIZE/sizeof(struct page) struct pages, from the altmap when the whole section is mapped
 * (x86 falls back to node RAM, with a NULL altmap, for sub-section sized requests).
 * Returns false (-ENOMEM) when the altmap runs out; on ppc64 the sections it cannot hold take node
 * RAM instead, as vmemmap_populate() does section by section.
 */
export function* populateSectionMemmap(
  x: Ctx,
  spanId: number,
  nid: number,
  start: number,
  end: number,
  altmap: Altmap | undefined,
  pgmap: Pgmap | undefined,
): Path<boolean> {
  const { g, state, rec } = x.k;
  const per = g.pagesPerSection;
  // (An altmap rules out the optimised compound vmemmap, so this is the altmap path.)
  if (altmap && g.altmapFallback && end - start >= per && !altmapFits(x, start, end, altmap)) {
    const fit = sectionsFitting(x, start, Math.floor((end - start) / per), (e) =>
      altmapFits(x, start, e, altmap),
    );
    if (fit > 0)
      yield* populateSectionMemmap(x, spanId, nid, start, start + fit * per, altmap, pgmap);
    return yield* populateSectionMemmap(x, spanId, nid, start + fit * per, end, undefined, pgmap);
  }
  let pages: number;
  let backing: VmemmapBacking;
  if (vmemmapCanOptimize(x, pgmap, altmap) && tailReuseSaves(x, pgmap!)) {
    const perCompound = 2 ** pgmap!.vmemmapShift;
    const compoundBase = compoundBaseOf(
      pgmap!,
      start,
      g.pagesPerSection,
      x.k.f.hotplugUnit === 'section',
    );
    pages = ownCompoundPages(x, start, end, perCompound, compoundBase);
    backing = { on: 'dram', node: nid, compoundPages: perCompound, compoundBase };
  } else if (altmap && end - start >= g.pagesPerSection) {
    if (!altmapFits(x, start, end, altmap)) return false;
    altmap.align = altmapPad(x, altmap);
    const own = ownVmemmap(x, start, end);
    pages = own.pages;
    altmap.alloc += pages;
    for (const idx of own.edges) (altmap.edges ??= new Set()).add(idx);
    backing = { on: 'altmap', node: nid, device: x.device };
  } else {
    pages = ownVmemmapPages(x, start, end);
    backing = { on: 'dram', node: nid };
  }
  yield* work(x, spanId, [
    [backing.on === 'altmap' ? 'vmemmapPageAltmap' : 'vmemmapPageDram', pages],
  ]);
  state.vmemmap.change({
    step: x.step,
    t: x.k.sched.now,
    start,
    end,
    by: 'vmemmap_populate',
    apply: () => backing,
  });
  rec.count('vmemmapPages', pages);
  rec.count(
    backing.on === 'altmap' ? 'vmemmapBytesAltmap' : 'vmemmapBytesDram',
    pages * g.pageSize,
  );
  return true;
}

/** depopulate_section_memmap(): frees exactly the removed part; a shared vmemmap page stays. */
export function* depopulateSectionMemmap(
  x: Ctx,
  spanId: number,
  start: number,
  end: number,
  altmap: Altmap | undefined,
): Path {
  const { state, rec, g } = x.k;
  const backing = state.vmemmap.get(start);
  if (!backing) return;
  let pages: number;
  let fromAltmap = 0;
  if (backing.compoundPages) {
    pages = ownCompoundPages(x, start, end, backing.compoundPages, backing.compoundBase ?? start);
  } else {
    // A page goes back to the altmap it came from: the inner pages of an altmap-backed range did,
    // an edge page did if the altmap handed it out (a neighbour may have mapped it first).
    const own = ownVmemmap(x, start, end);
    pages = own.pages;
    const edgesFromAltmap = own.edges.filter((idx) => altmap?.edges?.delete(idx)).length;
    fromAltmap =
      backing.on === 'altmap' && altmap
        ? pages - own.edges.length + edgesFromAltmap
        : edgesFromAltmap;
  }
  if (altmap) altmap.alloc -= fromAltmap;
  state.vmemmap.change({
    step: x.step,
    t: x.k.sched.now,
    start,
    end,
    by: 'vmemmap_free',
    apply: () => undefined,
  });
  yield* work(x, spanId, [['vmemmapPageDram', pages, 0.5]]);
  rec.count('vmemmapPages', -pages);
  if (fromAltmap) rec.count('vmemmapBytesAltmap', -fromAltmap * g.pageSize);
  if (pages > fromAltmap) rec.count('vmemmapBytesDram', -(pages - fromAltmap) * g.pageSize);
}
