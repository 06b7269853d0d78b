import type { Ctx, Path } from '../runtime/context';
import { span, work } from '../runtime/context';
import type { Gfp } from '../scenario/model';
import { hex } from '../units';

/** Why alloc_pages cannot hand out the pages, and the step's key to blame. */
type Refusal = { why: string; field: 'pfn' | 'gfp' };

/**
 * alloc_pages() as a scenario places it: `pages` free pages from `pfn` on leave the buddy
 * allocator with one reference each. A GFP_KERNEL page (slab, page tables) is neither on the LRU
 * nor __PageMovable, so nothing can migrate it; a GFP_HIGHUSER_MOVABLE page is a user page on the
 * LRU. gfp_zone() (include/linux/gfp.h): only __GFP_MOVABLE allocations may be served from
 * ZONE_MOVABLE.
 */
export function* allocPages(
  x: Ctx,
  pfn: number,
  pages: number,
  gfp: Gfp,
): Path<Refusal | undefined> {
  const { state } = x.k;
  let free = 0;
  for (const run of state.pages.current.overlapping(pfn, pfn + pages)) {
    const p = run.value;
    const at = hex(run.start);
    if (p.pgmap !== undefined || p.zone === 'Device') {
      return { why: `pfn ${at} is device memory, not in the buddy allocator`, field: 'pfn' };
    }
    if (p.refcount !== 0 || p.flags.length) {
      const flags = p.flags.join('|') || 'none';
      const why = `pfn ${at} is not a free page (refcount ${p.refcount}, flags ${flags})`;
      return { why, field: 'pfn' };
    }
    if (gfp === 'GFP_KERNEL' && p.zone === 'Movable') {
      return {
        why:
          `pfn ${at} is in ZONE_MOVABLE, which never serves GFP_KERNEL ` +
          '(gfp_zone(): only __GFP_MOVABLE allocations use it): ' +
          'online the block with zone: normal to place kernel allocations there',
        field: 'gfp',
      };
    }
    free += run.end - run.start;
  }
  if (free !== pages) {
    const why =
      `pfns ${hex(pfn)}+${pages} are not all online memory ` + '(online the memory block first)';
    return { why, field: 'pfn' };
  }
  const kernel = gfp === 'GFP_KERNEL';
  return yield* span(x, 'alloc_pages', { pfn, pages }, function* (id) {
    yield* work(x, id, [['pageOp', pages]]);
    state.pages.change({
      step: x.step,
      t: x.k.sched.now,
      start: pfn,
      end: pfn + pages,
      by: 'alloc_pages',
      apply: (o) =>
        o && {
          ...o,
          refcount: 1,
          flags: kernel ? [] : ['lru'],
          migratetype: kernel ? 'Unmovable' : 'Movable',
        },
    });
    return undefined;
  });
}
