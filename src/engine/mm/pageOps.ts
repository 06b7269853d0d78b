import type { Ctx, Path } from '../runtime/context';
import { span, work } from '../runtime/context';
import { bug } from '../runtime/printk';
import type { DeviceRuntime } from '../runtime/device';
import type { Pgmap } from '../state/machine';
import type { PageState } from '../state/page';
import { KernelOops } from '../sim/scheduler';
import { structPageAddress } from '../arch/presets';
import { hex } from '../units';
import { percpuRefGet, percpuRefPut } from './percpuRef';
import { idleRefcount } from './mmInit';

/** The folio around a pfn: [head, head + nr). */
export function folioOf(p: PageState, pfn: number): [number, number] {
  const nr = 2 ** p.compoundOrder;
  const head = p.compoundBase + Math.floor((pfn - p.compoundBase) / nr) * nr;
  return [head, head + nr];
}

/**
 * Whether a struct page belongs to the same folio as `p`: a compound page that runs past its
 * pgmap's range must not touch the struct pages of whatever lies beyond.
 */
function sameFolio(o: PageState, p: PageState): boolean {
  return (
    o.compoundOrder === p.compoundOrder && o.compoundBase === p.compoundBase && o.pgmap === p.pgmap
  );
}

/**
 * dump_page() (mm/debug.c: __dump_page(), from v6.9 __dump_folio()) up to its reason: the first
 * line in the release's words (features.ts: dumpPageHeader), then the %pGp flag names. What it
 * cannot say: the flags word in hex before the names and the "raw:" lines (the struct page's
 * words, list pointers and mapping, are not modelled), the compound "head:" line, and the hashed
 * value %p prints from v5.9 (a per-boot key): the address itself is shown, as no_hash_pointers would.
 */
function pageLines(x: Ctx, pfn: number, p: PageState | undefined): string[] {
  const at = structPageAddress(x.k.g, pfn).toString(16);
  // A struct page the model holds no state for was never initialised or was poisoned by
  // page_init_poison() (offline): PagePoisoned(), and __dump_page() says only that. What the
  // caller does with a poisoned page first (compound_head() of all-ones) is not modelled.
  if (!p) return [`page:${at} is uninitialized and poisoned`];
  const refs = `${p.refcount} mapcount:${p.mapcount} mapping:0000000000000000 index:0x0`;
  const first = {
    count: `page:${at} count:${refs}`,
    refcount: `page:${at} refcount:${refs}`,
    pfn: `page:${at} refcount:${refs} pfn:${hex(pfn)}`,
    folio: `page: refcount:${refs} pfn:${hex(pfn)}`,
  }[x.k.f.dumpPageHeader];
  return [first, `flags: (${p.flags.join('|')})`];
}

/** dump_page(page, because): the struct page and the caller's reason. */
export function dumpPage(x: Ctx, pfn: number, p: PageState | undefined, because: string): string[] {
  return [...pageLines(x, pfn, p), `page dumped because: ${because}`];
}

/**
 * VM_BUG_ON_PAGE/VM_BUG_ON_FOLIO (include/linux/mmdebug.h, CONFIG_DEBUG_VM kernels: without it
 * there is no check): dump_page() of the head page, get_page() and put_page() having taken
 * compound_head() (page_folio() from v5.16), then BUG() in include/linux/mm.h.
 */
function vmBug(
  x: Ctx,
  pfn: number,
  p: PageState | undefined,
  because: string,
  what: string,
): never {
  const head = p ? folioOf(p, pfn)[0] : pfn;
  const hp = x.k.state.pages.get(head);
  bug(
    x,
    'zero-refcount-get-page',
    `page dumped because: ${because}`,
    ['kernel BUG at include/linux/mm.h!', 'invalid opcode: 0000 [#1] PREEMPT SMP'],
    { pfn: hex(pfn) },
    pageLines(x, head, hp),
  );
  throw new KernelOops(what);
}

/** get_page()'s check on a page at refcount 0, in the release's words (features.ts: getPageCheck). */
const GET_PAGE_CHECK = {
  'ref-count': 'VM_BUG_ON_PAGE(page_ref_count(page) <= 0)',
  overflow: 'VM_BUG_ON_PAGE(page_ref_zero_or_close_to_overflow(page))',
  folio: 'VM_BUG_ON_FOLIO(folio_ref_zero_or_close_to_overflow(folio))',
} as const;

/** get_page(): a page (folio) at refcount 0 hits the VM_BUG check (lore: "mm: remove extra ZONE_DEVICE struct page refcount" (RFC v3, 2020)). */
export function* getPage(x: Ctx, pfn: number, count: number): Path {
  yield* span(
    x,
    'get_page',
    { pfn, pages: count },
    function* (id) {
      const p = x.k.state.pages.get(pfn);
      if (!p || p.refcount <= 0)
        vmBug(x, pfn, p, GET_PAGE_CHECK[x.k.f.getPageCheck], 'get_page on a page with refcount 0');
      yield* work(x, id, [['pageOp', count]]);
      const [s, e] = folioOf(p, pfn);
      x.k.state.pages.change({
        step: x.step,
        t: x.k.sched.now,
        start: s,
        end: e,
        by: 'get_page',
        apply: (o) => (o && sameFolio(o, p) ? { ...o, refcount: o.refcount + count } : o),
      });
    },
    'ref',
  );
}

/**
 * put_page(): 1 → 0 on a ZONE_DEVICE page frees it back to its driver and drops the pgmap
 * reference the page held; below zero is a VM_BUG_ON_PAGE. Not modelled: the fs-dax (and until
 * v5.19 device-private) pages that put_devmap_managed_page() takes aside, where the kernel
 * decrements without that check.
 */
export function* putPage(x: Ctx, pfn: number, count: number): Path {
  yield* span(
    x,
    'put_page',
    { pfn, pages: count },
    function* (id) {
      const p = x.k.state.pages.get(pfn);
      // put_page_testzero(), on the head page in every release (folio_put_testzero() passes &folio->page).
      if (!p || p.refcount - count < 0)
        vmBug(
          x,
          pfn,
          p,
          'VM_BUG_ON_PAGE(page_ref_count(page) == 0)',
          'put_page on a page with refcount 0',
        );
      yield* work(x, id, [['pageOp', count]]);
      const [s, e] = folioOf(p, pfn);
      x.k.state.pages.change({
        step: x.step,
        t: x.k.sched.now,
        start: s,
        end: e,
        by: 'put_page',
        apply: (o) => (o && sameFolio(o, p) ? { ...o, refcount: o.refcount - count } : o),
      });
      const pgmap = x.k.state.pgmapById(p.pgmap);
      if (!pgmap || p.refcount - count !== 0) return;
      const { f } = x.k;
      if (
        f.teardownPut === 'put-many' &&
        !(f.refPerAllocationTypes && (pgmap.type === 'private' || pgmap.type === 'coherent'))
      ) {
        // v5.18+: free_zone_device_page() hands the page back to its driver at its idle count; only
        // PRIVATE/COHERENT pages, which took a pgmap reference per allocation (v6.1), drop it.
        const idle = idleRefcount(x, pgmap);
        x.k.state.pages.change({
          step: x.step,
          t: x.k.sched.now,
          start: s,
          end: e,
          by: 'free_zone_device_page',
          apply: (o) => (o && sameFolio(o, p) ? { ...o, refcount: idle } : o),
        });
        return;
      }
      yield* percpuRefPut(x, pgmap, 1);
    },
    'ref',
  );
}

/**
 * Adds `delta` per pfn of [start, end) to the counts of the folios those pfns belong to: a folio's
 * counts live in its head, so every pfn of a compound page carries the folio's value.
 */
function addToFolios(x: Ctx, start: number, end: number, delta: number, by: string): void {
  const { state } = x.k;
  const updates: [number, number, number, PageState][] = [];
  for (const run of state.pages.current.overlapping(start, end)) {
    const nr = 2 ** run.value.compoundOrder;
    if (nr === 1) {
      updates.push([run.start, run.end, delta, run.value]);
      continue;
    }
    for (let pfn = run.start; pfn < run.end;) {
      const [fs, fe] = folioOf(run.value, pfn);
      if (pfn === fs && fe <= run.end) {
        // Whole folios: each gets nr pfns' worth.
        const wholeEnd = fs + Math.floor((run.end - fs) / nr) * nr;
        updates.push([fs, wholeEnd, delta * nr, run.value]);
        pfn = wholeEnd;
      } else {
        const upto = Math.min(fe, run.end);
        updates.push([fs, fe, delta * (upto - pfn), run.value]);
        pfn = upto;
      }
    }
  }
  for (const [s, e, d, p] of updates) {
    state.pages.change({
      step: x.step,
      t: x.k.sched.now,
      start: s,
      end: e,
      by,
      apply: (o) =>
        o && sameFolio(o, p) ? { ...o, refcount: o.refcount + d, mapcount: o.mapcount + d } : o,
    });
  }
}

/**
 * A fault that maps device pages (fs-dax/device-dax insert_pfn, or a device-private migration).
 * Older kernels take a pgmap reference per pfn and leave the page count alone (lore: "mm: remove extra ZONE_DEVICE struct page refcount" (RFC v3, 2020));
 * refcounted fs-dax folios (~v6.15) take a page reference and a mapcount instead.
 */
export function* mapPages(
  x: Ctx,
  dev: DeviceRuntime,
  pgmap: Pgmap,
  start: number,
  pages: number,
  unmap: boolean,
): Path {
  const sign = unmap ? -1 : 1;
  yield* span(
    x,
    unmap ? 'zap_pte_range' : 'insert_pfn',
    { pfn: start, pages },
    function* (id) {
      yield* work(x, id, [['pageOp', pages]]);
      const { f } = x.k;
      const pageRefs =
        pgmap.type === 'private' || pgmap.type === 'coherent'
          ? f.deviceRefcountBase === 0
          : f.fsdaxMapRef === 'page';
      if (pageRefs) {
        addToFolios(x, start, start + pages, sign, unmap ? 'zap_pte_range' : 'insert_pfn');
        if (pgmap.type === 'private' || pgmap.type === 'coherent') {
          // zone_device_page_init() takes a pgmap ref; freeing the page at 0 drops it.
          yield* unmap ? percpuRefPut(x, pgmap, pages) : percpuRefGet(x, pgmap, pages);
          trackRefs(x, dev, sign * pages, unmap ? 'zap_pte_range' : 'zone_device_page_init');
        }
        return;
      }
      yield* unmap ? percpuRefPut(x, pgmap, pages) : percpuRefGet(x, pgmap, pages);
      trackRefs(x, dev, sign * pages, unmap ? 'zap_pte_range' : 'insert_pfn');
    },
    'ref',
  );
}

/** get_dev_pagemap(): percpu_ref_tryget_live() fails once the pgmap is being torn down. */
export function* getDevPagemap(
  x: Ctx,
  dev: DeviceRuntime,
  pgmap: Pgmap,
  count: number,
): Path<boolean> {
  return yield* span(
    x,
    'get_dev_pagemap',
    { refs: count },
    function* (id) {
      yield* work(x, id, [['refOp', count]]);
      if (pgmap.ref.killed || !pgmap.live) return false;
      yield* percpuRefGet(x, pgmap, count);
      trackRefs(x, dev, count, 'get_dev_pagemap');
      return true;
    },
    'ref',
  );
}

export function* putDevPagemap(x: Ctx, dev: DeviceRuntime, pgmap: Pgmap, count: number): Path {
  yield* span(
    x,
    'put_dev_pagemap',
    { refs: count },
    function* (id) {
      yield* work(x, id, [['refOp', count]]);
      yield* percpuRefPut(x, pgmap, count);
      trackRefs(x, dev, -count, 'put_dev_pagemap');
    },
    'ref',
  );
}

/** Who holds the device's pgmap references, by step, for the leaked-ref diagnostic. */
function trackRefs(x: Ctx, dev: DeviceRuntime, delta: number, by: string): void {
  if (delta > 0) {
    dev.heldRefs.push({ step: x.step, count: delta, by });
    return;
  }
  let left = -delta;
  while (left > 0 && dev.heldRefs.length > 0) {
    const h = dev.heldRefs[0];
    const n = Math.min(h.count, left);
    h.count -= n;
    left -= n;
    if (h.count === 0) dev.heldRefs.shift();
  }
}
