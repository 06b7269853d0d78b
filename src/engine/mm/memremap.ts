import type { Ctx, Path } from '../kernel/context';
import { acquire, release, span, work } from '../kernel/context';
import { warn } from '../kernel/printk';
import type { Pgmap } from '../state/machine';
import { versionCode } from '../kernel/version';
import { hex } from '../units';
import { ENOMEM, ENXIO } from './sparse';
import { addPages, archAddMemory, archRemoveMemory, __removePages, memHotplugBegin, memHotplugDone, movePfnRangeToZone, removePfnRangeFromZone } from './memoryHotplug';
import { forEachDevicePfn, memmapInitZoneDevice } from './mmInit';
import { finishDrain, percpuRefGet, percpuRefKill, percpuRefPut, startDrain } from './percpuRef';

type PfnRange = { start: number; end: number };

/** The range hotplug works on: padded out to whole sections before v5.3. */
export function hotplugRange(x: Ctx, r: PfnRange): PfnRange {
  if (x.k.f.hotplugUnit === 'subsection') return r;
  const per = x.k.g.pagesPerSection;
  return { start: Math.floor(r.start / per) * per, end: Math.ceil(r.end / per) * per };
}

/** How the range meets System RAM: region_intersects(). */
function regionIntersects(x: Ctx, r: PfnRange): 'disjoint' | 'mixed' | 'ram' {
  const page = x.k.g.pageSize;
  let covered = 0;
  for (const res of x.k.state.resources) {
    if (res.name !== 'System RAM') continue;
    const s = Math.max(res.start, r.start * page);
    const e = Math.min(res.end, r.end * page);
    if (e > s) covered += e - s;
  }
  if (covered === 0) return 'disjoint';
  return covered >= (r.end - r.start) * page ? 'ram' : 'mixed';
}

/** pfn_len(): one reference per folio (v5.17), per page before. */
function pfnLen(x: Ctx, pgmap: Pgmap, r: PfnRange): number {
  const first = r.start === pgmap.ranges[0].start ? pgmap.pfnFirst : r.start;
  const shift = x.k.f.compoundDevmap ? pgmap.vmemmapShift : 0;
  return Math.floor(Math.max(0, r.end - first) / 2 ** shift);
}

/** v6.1: PRIVATE and COHERENT pages take their pgmap ref per allocation, not at map time. */
function refsPerAllocation(x: Ctx, pgmap: Pgmap): boolean {
  return x.k.f.refPerAllocationTypes && (pgmap.type === 'private' || pgmap.type === 'coherent');
}

/**
 * memremap_pages(): reject conflicts and RAM, claim the range, then pagemap_range() per range.
 * Returns 0 or a negative errno, as the kernel does.
 */
export function* memremapPages(x: Ctx, pgmap: Pgmap): Path<number> {
  return yield* span(x, 'memremap_pages', { pages: pgmap.ranges.reduce((n, r) => n + r.end - r.start, 0) }, function* () {
    const { state, g } = x.k;
    for (const r of pgmap.ranges) {
      const claim = hotplugRange(x, r);
      const conflict = state.pgmapAt(claim.start) ?? state.pgmapAt(claim.end - 1);
      if (conflict) {
        warn(x, 'section-conflict', 'Conflicting mapping in same section', 'mm/memremap.c', { with: conflict.device });
        return ENOMEM;
      }
      const ram = regionIntersects(x, claim);
      if (ram !== 'disjoint') {
        const s = claim.start * g.pageSize;
        const e = claim.end * g.pageSize - 1;
        const text = (versionCode(x.k.f.version) ?? 0) >= 503
          ? `attempted on ${ram} region ${hex(s)}-${hex(e)}`
          : `devm_memremap_pages attempted on mixed region [mem ${hex(s)}-${hex(e)} flags 0x200]`;
        warn(x, 'mixed-region', text, 'mm/memremap.c');
        return ENXIO;
      }
    }
    pgmap.claim = pgmap.ranges.map((r) => hotplugRange(x, r));
    pgmap.live = true;
    for (const r of pgmap.ranges) {
      const err = yield* pagemapRange(x, pgmap, r);
      if (err) {
        pgmap.live = false;
        return err;
      }
    }
    return 0;
  });
}

/**
 * pagemap_range(): under mem_hotplug_begin() only the section work (and, by variant, memmap init);
 * the device pages are initialised outside the lock from v4.20 on.
 */
function* pagemapRange(x: Ctx, pgmap: Pgmap, range: PfnRange): Path<number> {
  return yield* span(x, 'pagemap_range', { pfn: range.start, pages: range.end - range.start }, function* () {
    const { f } = x.k;
    const hr = hotplugRange(x, range);
    const nr = hr.end - hr.start;
    const altmap = range.start === pgmap.ranges[0].start ? pgmap.altmap : undefined;
    yield* memHotplugBegin(x, [hr.start, hr.end]);
    const err = pgmap.type === 'private'
      ? yield* addPages(x, pgmap.node, hr.start, nr, pgmap)
      : yield* archAddMemory(x, pgmap.node, hr.start, nr, altmap, pgmap);
    if (err) {
      yield* memHotplugDone(x);
      return err;
    }
    if (f.hotplugLock === 'rwsem-init-read') {
      // The what-if of seed 000: the zone's memmap is initialised with the lock held for read, so
      // independent ranges initialise in parallel while hot-remove stays excluded.
      yield* memHotplugDone(x);
      yield* acquire(x, x.k.locks.memHotplug, 'read');
      yield* movePfnRangeToZone(x, pgmap.node, 'Device', hr.start, nr, altmap);
      yield* release(x, x.k.locks.memHotplug);
    } else {
      yield* movePfnRangeToZone(x, pgmap.node, 'Device', hr.start, nr, altmap);
      yield* memHotplugDone(x);
    }
    if (f.zoneDeviceInit === 'under-lock-twice') {
      yield* forEachDevicePfn(x, pgmap, hr);
      return 0;
    }
    yield* memmapInitZoneDevice(x, pgmap, hr);
    if (f.zoneDeviceInit === 'deferred' && !refsPerAllocation(x, pgmap)) {
      yield* span(x, 'percpu_ref_get_many', { refs: pfnLen(x, pgmap, hr) }, function* (id) {
        yield* work(x, id, [['refOp', 1]]);
        yield* percpuRefGet(x, pgmap, pfnLen(x, pgmap, hr));
      });
    }
    return 0;
  });
}

/**
 * memunmap_pages(): kill the ref, drop the map-time refs (put_page per page before v5.18,
 * percpu_ref_put_many after), wait for pgmap->done — forever if a reference leaked — then
 * remove the ranges under the hotplug lock.
 */
export function* memunmapPages(x: Ctx, pgmap: Pgmap): Path {
  yield* span(x, 'memunmap_pages', {}, function* (id) {
    const { f } = x.k;
    yield* percpuRefKill(x, pgmap);
    if (f.teardownPut === 'per-page') {
      yield* putDevicePages(x, pgmap);
    } else if (!refsPerAllocation(x, pgmap)) {
      for (const r of pgmap.ranges) {
        const hr = hotplugRange(x, r);
        yield* work(x, id, [['refOp', 1]]);
        yield* percpuRefPut(x, pgmap, pfnLen(x, pgmap, hr));
      }
    }
    yield* span(x, 'wait_for_completion', { completion: 'pgmap->done' }, function* () {
      yield { kind: 'wait', completion: pgmap.done };
    });
    for (const r of pgmap.ranges) {
      const hr = hotplugRange(x, r);
      const altmap = r.start === pgmap.ranges[0].start ? pgmap.altmap : undefined;
      yield* span(x, 'pageunmap_range', { pfn: hr.start, pages: hr.end - hr.start }, function* () {
        yield* memHotplugBegin(x, [hr.start, hr.end]);
        yield* removePfnRangeFromZone(x, 'Device', hr.start, hr.end - hr.start);
        if (pgmap.type === 'private') yield* __removePages(x, hr.start, hr.end - hr.start, altmap);
        else yield* archRemoveMemory(x, hr.start, hr.end - hr.start, altmap);
        yield* memHotplugDone(x);
      });
    }
    if (pgmap.altmap && pgmap.altmap.alloc > 0) {
      warn(x, 'altmap-leak', 'failed to free all reserved pages', 'mm/memremap.c', { pages: pgmap.altmap.alloc });
    }
    pgmap.live = false;
  });
}

/**
 * Before v5.18 teardown put_page()s every device page (per folio from v5.17); a page whose count
 * reaches zero drops one pgmap reference. Pages someone still holds keep theirs: the leak.
 */
function* putDevicePages(x: Ctx, pgmap: Pgmap): Path {
  yield* span(x, 'put_page', {}, function* (id) {
    const { state } = x.k;
    const shift = x.k.f.compoundDevmap ? pgmap.vmemmapShift : 0;
    let folios = 0;
    let released = 0;
    for (const r of pgmap.ranges) {
      const hr = hotplugRange(x, r);
      const first = r === pgmap.ranges[0] ? pgmap.pfnFirst : hr.start;
      for (const run of state.pages.current.overlapping(first, hr.end)) {
        const n = Math.floor((run.end - run.start) / 2 ** shift);
        folios += n;
        if (run.value.refcount === 1) released += n;
      }
      state.pages.change({ step: x.step, t: x.k.sched.now, start: first, end: hr.end, by: 'put_page',
        apply: (old) => old && { ...old, refcount: old.refcount - 1 } });
    }
    x.k.rec.annotate(id, { pages: folios });
    const perPut = folios > 0 ? (x.k.costs.putPagePerPage * folios) / Math.max(1, released) : 0;
    startDrain(x, pgmap, released, perPut);
    yield* work(x, id, [['putPagePerPage', folios]]);
    yield* finishDrain(x, pgmap);
  });
}
