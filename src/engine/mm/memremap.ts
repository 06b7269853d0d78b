import type { Ctx, Path } from '../runtime/context';
import { acquire, release, span, work } from '../runtime/context';
import { warn } from '../runtime/printk';
import { isSystemRam, type Pgmap } from '../state/machine';
import { releaseOf } from '../kernel/version';
import { hex } from '../units';
import { ENOMEM, ENXIO } from './sparse';
import {
  addPages,
  archAddMemory,
  archRemoveMemory,
  __removePages,
  memHotplugBegin,
  memHotplugDone,
  movePfnRangeToZone,
  removePfnRangeFromZone,
} from './memoryHotplug';
import { forEachDevicePfn, memmapInitZoneDevice } from './mmInit';
import { finishDrain, percpuRefGet, percpuRefKill, percpuRefPut, startDrain } from './percpuRef';

type PfnRange = { start: number; end: number };

/**
 * The mapping code's names by release (the preset's `version`, which sets message formats):
 * before v5.3 devm_memremap_pages() in kernel/memremap.c; v5.3 the same function in mm/memremap.c,
 * still with dev_WARN and the resource printed by %pr; from v5.10 (struct range, ranges[])
 * memremap_pages() with one pagemap_range() per range, WARN(1) and %#llx-%#llx.
 */
function memremapStyle(x: Ctx): { fn: string; file: string; perRange: boolean } {
  const v = releaseOf(x.k.f);
  return v >= 510
    ? { fn: 'memremap_pages', file: 'mm/memremap.c', perRange: true }
    : {
        fn: 'devm_memremap_pages',
        file: v >= 503 ? 'mm/memremap.c' : 'kernel/memremap.c',
        perRange: false,
      };
}

/**
 * dev_WARN()'s "driver device: " prefix (before v5.10). Namespaces have known drivers; a raw
 * dev_pagemap's driver is the scenario's, unnamed, so its message has no prefix.
 */
function devWarnPrefix(x: Ctx): string {
  const driver = x.devName?.startsWith('pfn')
    ? 'nd_pmem'
    : x.devName?.startsWith('dax')
      ? 'dax_pmem'
      : undefined;
  return driver ? `${driver} ${x.devName}: ` : '';
}

/** %pr of a memory resource: `[mem 0x...-0x... flags 0x200]`, the end inclusive, at least 8 hex digits. */
function resourceText(start: number, endInclusive: number): string {
  const h = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
  return `[mem ${h(start)}-${h(endInclusive)} flags 0x200]`;
}

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
    if (!isSystemRam(res)) continue;
    const s = Math.max(res.start, r.start * page);
    const e = Math.min(res.end, r.end * page);
    if (e > s) covered += e - s;
  }
  if (covered === 0) return 'disjoint';
  return covered >= (r.end - r.start) * page ? 'ram' : 'mixed';
}

/**
 * pfn_len(): one reference per folio (v5.17), per page before, over the range as the driver gave
 * it — pfn_first()..pfn_end() never include the section padding of pre-v5.3 kernels.
 */
function pfnLen(x: Ctx, pgmap: Pgmap, i: number): number {
  const r = pgmap.ranges[i];
  const shift = x.k.f.compoundDevmap ? pgmap.vmemmapShift : 0;
  return Math.floor(Math.max(0, r.end - firstDevicePfn(pgmap, i)) / 2 ** shift);
}

/** pfn_first(): range 0's device pages start after the altmap's reserve and memmap. */
export function firstDevicePfn(pgmap: Pgmap, i: number): number {
  return i === 0 ? pgmap.pfnFirst : pgmap.ranges[i].start;
}

/** v6.1: PRIVATE and COHERENT pages take their pgmap ref per allocation, not at map time. */
function refsPerAllocation(x: Ctx, pgmap: Pgmap): boolean {
  return x.k.f.refPerAllocationTypes && (pgmap.type === 'private' || pgmap.type === 'coherent');
}

/**
 * memremap_pages(): per range, pagemap_range() rejects conflicts and RAM, claims the range and maps
 * it — so a range may conflict with the pgmap's own earlier ranges. When a range fails, the ranges
 * already mapped are torn down again by memunmap_pages(). Returns 0 or a negative errno.
 */
export function* memremapPages(x: Ctx, pgmap: Pgmap): Path<number> {
  return yield* span(
    x,
    memremapStyle(x).fn,
    { pages: pgmap.ranges.reduce((n, r) => n + r.end - r.start, 0) },
    function* () {
      pgmap.claim = [];
      x.k.state.setLive(pgmap, true);
      for (let i = 0; i < pgmap.ranges.length; i++) {
        const err = checkRange(x, pgmap, pgmap.ranges[i]) || (yield* pagemapRange(x, pgmap, i));
        if (err) {
          if (i > 0) yield* memunmapPages(x, pgmap, i);
          x.k.state.setLive(pgmap, false);
          return err;
        }
      }
      return 0;
    },
  );
}

/**
 * pagemap_range()'s checks: a live pgmap at the start or end, then System RAM; claims the range
 * (padded to sections before v5.3, while the messages print the range the driver gave).
 */
function checkRange(x: Ctx, pgmap: Pgmap, range: PfnRange): number {
  const { state, g } = x.k;
  const style = memremapStyle(x);
  const claim = hotplugRange(x, range);
  const conflict = state.pgmapAt(claim.start) ?? state.pgmapAt(claim.end - 1);
  if (conflict) {
    const prefix = style.perRange ? '' : devWarnPrefix(x);
    warn(x, 'section-conflict', `${prefix}Conflicting mapping in same section`, style.file, {
      with: conflict.device,
    });
    return ENOMEM;
  }
  const ram = regionIntersects(x, claim);
  if (ram !== 'disjoint') {
    const s = range.start * g.pageSize;
    const e = range.end * g.pageSize - 1;
    const text = style.perRange
      ? `attempted on ${ram} region ${hex(s)}-${hex(e)}`
      : `${style.fn} attempted on ${ram} region ${resourceText(s, e)}`;
    // WARN_ONCE(): a second device that meets RAM fails the same way, and the kernel says nothing.
    if (state.warnedOnce.has('mixed-region')) {
      x.k.rec.note({
        level: 'debug',
        code: 'mixed-region',
        text: `${text} — not printed: this WARN_ONCE fired already`,
        step: x.step,
        device: x.device,
        node: x.t.node,
        thread: x.t.id,
      });
    } else {
      state.warnedOnce.add('mixed-region');
      warn(x, 'mixed-region', text, style.file);
    }
    return ENXIO;
  }
  pgmap.claim.push(claim);
  return 0;
}

/**
 * pagemap_range(): under mem_hotplug_begin() only the section work (and, by variant, memmap init);
 * the device pages are initialised outside the lock from v4.20 on.
 */
function* pagemapRange(x: Ctx, pgmap: Pgmap, i: number): Path<number> {
  const range = pgmap.ranges[i];
  // Before v5.10 this was the body of devm_memremap_pages() itself: no span of its own. After, a
  // static function the compiler inlines: the 6.12 function_graph recording
  // (test/fixtures/kernels/6.12.118+deb12-amd64/trace-fsdax-1g-dev.txt) has arch_add_memory()
  // and move_pfn_range_to_zone() directly under memremap_pages().
  const inSpan = (body: () => Path<number>) =>
    memremapStyle(x).perRange
      ? span(
          x,
          'pagemap_range',
          { pfn: range.start, pages: range.end - range.start, inlined: true },
          body,
        )
      : body();
  return yield* inSpan(function* () {
    const { f } = x.k;
    const hr = hotplugRange(x, range);
    const nr = hr.end - hr.start;
    const altmap = i === 0 ? pgmap.altmap : undefined;
    yield* memHotplugBegin(x, [hr.start, hr.end]);
    const err =
      pgmap.type === 'private'
        ? yield* addPages(x, pgmap.node, hr.start, nr, pgmap)
        : yield* archAddMemory(x, pgmap.node, hr.start, nr, altmap, pgmap);
    if (err) {
      yield* memHotplugDone(x);
      return err;
    }
    if (f.hotplugLock === 'rwsem-init-read') {
      // The what-if of the "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap" (2018) thread: the zone's memmap is initialised with the lock held for read, so
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
      yield* forEachDevicePfn(x, pgmap, firstDevicePfn(pgmap, i), range.end);
      return 0;
    }
    yield* memmapInitZoneDevice(x, pgmap, hr);
    if (f.zoneDeviceInit === 'deferred' && !refsPerAllocation(x, pgmap)) {
      // A static inline of include/linux/percpu-refcount.h.
      yield* span(
        x,
        'percpu_ref_get_many',
        { refs: pfnLen(x, pgmap, i), inlined: true },
        function* (id) {
          yield* work(x, id, [['refOp', 1]]);
          yield* percpuRefGet(x, pgmap, pfnLen(x, pgmap, i));
        },
        'ref',
      );
    }
    return 0;
  });
}

/**
 * memunmap_pages(): kill the ref, drop the map-time refs (put_page per page before v5.18,
 * percpu_ref_put_many after), wait for pgmap->done — forever if a reference leaked — then
 * remove the ranges under the hotplug lock. `nrRange`: memremap_pages()'s error path unmaps only
 * the ranges it had mapped.
 */
export function* memunmapPages(x: Ctx, pgmap: Pgmap, nrRange = pgmap.ranges.length): Path {
  yield* span(x, 'memunmap_pages', {}, function* (id) {
    const { f } = x.k;
    yield* percpuRefKill(x, pgmap);
    if (f.teardownPut === 'per-page') {
      yield* putDevicePages(x, pgmap, nrRange);
    } else if (!refsPerAllocation(x, pgmap)) {
      for (let i = 0; i < nrRange; i++) {
        yield* work(x, id, [['refOp', 1]]);
        yield* percpuRefPut(x, pgmap, pfnLen(x, pgmap, i));
      }
    }
    yield* span(
      x,
      'wait_for_completion',
      { completion: 'pgmap->done' },
      function* () {
        yield { kind: 'wait', completion: pgmap.done };
      },
      'wait',
    );
    for (let i = 0; i < nrRange; i++) {
      const hr = hotplugRange(x, pgmap.ranges[i]);
      const altmap = i === 0 ? pgmap.altmap : undefined;
      // Static in mm/memremap.c and inlined into memunmap_pages(), as pagemap_range() is into memremap_pages().
      yield* span(
        x,
        'pageunmap_range',
        { pfn: hr.start, pages: hr.end - hr.start, inlined: true },
        function* () {
          yield* memHotplugBegin(x, [hr.start, hr.end]);
          yield* removePfnRangeFromZone(x, 'Device', hr.start, hr.end - hr.start);
          if (pgmap.type === 'private')
            yield* __removePages(x, hr.start, hr.end - hr.start, altmap);
          else yield* archRemoveMemory(x, hr.start, hr.end - hr.start, altmap);
          yield* memHotplugDone(x);
        },
      );
    }
    if (pgmap.altmap && pgmap.altmap.alloc > 0) {
      warn(x, 'altmap-leak', 'failed to free all reserved pages', 'mm/memremap.c', {
        pages: pgmap.altmap.alloc,
      });
    }
    x.k.state.setLive(pgmap, false);
  });
}

/**
 * Before v5.18 teardown put_page()s every device page (per folio from v5.17) — for_each_device_pfn(),
 * pfn_first()..pfn_end(), never the section padding; a page whose count reaches zero drops one
 * pgmap reference. Pages someone still holds keep theirs: the leak.
 */
function* putDevicePages(x: Ctx, pgmap: Pgmap, nrRange: number): Path {
  yield* span(
    x,
    'put_page',
    {},
    function* (id) {
      const { state } = x.k;
      let folios = 0;
      let released = 0;
      for (let i = 0; i < nrRange; i++) {
        const first = firstDevicePfn(pgmap, i);
        const end = pgmap.ranges[i].end;
        for (const run of state.pages.current.overlapping(first, end)) {
          // pfn_next() steps from head to head; a trailing partial folio is visited too.
          const nr = 2 ** run.value.compoundOrder;
          const base = run.value.compoundBase;
          const n = Math.floor((run.end - 1 - base) / nr) - Math.ceil((run.start - base) / nr) + 1;
          folios += n;
          if (run.value.refcount === 1) released += n;
        }
        state.pages.change({
          step: x.step,
          t: x.k.sched.now,
          start: first,
          end,
          by: 'put_page',
          apply: (old) => old && { ...old, refcount: old.refcount - 1 },
        });
      }
      x.k.rec.annotate(id, { pages: folios });
      const perPut = folios > 0 ? (x.k.costs.putPagePerPage * folios) / Math.max(1, released) : 0;
      startDrain(x, pgmap, released, perPut);
      yield* work(x, id, [['putPagePerPage', folios]]);
      yield* finishDrain(x, pgmap);
    },
    'ref',
  );
}
