import type { Ctx, Path } from '../runtime/context';
import { acquire, release, span, work } from '../runtime/context';
import type { ZoneName } from '../state/page';
import { hex, pa } from '../units';
import { archAddMemory, archRemoveMemory, memHotplugBegin, memHotplugDone, movePfnRangeToZone, removePfnRangeFromZone } from './memoryHotplug';
import { EBUSY, EINVAL, pfnToSection } from './sparse';
import { info, kernelBug } from '../runtime/printk';
import { KernelOops } from '../sim/scheduler';

/** Memory blocks are the unit of RAM online/offline; their size is printed at boot. */
function blocksOf(x: Ctx, startByte: number, size: number): [number, number] {
  const bs = x.k.state.memoryBlockSize;
  return [startByte / bs, (startByte + size) / bs];
}

/** check_hotplug_memory_range(): RAM hotplug works in whole memory blocks. */
function checkHotplugMemoryRange(x: Ctx, start: number, size: number): boolean {
  const bs = x.k.state.memoryBlockSize;
  if (start % bs === 0 && size % bs === 0 && size > 0) return true;
  // pr_err(), not a WARN: the caller gets -EINVAL.
  x.k.rec.printk({ level: 'warn', code: 'misaligned-memory-block', text: `Block size [${hex(bs)}] unaligned hotplug range: start ${hex(start)}, size ${hex(size)}`, step: x.step, thread: x.t.id });
  return false;
}

/** add_memory(): lock_device_hotplug(), add_memory_resource(): sections and offline blocks. */
export function* addMemory(x: Ctx, nid: number, start: number, size: number): Path<number> {
  const { locks, state, g } = x.k;
  return yield* span(x, 'add_memory', { node: nid, pfn: start / g.pageSize, pages: size / g.pageSize }, function* (id) {
    if (!checkHotplugMemoryRange(x, start, size)) return EINVAL;
    yield* acquire(x, locks.deviceHotplug, 'write');
    const pfn = start / g.pageSize;
    const nr = size / g.pageSize;
    yield* memHotplugBegin(x, [pfn, pfn + nr]);
    const err = yield* archAddMemory(x, nid, pfn, nr);
    if (!err) {
      state.resources.push({ start, end: start + size, name: 'System RAM', node: nid });
      const [b0, b1] = blocksOf(x, start, size);
      yield* work(x, id, [['memoryBlockDevice', b1 - b0]]);
      state.memoryBlocks.change({ step: x.step, t: x.k.sched.now, start: b0, end: b1, by: 'create_memory_block_devices',
        apply: () => ({ state: 'offline', node: nid }) });
    }
    yield* memHotplugDone(x);
    yield* release(x, locks.deviceHotplug);
    return err;
  });
}

/** echo online_movable > memoryN/state, block by block: online_pages() per block. */
export function* onlineMemory(x: Ctx, start: number, size: number, zone: 'movable' | 'normal'): Path<number> {
  const zoneName: ZoneName = zone === 'movable' ? 'Movable' : 'Normal';
  return yield* forEachBlock(x, start, size, 'offline', function* (pfn, nr, nid) {
    yield* span(x, 'online_pages', { pfn, pages: nr, zone: zoneName }, function* (id) {
      yield* movePfnRangeToZone(x, nid, zoneName, pfn, nr);
      yield* work(x, id, [['onlinePagePerPage', nr]]);
      // generic_online_page() frees every page to the buddy allocator.
      x.k.state.pages.change({ step: x.step, t: x.k.sched.now, start: pfn, end: pfn + nr, by: 'generic_online_page',
        apply: (o) => o && { ...o, flags: [], refcount: 0 } });
      setSectionsOnline(x, pfn, nr, true);
    });
    return { state: 'online' as const, zone: zoneName, node: nid };
  });
}

/** echo offline > memoryN/state: offline_pages() isolates, migrates, and poisons the memmap. */
export function* offlineMemory(x: Ctx, start: number, size: number): Path<number> {
  return yield* forEachBlock(x, start, size, 'online', function* (pfn, nr, nid) {
    yield* span(x, 'offline_pages', { pfn, pages: nr }, function* (id) {
      yield* work(x, id, [['offlinePagePerPage', nr]]);
      const zone = x.k.state.pages.get(pfn)?.zone ?? 'Movable';
      yield* removePfnRangeFromZone(x, zone, pfn, nr);
      x.k.state.pages.change({ step: x.step, t: x.k.sched.now, start: pfn, end: pfn + nr, by: 'page_init_poison', apply: () => undefined });
      setSectionsOnline(x, pfn, nr, false);
      info(x, `Offlined Pages ${nr}`, { pages: nr }, x.k.f.offlineLog);
    });
    return { state: 'offline' as const, node: nid };
  });
}

/**
 * remove_memory(): a range that is not whole memory blocks is a BUG_ON in every version
 * (check_hotplug_memory_range()). It takes device_hotplug_lock first; every block must be offline
 * (check_memblock_offlined_cb()), else BUG() with both hotplug locks held before v5.3 and -EBUSY
 * from v5.3 (eca499ab3749). The check ran inside mem_hotplug_begin() until v5.6 (f1037ec0cc8a),
 * so a refused remove took mem_hotplug_lock too; after it, only device_hotplug_lock.
 */
export function* removeMemory(x: Ctx, start: number, size: number): Path<number> {
  const { locks, state, g, f } = x.k;
  return yield* span(x, 'remove_memory', { pfn: start / g.pageSize, pages: size / g.pageSize }, function* () {
    if (!checkHotplugMemoryRange(x, start, size)) {
      kernelBug(x, 'misaligned-memory-block', 'mm/memory_hotplug.c', 'remove_memory');
      throw new KernelOops('remove_memory: BUG_ON(check_hotplug_memory_range())');
    }
    const pfn = start / g.pageSize;
    const nr = size / g.pageSize;
    const underHotplugLock = f.removeMemoryCheck === 'under-hotplug-lock';
    yield* acquire(x, locks.deviceHotplug, 'write');
    if (underHotplugLock) yield* memHotplugBegin(x, [pfn, pfn + nr]);
    const [b0, b1] = blocksOf(x, start, size);
    for (const run of state.memoryBlocks.current.overlapping(b0, b1)) {
      if (run.value.state !== 'online') continue;
      const begin = run.start * state.memoryBlockSize;
      x.k.rec.printk({ level: 'warn', code: 'memory-still-online', step: x.step, thread: x.t.id,
        text: `removing memory fails, because memory [${pa(begin)}-${pa(begin + state.memoryBlockSize - 1)}] is onlined` });
      if (f.removeOnlineMemory === 'bug') {
        kernelBug(x, 'memory-still-online', 'mm/memory_hotplug.c', 'remove_memory');
        throw new KernelOops('remove_memory: BUG() on an online memory block');
      }
      if (underHotplugLock) yield* memHotplugDone(x);
      yield* release(x, locks.deviceHotplug);
      return EBUSY;
    }
    if (!underHotplugLock) yield* memHotplugBegin(x, [pfn, pfn + nr]);
    state.memoryBlocks.change({ step: x.step, t: x.k.sched.now, start: b0, end: b1, by: 'remove_memory_block_devices', apply: () => undefined });
    // arch_remove_memory() is void: its WARNs are the only sign of trouble, remove_memory() succeeds.
    yield* archRemoveMemory(x, pfn, nr);
    const i = state.resources.findIndex((r) => r.name === 'System RAM' && r.start === start && r.end === start + size);
    if (i >= 0) state.resources.splice(i, 1);
    yield* memHotplugDone(x);
    yield* release(x, locks.deviceHotplug);
    return 0;
  });
}

type BlockState = { state: 'online' | 'offline'; zone?: ZoneName; node: number };

/** Runs `body` per memory block in the range that is in state `from`, each under the locks. */
function* forEachBlock(x: Ctx, start: number, size: number, from: 'online' | 'offline',
  body: (pfn: number, nr: number, nid: number) => Path<BlockState>): Path<number> {
  const { locks, state, g } = x.k;
  if (!checkHotplugMemoryRange(x, start, size)) return EINVAL;
  const [b0, b1] = blocksOf(x, start, size);
  const perBlock = state.memoryBlockSize / g.pageSize;
  let done = 0;
  for (let b = b0; b < b1; b++) {
    const block = state.memoryBlocks.get(b);
    if (!block || block.state !== from) continue;
    yield* acquire(x, locks.deviceHotplug, 'write');
    yield* memHotplugBegin(x, [b * perBlock, (b + 1) * perBlock]);
    const next = yield* body(b * perBlock, perBlock, block.node);
    state.memoryBlocks.change({ step: x.step, t: x.k.sched.now, start: b, end: b + 1, by: from === 'offline' ? 'online_pages' : 'offline_pages', apply: () => next });
    yield* memHotplugDone(x);
    yield* release(x, locks.deviceHotplug);
    done++;
  }
  return done > 0 ? 0 : EINVAL;
}

function setSectionsOnline(x: Ctx, pfn: number, nr: number, online: boolean): void {
  const { g, state } = x.k;
  const s0 = pfnToSection(g, pfn);
  const s1 = pfnToSection(g, pfn + nr - 1) + 1;
  state.sections.change({ step: x.step, t: x.k.sched.now, start: s0, end: s1, by: online ? 'online_mem_sections' : 'offline_mem_sections',
    apply: (o) => o && { ...o, online } });
}
