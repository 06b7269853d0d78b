import type { Ctx, Path } from '../runtime/context';
import { span, work } from '../runtime/context';
import { info } from '../runtime/printk';
import type { PageState } from '../state/page';
import { dumpPage } from './pageOps';
import { EBUSY } from './sparse';

export const EINTR = -4;

/** A page offline_pages() stops at. */
interface Culprit {
  pfn: number;
  page: PageState;
}

/**
 * has_unmovable_pages() (mm/page_alloc.c, mm/page_isolation.c from v5.10): a page with a
 * reference that is neither on the LRU nor __PageMovable keeps its pageblock from being isolated
 * — except in ZONE_MOVABLE, where every page that is not PageReserved counts as movable.
 */
function firstUnmovable(x: Ctx, pfn: number, nr: number): Culprit | undefined {
  for (const run of x.k.state.pages.current.overlapping(pfn, pfn + nr)) {
    const p = run.value;
    const unmovable = p.zone !== 'Movable' && p.refcount > 0 && !p.flags.includes('lru');
    if (unmovable) return { pfn: run.start, page: p };
  }
  return undefined;
}

/** The LRU pages do_migrate_range() moves, and the first one an extra reference pins. */
function lruPages(x: Ctx, pfn: number, nr: number): { pages: number; pinned?: Culprit } {
  let pages = 0;
  let pinned: Culprit | undefined;
  for (const run of x.k.state.pages.current.overlapping(pfn, pfn + nr)) {
    const p = run.value;
    if (!p.flags.includes('lru')) continue;
    pages += run.end - run.start;
    if (p.refcount > 1 && !pinned) pinned = { pfn: run.start, page: p };
  }
  return { pages, pinned };
}

/**
 * offline_pages()'s failure report. From v5.0 (7960509329c2 "mm, memory_hotplug: print reason
 * for the offlining failure") the pr_debug names the reason; before it an isolation failure
 * returned before the message and the others printed a bare "failed".
 */
function offliningFailed(x: Ctx, pfn: number, nr: number, reason: string): void {
  const { pageSize } = x.k.g;
  const range = `[mem ${pad010(pfn * pageSize)}-${pad010((pfn + nr) * pageSize - 1)}]`;
  if (x.k.f.offlineFailureLog === 'reason') {
    info(x, `memory offlining ${range} failed due to ${reason}`, { pfn, pages: nr }, 'debug');
  } else if (reason !== 'failure to isolate range') {
    info(x, `memory offlining ${range} failed`, { pfn, pages: nr }, 'debug');
  }
}

/** printk's %#010llx. */
function pad010(value: number): string {
  return '0x' + value.toString(16).padStart(8, '0');
}

/** dump_page() of the page that stopped the offline, with the caller's warning before it. */
function reportPage(x: Ctx, c: Culprit, because: string, before?: string): void {
  const lines = [...(before ? [before] : []), ...dumpPage(x, c.pfn, c.page, because)];
  x.k.rec.printk({
    level: 'warn',
    code: 'memory-offline-failed',
    text: before ?? lines[lines.length - 1],
    lines,
    step: x.step,
    thread: x.t.id,
    fields: { pfn: c.pfn },
  });
}

/**
 * offline_pages() (mm/memory_hotplug.c) up to taking the pages out of the buddy allocator:
 * start_isolate_page_range() refuses a pageblock with an unmovable page (-EBUSY, "failure to
 * isolate range"; from v5.0 with REPORT_FAILURE a dump_page "unmovable page", 2932c8b05056 "mm,
 * memory_hotplug: be more verbose for memory offline failures"); then scan_movable_pages() and
 * do_migrate_range() move every LRU page elsewhere (where to is not modelled). A page with an
 * extra reference fails migration on every pass, and offline_pages() retries until a signal
 * arrives (-EINTR, "signal backoff"): the write to memoryN/state blocks until then, which the
 * model ends as a user's Ctrl-C would. Returns 0 or the errno.
 */
export function* isolateAndMigrate(x: Ctx, pfn: number, nr: number): Path<number> {
  const reason = x.k.f.offlineFailureLog === 'reason';
  const unmovable = firstUnmovable(x, pfn, nr);
  if (unmovable) {
    if (reason) reportPage(x, unmovable, 'unmovable page');
    offliningFailed(x, pfn, nr, 'failure to isolate range');
    return EBUSY;
  }
  const lru = lruPages(x, pfn, nr);
  if (!lru.pages) return 0;
  return yield* span(x, 'do_migrate_range', { pfn, pages: lru.pages }, function* (id) {
    if (lru.pinned) {
      // migrate_pages() returns the number of folios it could not move.
      const failed = `migrating pfn ${lru.pinned.pfn.toString(16)} failed ret:1`;
      if (reason) reportPage(x, lru.pinned, 'migration failure', failed);
      offliningFailed(x, pfn, nr, 'signal backoff');
      return EINTR;
    }
    yield* work(x, id, [['migratePage', lru.pages]]);
    x.k.state.pages.change({
      step: x.step,
      t: x.k.sched.now,
      start: pfn,
      end: pfn + nr,
      by: 'migrate_pages',
      // The LRU pages leave for pages elsewhere: these become free, as the buddy allocator's.
      apply: (o) => o && (o.flags.includes('lru') ? { ...o, refcount: 0, flags: [] } : o),
    });
    return 0;
  });
}
