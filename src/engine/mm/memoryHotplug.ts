import type { Ctx, Path } from '../runtime/context';
import { acquire, release, span, work } from '../runtime/context';
import { kernelBug, warn } from '../runtime/printk';
import type { Altmap } from '../state/namespace';
import type { Pgmap } from '../state/machine';
import type { ZoneName } from '../state/page';
import { KernelOops } from '../sim/scheduler';
import { hex, GiB } from '../units';
import {
  EINVAL,
  pfnToSection,
  sectionChunks,
  sparseAddSection,
  sparseRemoveSection,
} from './sparse';
import { memmapInitRange } from './mmInit';

/**
 * mem_hotplug_begin(): cpus_read_lock() then mem_hotplug_lock for write. The range-lock what-if
 * locks only the pfns being changed.
 */
export function* memHotplugBegin(x: Ctx, range?: [number, number]): Path {
  const { locks, f } = x.k;
  yield* acquire(x, locks.cpuHotplug, 'read');
  yield* acquire(x, locks.memHotplug, 'write', f.hotplugLock === 'range' ? range : undefined);
}

export function* memHotplugDone(x: Ctx): Path {
  yield* release(x, x.k.locks.memHotplug);
  yield* release(x, x.k.locks.cpuHotplug);
}

/**
 * check_pfn_span(): hotplug works in sub-sections with SPARSEMEM_VMEMMAP (v5.3+), sections before.
 * The WARN's text is the variant's: v5.3–v6.4 print "end: #%lx" (a typo), v6.5+ "%#lx".
 */
export function checkPfnSpan(
  x: Ctx,
  pfn: number,
  nr: number,
  reason: '__add_pages' | '__remove_pages',
): boolean {
  const { g, f } = x.k;
  const unit = f.hotplugUnit === 'subsection' ? g.pagesPerSubsection : g.pagesPerSection;
  if (pfn % unit === 0 && nr % unit === 0) return true;
  const end = pfn + nr - 1;
  const endText = f.misalignedWarn === 'typo' ? `#${end.toString(16)}` : hex(end);
  warn(
    x,
    'misaligned-subsection',
    `Misaligned ${reason} start: ${hex(pfn)} end: ${endText}`,
    'mm/memory_hotplug.c',
    { start: hex(pfn), end: hex(end) },
  );
  return false;
}

/** __add_pages()'s chunks; pre-v5.3 works in whole sections, the range rounded out to them. */
function hotplugChunks(x: Ctx, start: number, end: number): [number, number][] {
  const per = x.k.g.pagesPerSection;
  if (x.k.f.hotplugUnit === 'section')
    return [[pfnToSection(x.k.g, start) * per, Math.ceil(end / per) * per]];
  return sectionChunks(x.k.g, start, end);
}

/** __add_pages(): altmap sanity, alignment, then one sparse_add_section() per chunk. */
export function* __addPages(
  x: Ctx,
  nid: number,
  start: number,
  nr: number,
  altmap?: Altmap,
  pgmap?: Pgmap,
): Path<number> {
  return yield* span(x, '__add_pages', { pfn: start, pages: nr }, function* () {
    if (altmap && (altmap.basePfn !== start || altmap.reserve + altmap.free > nr)) {
      warn(x, 'invalid-altmap', 'memory add fail, invalid altmap', 'mm/memory_hotplug.c');
      return EINVAL;
    }
    if (x.k.f.hotplugUnit === 'subsection' && !checkPfnSpan(x, start, nr, '__add_pages'))
      return EINVAL;
    for (const [s, e] of hotplugChunks(x, start, start + nr)) {
      const err = yield* sparseAddSection(x, nid, s, e, altmap, pgmap);
      if (err) return err;
    }
    return 0;
  });
}

/**
 * arch_add_memory(): the direct map, then __add_pages(). x86_64 (arch/x86/mm/init_64.c) maps with
 * init_memory_mapping() and goes through add_pages(), which also moves max_pfn — the 6.12
 * function_graph recording shows both under arch_add_memory(); other arches call __add_pages().
 */
export function* archAddMemory(
  x: Ctx,
  nid: number,
  start: number,
  nr: number,
  altmap?: Altmap,
  pgmap?: Pgmap,
): Path<number> {
  const x86 = x.k.g.arch === 'x86_64';
  return yield* span(x, 'arch_add_memory', { pfn: start, pages: nr }, function* (id) {
    const gib = (nr * x.k.g.pageSize) / GiB;
    if (x86)
      yield* span(x, 'init_memory_mapping', { pfn: start, pages: nr }, (mid) =>
        work(x, mid, [['linearMapPerGiB', gib]]),
      );
    else yield* work(x, id, [['linearMapPerGiB', gib]]);
    return x86
      ? yield* addPages(x, nid, start, nr, pgmap, altmap)
      : yield* __addPages(x, nid, start, nr, altmap, pgmap);
  });
}

/** add_pages(): DEVICE_PRIVATE memory has no direct map. */
export function* addPages(
  x: Ctx,
  nid: number,
  start: number,
  nr: number,
  pgmap?: Pgmap,
  altmap?: Altmap,
): Path<number> {
  return yield* span(x, 'add_pages', { pfn: start, pages: nr }, function* () {
    return yield* __addPages(x, nid, start, nr, altmap, pgmap);
  });
}

/**
 * move_pfn_range_to_zone(): resize the zone and node spans, then initialise the memmap. For
 * ZONE_DEVICE the variant decides what runs here, under the hotplug lock: every page (v4.18) or
 * only the altmap's own memmap pages (v4.20+).
 */
export function* movePfnRangeToZone(
  x: Ctx,
  nid: number,
  zone: ZoneName,
  start: number,
  nr: number,
  altmap?: Altmap,
): Path {
  const { f, locks, state } = x.k;
  yield* span(x, 'move_pfn_range_to_zone', { pfn: start, pages: nr, zone }, function* () {
    if (f.spanSeqlock) {
      yield* acquire(x, locks.pgdatResizeLock(nid), 'write');
      yield* acquire(x, locks.zoneSpanSeqlock(nid, zone), 'write');
    }
    state.growZone(nid, zone, start, start + nr);
    if (f.spanSeqlock) {
      yield* release(x, locks.zoneSpanSeqlock(nid, zone));
      yield* release(x, locks.pgdatResizeLock(nid));
    }
    if (zone !== 'Device') {
      yield* memmapInitRange(x, nid, zone, start, start + nr, f.hotplugPageFlag);
      return;
    }
    // ~v5.12: a ZONE_DEVICE range that starts or ends inside a section taints that section, so
    // pfn_to_online_page() takes the slow path there.
    if (f.taintZoneDevice) {
      const per = x.k.g.pagesPerSection;
      for (const pfn of [start, start + nr]) {
        if (pfn % per === 0) continue;
        const sec = pfnToSection(x.k.g, pfn);
        state.sections.change({
          step: x.step,
          t: x.k.sched.now,
          start: sec,
          end: sec + 1,
          by: 'section_taint_zone_device',
          apply: (o) => o && { ...o, taintZoneDevice: true },
        });
      }
    }
    const first = altmap && start === altmap.basePfn ? start + altmap.reserve : start;
    if (f.zoneDeviceInit === 'under-lock-twice')
      yield* memmapInitRange(x, nid, zone, first, start + nr, 'reserved');
    else if (altmap) yield* memmapInitRange(x, nid, zone, first, first + altmap.free, 'reserved');
  });
}

/** remove_pfn_range_from_zone() (mm/memory_hotplug.c): ZONE_DEVICE spans are never shrunk. */
export function* removePfnRangeFromZone(x: Ctx, zone: ZoneName, start: number, nr: number): Path {
  yield* span(x, 'remove_pfn_range_from_zone', { pfn: start, pages: nr, zone }, function* () {
    if (zone === 'Device') return;
    for (const z of x.k.state.zones.values()) {
      if (z.zone !== zone) continue;
      if (z.start >= start && z.start < start + nr) z.start = Math.min(z.end, start + nr);
      if (z.end > start && z.end <= start + nr) z.end = Math.max(z.start, start);
    }
  });
}

/** __remove_pages(): alignment (a BUG_ON before v5.3), one sparse_remove_section() per chunk. */
export function* __removePages(x: Ctx, start: number, nr: number, altmap?: Altmap): Path<number> {
  return yield* span(x, '__remove_pages', { pfn: start, pages: nr }, function* () {
    const { f, g } = x.k;
    if (
      f.hotplugUnit === 'section' &&
      (start % g.pagesPerSection !== 0 || nr % g.pagesPerSection !== 0) &&
      !altmap
    ) {
      kernelBug(x, 'misaligned-subsection', 'mm/memory_hotplug.c', '__remove_pages');
      throw new KernelOops('__remove_pages: BUG_ON misaligned range');
    }
    if (f.hotplugUnit === 'subsection' && !checkPfnSpan(x, start, nr, '__remove_pages'))
      return EINVAL;
    // From v5.3 __remove_pages() is void: a section that WARNs is skipped and the rest still go.
    // Before, it stopped at the first section that failed and returned the error.
    let err = 0;
    for (const [s, e] of hotplugChunks(x, start, start + nr)) {
      const r = yield* sparseRemoveSection(x, s, e, altmap);
      err = r || err;
      if (r && f.hotplugUnit === 'section') break;
    }
    return err;
  });
}

export function* archRemoveMemory(
  x: Ctx,
  start: number,
  nr: number,
  altmap?: Altmap,
): Path<number> {
  return yield* span(x, 'arch_remove_memory', { pfn: start, pages: nr }, function* (id) {
    const err = yield* __removePages(x, start, nr, altmap);
    yield* work(x, id, [['linearMapPerGiB', (nr * x.k.g.pageSize) / GiB, 0.5]]);
    return err;
  });
}
