import type { Ctx, Path } from '../kernel/context';
import { work } from '../kernel/context';
import type { Altmap } from '../nvdimm/namespace';
import type { Pgmap, VmemmapBacking } from '../state/machine';
import { isPowerOfTwo } from '../units';
import type { KernelFeatures } from '../kernel/features';
import type { Geometry } from '../arch/presets';

/**
 * vmemmap_can_optimize(): compound-page tail reuse needs a power-of-two struct page, a pgmap with
 * vmemmap_shift, no altmap — and, from v6.4 (87a7ae75d738), an arch that opts in.
 */
export function vmemmapCanOptimize(x: Ctx, pgmap: Pgmap | undefined, altmap: Altmap | undefined): boolean {
  return !!pgmap && vmemmapOptimisation(x.k.f, x.k.g, pgmap.vmemmapShift, !!altmap) === 'optimised';
}

/** Whether compound pages get tail reuse, or why not (the vmemmap-opt-disabled rule says it). */
export function vmemmapOptimisation(f: KernelFeatures, g: Geometry, vmemmapShift: number, altmap: boolean):
  'optimised' | 'not-compound' | 'kernel' | 'altmap' | 'struct-page-size' | 'arch' {
  if (!f.compoundDevmap || vmemmapShift === 0) return 'not-compound';
  if (f.vmemmapOptimize === 'never') return 'kernel';
  if (altmap) return 'altmap';
  if (!isPowerOfTwo(g.structPageSize)) return 'struct-page-size';
  return f.vmemmapOptimize === 'any-arch' || g.optimizeVmemmap ? 'optimised' : 'arch';
}

/** compound_nr_pages(): struct pages memmap_init_zone_device() writes per compound page. */
export function compoundNrPages(x: Ctx, pgmap: Pgmap, altmap: Altmap | undefined): number {
  const nr = 2 ** pgmap.vmemmapShift;
  return vmemmapCanOptimize(x, pgmap, altmap) ? Math.min(nr, 2 * (x.k.g.pageSize / x.k.g.structPageSize)) : nr;
}

/** Vmemmap pages holding the struct pages of pfns [start, end). */
function vmemmapSpan(x: Ctx, start: number, end: number): [number, number] {
  const { structPageSize: sz, pageSize } = x.k.g;
  return [Math.floor((start * sz) / pageSize), Math.ceil((end * sz) / pageSize)];
}

/**
 * __populate_section_memmap(): maps struct pages for pfns [start, end). Optimised compound pages
 * take one head and one shared tail vmemmap page each; otherwise one vmemmap page per
 * PAGE_SIZE/sizeof(struct page) struct pages, from the altmap when the whole section is mapped
 * (x86 falls back to node RAM, with a NULL altmap, for sub-section sized requests).
 * Returns false (-ENOMEM) when the altmap runs out.
 */
export function* populateSectionMemmap(x: Ctx, spanId: number, nid: number, start: number, end: number,
  altmap: Altmap | undefined, pgmap: Pgmap | undefined): Path<boolean> {
  const { g, state, rec } = x.k;
  const optimise = vmemmapCanOptimize(x, pgmap, altmap);
  const [first, last] = vmemmapSpan(x, start, end);
  let pages = last - first;
  // A vmemmap page shared with an already populated neighbour is not allocated again.
  if (start > 0 && state.vmemmap.get(start - 1) && vmemmapSpan(x, start - 1, start)[0] === first) pages--;
  if (state.vmemmap.get(end) && vmemmapSpan(x, end, end + 1)[0] === last - 1 && last - 1 > first) pages--;
  let backing: VmemmapBacking;
  if (optimise) {
    const perCompound = 2 ** pgmap!.vmemmapShift;
    pages = 2 * Math.ceil((end - start) / perCompound);
    backing = { on: 'dram', node: nid, compoundPages: perCompound };
  } else if (altmap && end - start >= g.pagesPerSection) {
    if (altmap.alloc === 0 && altmap.align === 0) {
      // The first allocation lands on a PMD boundary: the pad is altmap->align.
      const pmdPages = (2 * 1024 * 1024) / g.pageSize;
      const next = altmap.basePfn + altmap.reserve;
      altmap.align = Math.ceil(next / pmdPages) * pmdPages - next;
    }
    if (altmap.align + altmap.alloc + pages > altmap.free) return false;
    altmap.alloc += pages;
    backing = { on: 'altmap', node: nid, device: x.device };
  } else {
    backing = { on: 'dram', node: nid };
  }
  yield* work(x, spanId, [[backing.on === 'altmap' ? 'vmemmapPageAltmap' : 'vmemmapPageDram', pages]]);
  state.vmemmap.change({ step: x.step, t: x.k.sched.now, start, end, by: 'vmemmap_populate', apply: () => backing });
  rec.count('vmemmapPages', pages);
  rec.count(backing.on === 'altmap' ? 'vmemmapBytesAltmap' : 'vmemmapBytesDram', pages * g.pageSize);
  return true;
}

/** depopulate_section_memmap(): frees exactly the removed part; a shared boundary page stays. */
export function* depopulateSectionMemmap(x: Ctx, spanId: number, start: number, end: number, altmap: Altmap | undefined): Path {
  const { state, rec, g } = x.k;
  const backing = state.vmemmap.get(start);
  if (!backing) return;
  const [first, last] = vmemmapSpan(x, start, end);
  let pages = last - first;
  if (start > 0 && state.vmemmap.get(start - 1) && vmemmapSpan(x, start - 1, start)[0] === first) pages--;
  if (state.vmemmap.get(end) && vmemmapSpan(x, end, end + 1)[0] === last - 1 && last - 1 > first) pages--;
  if (backing.compoundPages) pages = 2 * Math.ceil((end - start) / backing.compoundPages);
  if (backing.on === 'altmap' && altmap) altmap.alloc -= pages;
  state.vmemmap.change({ step: x.step, t: x.k.sched.now, start, end, by: 'vmemmap_free', apply: () => undefined });
  yield* work(x, spanId, [['vmemmapPageDram', pages, 0.5]]);
  rec.count('vmemmapPages', -pages);
  rec.count(backing.on === 'altmap' ? 'vmemmapBytesAltmap' : 'vmemmapBytesDram', -pages * g.pageSize);
}
