import type { Ctx, Path } from '../runtime/context';
import { acquire, release, span, work } from '../runtime/context';
import type { MemoryBlock } from '../state/machine';
import type { Altmap } from '../state/namespace';
import type { ZoneName } from '../state/page';
import { hex, pa } from '../units';
import { releaseOf } from '../kernel/version';
import {
  archAddMemory,
  archRemoveMemory,
  memHotplugBegin,
  memHotplugDone,
  movePfnRangeToZone,
  removePfnRangeFromZone,
} from './memoryHotplug';
import { EBUSY, EINVAL, pfnToSection } from './sparse';
import { isolateAndMigrate } from './pageIsolation';
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
  x.k.rec.printk({
    level: 'warn',
    code: 'misaligned-memory-block',
    text: `Block size [${hex(bs)}] unaligned hotplug range: start ${hex(start)}, size ${hex(size)}`,
    step: x.step,
    thread: x.t.id,
  });
  return false;
}

/** memory_block_memmap_on_memory_pages(): the pages one memory block's memmap takes. */
function blockVmemmapPages(x: Ctx): number {
  const { g, state } = x.k;
  return Math.ceil(((state.memoryBlockSize / g.pageSize) * g.structPageSize) / g.pageSize);
}

/**
 * mhp_supports_memmap_on_memory() (mm/memory_hotplug.c): the pages of each block that hold its
 * memmap, or why the add gets its memmap from node RAM. v5.14 (a08a2ae34613): only an add of
 * exactly one memory block, with a memmap of whole PMDs leaving whole pageblocks; v6.8
 * (6b8f0798b85a): every block of any add, when the memmap is whole pageblocks and not the block.
 */
export function memmapOnMemory(x: Ctx, size: number): { pages: number } | { why: string } {
  const { f, g, state } = x.k;
  const pages = blockVmemmapPages(x);
  const blockPages = state.memoryBlockSize / g.pageSize;
  if (f.memmapOnMemory === 'one-block') {
    if (size !== state.memoryBlockSize)
      return {
        why: `${f.version} puts the memmap on the memory only for an add of exactly one memory block (${hex(state.memoryBlockSize)}); drivers do not ask for it otherwise, so the memmap comes from node RAM`,
      };
    if ((pages * g.pageSize) % g.pmdSize !== 0 || (blockPages - pages) % g.pageblockPages !== 0)
      return {
        why: `the block's memmap (${pages} pages) is not whole PMDs leaving whole pageblocks`,
      };
    return { pages };
  }
  if (pages % g.pageblockPages !== 0 || pages >= blockPages)
    return {
      why: `the block's memmap (${pages} pages) is not a whole number of pageblocks smaller than the block`,
    };
  return { pages };
}

/**
 * Why there is no memmap_on_memory at all: the release predates it (v5.14, a08a2ae34613), or the
 * arch does not select ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE in it (mm/Kconfig: MHP_MEMMAP_ON_MEMORY).
 */
export function memmapOnMemoryMissing(x: Ctx): string | undefined {
  const { f, g } = x.k;
  if (f.memmapOnMemory !== 'none') return undefined;
  return releaseOf(f) < 514
    ? `memmap_on_memory arrived in v5.14 (a08a2ae34613); ${f.version} has none`
    : `${g.arch} does not select ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE in ${f.version}, so there is no memmap_on_memory`;
}

/** Where a block goes online: ZONE_MOVABLE, the kernel zone, or as zone_for_pfn_range() picks for "online". */
export type OnlineZone = 'movable' | 'normal' | 'auto';

/**
 * Where add_memory() onlines new blocks (auto_online_blocks): nowhere, ZONE_MOVABLE, the kernel
 * zone, or where the online policy puts "online". online_kernel/online_movable exist from v5.7
 * (5f47adf762b7), the auto-movable policy from v5.15 (e83a437faa62); an older kernel refuses them.
 */
export function autoOnlineZone(x: Ctx): { zone?: OnlineZone } | { error: string } {
  const { f, state } = x.k;
  const policy = state.autoOnline;
  if (!f.autoOnlineTypes && (policy === 'online_kernel' || policy === 'online_movable')) {
    return {
      error: `auto_online_blocks=${policy}: ${f.version} takes only online or offline (online types came in v5.7, 5f47adf762b7)`,
    };
  }
  if (!f.autoMovablePolicy && state.onlinePolicy === 'auto-movable') {
    return {
      error: `memory_hotplug.online_policy=auto-movable: ${f.version} has no online policies (they came in v5.15, e83a437faa62)`,
    };
  }
  return {
    zone:
      policy === 'offline'
        ? undefined
        : policy === 'online_movable'
          ? 'movable'
          : policy === 'online_kernel'
            ? 'normal'
            : 'auto',
  };
}

/** auto_movable_ratio's default: ZONE_MOVABLE may hold 301% of the kernel zones' boot memory. */
const AUTO_MOVABLE_RATIO = 301;

/**
 * zone_for_pfn_range() for "online" (MMOP_ONLINE). contig-zones (default_zone_for_pfn()): the zone
 * the block already lies in when it touches only one of kernel and movable, else the kernel zone
 * (movable_node is not modelled). auto-movable (auto_movable_zone_for_pfn()): the add is one static
 * memory group (an ACPI device, a dax device); ZONE_MOVABLE while all of the group still to be
 * onlined fits the ratio of movable to boot kernel memory, machine-wide and on the node, and the
 * kernel zone once any of the group went there.
 */
function zoneForOnline(
  x: Ctx,
  nid: number,
  pfn: number,
  nr: number,
  group: [number, number],
): 'movable' | 'normal' {
  const { state, g } = x.k;
  if (state.onlinePolicy === 'contig-zones') {
    const touches = (zone: ZoneName) => {
      const z = state.zones.get(`${nid}:${zone}`);
      return !!z && z.start < pfn + nr && pfn < z.end;
    };
    return !touches('Normal') && touches('Movable') ? 'movable' : 'normal';
  }
  const perBlock = state.memoryBlockSize / g.pageSize;
  let groupMovable = 0;
  for (const run of state.memoryBlocks.current.overlapping(group[0], group[1])) {
    if (run.value.state !== 'online') continue;
    if (run.value.zone !== 'Movable') return 'normal';
    groupMovable += (Math.min(run.end, group[1]) - Math.max(run.start, group[0])) * perBlock;
  }
  const need = (group[1] - group[0]) * perBlock - groupMovable;
  const fits = (node?: number) => {
    let kernelEarly = 0;
    let movable = 0;
    for (const n of state.nodes)
      if (node === undefined || n.id === node)
        for (const r of n.ram) kernelEarly += (r.end - r.start) / g.pageSize;
    for (const run of state.memoryBlocks.current.overlapping(0, Number.MAX_SAFE_INTEGER)) {
      if (
        run.value.state === 'online' &&
        run.value.zone === 'Movable' &&
        (node === undefined || run.value.node === node)
      )
        movable += (run.end - run.start) * perBlock;
    }
    return movable + need <= (AUTO_MOVABLE_RATIO * kernelEarly) / 100;
  };
  return fits() && fits(nid) ? 'movable' : 'normal';
}

/**
 * add_memory(): lock_device_hotplug(), add_memory_resource(): sections and offline blocks. The
 * resource is "System RAM" unless a driver names it (add_memory_driver_managed(), v5.8). With
 * `vmemmapPages`, each block's memmap comes from its own first pages (an altmap per block). With
 * `autoOnline` (auto_online_blocks), the new blocks are onlined there, still under
 * device_hotplug_lock (walk_memory_blocks(..., online_memory_block)).
 */
export function* addMemory(
  x: Ctx,
  nid: number,
  start: number,
  size: number,
  resource = 'System RAM',
  vmemmapPages?: number,
  autoOnline?: OnlineZone,
): Path<number> {
  const { locks, state, g } = x.k;
  return yield* span(
    x,
    resource === 'System RAM' ? 'add_memory' : 'add_memory_driver_managed',
    { node: nid, pfn: start / g.pageSize, pages: size / g.pageSize },
    function* (id) {
      if (!checkHotplugMemoryRange(x, start, size)) return EINVAL;
      yield* acquire(x, locks.deviceHotplug, 'write');
      const pfn = start / g.pageSize;
      const nr = size / g.pageSize;
      yield* memHotplugBegin(x, [pfn, pfn + nr]);
      const [b0, b1] = blocksOf(x, start, size);
      const perBlock = state.memoryBlockSize / g.pageSize;
      let err = 0;
      if (vmemmapPages === undefined) {
        err = yield* archAddMemory(x, nid, pfn, nr);
      } else {
        // create_altmaps_and_memory_blocks(): arch_add_memory() block by block, each with its altmap.
        for (let b = b0; b < b1 && !err; b++) {
          const altmap: Altmap = {
            basePfn: b * perBlock,
            reserve: 0,
            free: vmemmapPages,
            alloc: 0,
            align: 0,
          };
          err = yield* archAddMemory(x, nid, b * perBlock, perBlock, altmap);
          if (!err) state.blockAltmaps.set(b, altmap);
        }
      }
      if (!err) {
        state.resources.push({ start, end: start + size, name: resource, node: nid });
        yield* work(x, id, [['memoryBlockDevice', b1 - b0]]);
        state.memoryBlocks.change({
          step: x.step,
          t: x.k.sched.now,
          start: b0,
          end: b1,
          by: 'create_memory_block_devices',
          apply: () => ({ state: 'offline', node: nid, vmemmapPages }),
        });
      }
      yield* memHotplugDone(x);
      if (!err && autoOnline) yield* onlineMemory(x, start, size, autoOnline, true);
      yield* release(x, locks.deviceHotplug);
      return err;
    },
  );
}

/** echo online_movable > memoryN/state, block by block: online_pages() per block. */
export function* onlineMemory(
  x: Ctx,
  start: number,
  size: number,
  zone: OnlineZone,
  deviceLocked = false,
): Path<number> {
  const { state } = x.k;
  const perBlock = state.memoryBlockSize / x.k.g.pageSize;
  const group = blocksOf(x, start, size);
  return yield* forEachBlock(
    x,
    start,
    size,
    'offline',
    deviceLocked,
    function* (block, nid, vmemmapPages) {
      const picked = zone === 'auto' ? zoneForOnline(x, nid, block, perBlock, group) : zone;
      const zoneName: ZoneName = picked === 'movable' ? 'Movable' : 'Normal';
      // memory_block_online(): the block's own memmap pages first (mhp_init_memmap_on_memory():
      // in the zone, never to the buddy allocator), then online_pages() for the rest.
      if (vmemmapPages) {
        yield* span(
          x,
          'mhp_init_memmap_on_memory',
          { pfn: block, pages: vmemmapPages, zone: zoneName },
          function* () {
            yield* movePfnRangeToZone(x, nid, zoneName, block, vmemmapPages);
          },
        );
      }
      const pfn = block + (vmemmapPages ?? 0);
      const nr = x.k.state.memoryBlockSize / x.k.g.pageSize - (vmemmapPages ?? 0);
      yield* span(x, 'online_pages', { pfn, pages: nr, zone: zoneName }, function* (id) {
        yield* movePfnRangeToZone(x, nid, zoneName, pfn, nr);
        yield* work(x, id, [['onlinePagePerPage', nr]]);
        // generic_online_page() frees every page to the buddy allocator.
        x.k.state.pages.change({
          step: x.step,
          t: x.k.sched.now,
          start: pfn,
          end: pfn + nr,
          by: 'generic_online_page',
          apply: (o) => o && { ...o, flags: [], refcount: 0 },
        });
        setSectionsOnline(x, block, nr + (vmemmapPages ?? 0), true);
      });
      return { state: 'online' as const, zone: zoneName, node: nid, vmemmapPages };
    },
  );
}

/**
 * echo offline > memoryN/state: offline_pages() isolates, migrates, and poisons the memmap. A
 * block's own memmap pages (memmap_on_memory) are not offlined with it: memory_block_offline()
 * starts offline_pages() after them. The first block that cannot go offline ends the walk.
 */
export function* offlineMemory(x: Ctx, start: number, size: number): Path<number> {
  return yield* forEachBlock(x, start, size, 'online', false, function* (block, nid, vmemmapPages) {
    const self = vmemmapPages ?? 0;
    const pfn = block + self;
    const nr = x.k.state.memoryBlockSize / x.k.g.pageSize - self;
    const err = yield* span(x, 'offline_pages', { pfn, pages: nr }, function* (id) {
      const busy = yield* isolateAndMigrate(x, pfn, nr);
      if (busy) return busy;
      yield* work(x, id, [['offlinePagePerPage', nr]]);
      const zone = x.k.state.pages.get(pfn)?.zone ?? 'Movable';
      yield* removePfnRangeFromZone(x, zone, pfn, nr);
      x.k.state.pages.change({
        step: x.step,
        t: x.k.sched.now,
        start: pfn,
        end: pfn + nr,
        by: 'page_init_poison',
        apply: () => undefined,
      });
      setSectionsOnline(x, block, nr + self, false);
      info(x, `Offlined Pages ${nr}`, { pages: nr }, x.k.f.offlinedPagesLog);
      return 0;
    });
    if (err) return err;
    // mhp_deinit_memmap_on_memory(): the block's own memmap pages leave the zone after the rest.
    if (self) {
      yield* span(x, 'mhp_deinit_memmap_on_memory', { pfn: block, pages: self }, function* () {
        yield* removePfnRangeFromZone(
          x,
          x.k.state.pages.get(block)?.zone ?? 'Movable',
          block,
          self,
        );
        x.k.state.pages.change({
          step: x.step,
          t: x.k.sched.now,
          start: block,
          end: block + self,
          by: 'page_init_poison',
          apply: () => undefined,
        });
      });
    }
    return { state: 'offline' as const, node: nid, vmemmapPages };
  });
}

/**
 * remove_memory(): a range that is not whole memory blocks is a BUG_ON in every version
 * (check_hotplug_memory_range()). It takes device_hotplug_lock first; every block must be offline
 * (check_memblock_offlined_cb()), else BUG() with both hotplug locks held before v5.3 and -EBUSY
 * from v5.3 (eca499ab3749). The check ran inside mem_hotplug_begin() until v5.6 (f1037ec0cc8a),
 * so a refused remove took mem_hotplug_lock too; after it, only device_hotplug_lock.
 */
export function* removeMemory(
  x: Ctx,
  start: number,
  size: number,
  resource = 'System RAM',
): Path<number> {
  const { locks, state, g, f } = x.k;
  return yield* span(
    x,
    'remove_memory',
    { pfn: start / g.pageSize, pages: size / g.pageSize },
    function* () {
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
        x.k.rec.printk({
          level: 'warn',
          code: 'memory-still-online',
          step: x.step,
          thread: x.t.id,
          text: `removing memory fails, because memory [${pa(begin)}-${pa(begin + state.memoryBlockSize - 1)}] is onlined`,
        });
        if (f.removeOnlineMemory === 'bug') {
          kernelBug(x, 'memory-still-online', 'mm/memory_hotplug.c', 'remove_memory');
          throw new KernelOops('remove_memory: BUG() on an online memory block');
        }
        if (underHotplugLock) yield* memHotplugDone(x);
        yield* release(x, locks.deviceHotplug);
        return EBUSY;
      }
      if (!underHotplugLock) yield* memHotplugBegin(x, [pfn, pfn + nr]);
      state.memoryBlocks.change({
        step: x.step,
        t: x.k.sched.now,
        start: b0,
        end: b1,
        by: 'remove_memory_block_devices',
        apply: () => undefined,
      });
      // arch_remove_memory() is void: its WARNs are the only sign of trouble, remove_memory() succeeds.
      // Blocks that carry their own memmap go one by one with their altmap
      // (remove_memory_blocks_and_altmaps()).
      const perBlock = state.memoryBlockSize / g.pageSize;
      if (state.blockAltmaps.has(b0)) {
        for (let b = b0; b < b1; b++) {
          yield* archRemoveMemory(x, b * perBlock, perBlock, state.blockAltmaps.get(b));
          state.blockAltmaps.delete(b);
        }
      } else {
        yield* archRemoveMemory(x, pfn, nr);
      }
      const i = state.resources.findIndex(
        (r) => r.name === resource && r.start === start && r.end === start + size,
      );
      if (i >= 0) state.resources.splice(i, 1);
      yield* memHotplugDone(x);
      yield* release(x, locks.deviceHotplug);
      return 0;
    },
  );
}

/**
 * Runs `body` per memory block in the range that is in state `from`, each under the locks (the
 * caller may hold device_hotplug_lock already), with the block's first pfn, node and own memmap pages.
 */
function* forEachBlock(
  x: Ctx,
  start: number,
  size: number,
  from: 'online' | 'offline',
  deviceLocked: boolean,
  body: (pfn: number, nid: number, vmemmapPages: number | undefined) => Path<MemoryBlock | number>,
): Path<number> {
  const { locks, state, g } = x.k;
  if (!checkHotplugMemoryRange(x, start, size)) return EINVAL;
  const [b0, b1] = blocksOf(x, start, size);
  const perBlock = state.memoryBlockSize / g.pageSize;
  let done = 0;
  for (let b = b0; b < b1; b++) {
    const block = state.memoryBlocks.get(b);
    if (!block || block.state !== from) continue;
    if (!deviceLocked) yield* acquire(x, locks.deviceHotplug, 'write');
    yield* memHotplugBegin(x, [b * perBlock, (b + 1) * perBlock]);
    const next = yield* body(b * perBlock, block.node, block.vmemmapPages);
    if (typeof next !== 'number') {
      state.memoryBlocks.change({
        step: x.step,
        t: x.k.sched.now,
        start: b,
        end: b + 1,
        by: from === 'offline' ? 'online_pages' : 'offline_pages',
        apply: () => next,
      });
    }
    yield* memHotplugDone(x);
    if (!deviceLocked) yield* release(x, locks.deviceHotplug);
    if (typeof next === 'number') return next;
    done++;
  }
  return done > 0 ? 0 : EINVAL;
}

function setSectionsOnline(x: Ctx, pfn: number, nr: number, online: boolean): void {
  const { g, state } = x.k;
  const s0 = pfnToSection(g, pfn);
  const s1 = pfnToSection(g, pfn + nr - 1) + 1;
  state.sections.change({
    step: x.step,
    t: x.k.sched.now,
    start: s0,
    end: s1,
    by: online ? 'online_mem_sections' : 'offline_mem_sections',
    apply: (o) => o && { ...o, online },
  });
}
