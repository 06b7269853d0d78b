import type { Ctx, Path } from '../runtime/context';
import { span } from '../runtime/context';
import type { DeviceRuntime } from '../runtime/device';
import { info } from '../runtime/printk';
import { memremapPages, memunmapPages } from '../mm/memremap';
import {
  addMemory,
  autoOnlineZone,
  memmapOnMemory,
  memmapOnMemoryMissing,
  onlineMemory,
  removeMemory,
} from '../mm/ramHotplug';
import { hex } from '../units';
import { newPgmap } from './probe';

/** The device-dax range a devdax namespace exports: its data pages, after the info block and memmap. */
function daxRange(x: Ctx, dev: DeviceRuntime): { start: number; end: number } {
  const { pageSize } = x.k.g;
  const start = dev.layout!.dataPfn * pageSize;
  return { start, end: start + dev.layout!.npfns * pageSize };
}

/** dax_kmem_range(): the range memory-block aligned inward; undefined when nothing is left. */
function kmemRange(x: Ctx, dev: DeviceRuntime): { start: number; end: number } | undefined {
  const bs = x.k.state.memoryBlockSize;
  const r = daxRange(x, dev);
  const start = Math.ceil(r.start / bs) * bs;
  const end = Math.floor(r.end / bs) * bs;
  return start < end ? { start, end } : undefined;
}

function devWarn(x: Ctx, dev: DeviceRuntime, text: string): void {
  x.k.rec.printk({
    level: 'warn',
    code: 'probe-failed',
    text: `kmem ${dev.devName}: ${text}`,
    step: x.step,
    device: x.device,
    node: x.t.node,
    thread: x.t.id,
  });
}

/** %pR of the DAX region, as the kmem messages before v5.10 print it. */
function regionText(x: Ctx, dev: DeviceRuntime): string {
  const r = daxRange(x, dev);
  return `[mem ${hex(r.start)}-${hex(r.end - 1)} flags 0x200]`;
}

/**
 * `daxctl reconfigure-device --mode=system-ram`: device_dax lets go of the range
 * (memunmap_pages()), then dev_dax_kmem_probe() (drivers/dax/kmem.c) requests the range
 * memory-block aligned inward under the device's name and hot-adds it as System RAM, the blocks
 * offline unless auto_online_blocks onlines them; daxctl then onlines the rest (ZONE_MOVABLE unless
 * told otherwise). Returns an error text.
 */
export function* kmemProbe(
  x: Ctx,
  dev: DeviceRuntime,
  online: 'movable' | 'normal' | 'none',
  withMemmap = false,
): Path<string | undefined> {
  const { f, state } = x.k;
  return yield* span(x, 'dev_dax_kmem_probe', { node: dev.spec.node }, function* () {
    // As for a remove: a reference still held keeps memunmap_pages() waiting on pgmap->done.
    dev.state = 'removing';
    yield* memunmapPages(x, dev.pgmap!);
    dev.pgmap = undefined;
    dev.state = 'system-ram';
    const range = kmemRange(x, dev);
    if (!range) {
      const r = daxRange(x, dev);
      const why = `${dev.devName} holds no whole memory block (${hex(state.memoryBlockSize)})`;
      // Before v5.10 dev_dax_kmem_probe() goes on with an empty range; what it then prints is not modelled.
      if (f.kmemLog !== 'mapping')
        return `${why}; what ${f.version} prints for such a region is not modelled`;
      info(
        x,
        `kmem ${dev.devName}: mapping0: ${hex(r.start)}-${hex(r.end - 1)} too small after alignment`,
      );
      devWarn(x, dev, 'rejecting DAX region without any memory after alignment');
      return `${why}: kmem refuses it (-EINVAL)`;
    }
    const auto = autoOnlineZone(x);
    if ('error' in auto) return auto.error;
    const carve = withMemmap ? memmapOnMemory(x, range.end - range.start) : undefined;
    // memmap_on_memory_store() (drivers/dax/bus.c) refuses the write when
    // mhp_supports_memmap_on_memory() does not hold (-EOPNOTSUPP).
    if (carve && 'why' in carve)
      return `echo 1 > ${dev.devName}/memmap_on_memory fails (-EOPNOTSUPP): ${carve.why}`;
    state.resources.push({
      start: range.start,
      end: range.end,
      name: dev.devName,
      node: dev.spec.node,
    });
    const err = yield* addMemory(
      x,
      dev.spec.node,
      range.start,
      range.end - range.start,
      f.kmemRamName,
      carve?.pages,
      auto.zone,
    );
    if (err) return `add_memory for ${dev.devName} failed: ${err}`;
    if (online !== 'none') yield* onlineMemory(x, range.start, range.end - range.start, online);
    return undefined;
  });
}

/**
 * Why kmem cannot put a devdax namespace's memmap on its own memory: dev_dax_kmem_probe() passes
 * MHP_MEMMAP_ON_MEMORY from v6.8 (4eca0ef49af9 "dax/kmem: allow kmem to add memory with
 * memmap_on_memory") only for dax devices that ask for it, which in v6.8 only CXL regions do
 * (drivers/dax/cxl.c); the per-device memmap_on_memory attribute came in v6.9.
 */
export function kmemMemmapRefused(x: Ctx): string | undefined {
  const { f } = x.k;
  if (f.kmemMemmapOnMemory === 'none')
    return `${f.version}'s kmem never asks for memmap_on_memory (MHP_MEMMAP_ON_MEMORY from v6.8, 4eca0ef49af9; for devdax namespaces from v6.9)`;
  if (f.kmemMemmapOnMemory === 'cxl-only')
    return `${f.version}'s kmem asks for memmap_on_memory only for CXL dax regions (drivers/dax/cxl.c); a devdax namespace has no memmap_on_memory attribute before v6.9`;
  return memmapOnMemoryMissing(x);
}

/**
 * `daxctl reconfigure-device --mode=devdax`: dev_dax_kmem_remove() takes the memory out
 * (remove_memory(): every block must be offline), then device_dax maps the range again. Before
 * v5.3 kmem cannot remove memory at all; a block still online keeps it System RAM until reboot.
 */
export function* kmemRemove(x: Ctx, dev: DeviceRuntime): Path<string | undefined> {
  const { f, state } = x.k;
  if (f.kmem === 'add-only') {
    return `kmem in ${f.version} cannot hot-remove memory (dev_dax_kmem_remove() keeps the region until reboot; hot-remove came in v5.3, 9f960da72b25)`;
  }
  return yield* span(x, 'dev_dax_kmem_remove', { node: dev.spec.node }, function* () {
    const range = kmemRange(x, dev);
    if (range) {
      const err = yield* removeMemory(x, range.start, range.end - range.start, f.kmemRamName);
      if (err) {
        x.k.rec.printk({
          level: 'warn',
          code: 'memory-still-online',
          step: x.step,
          device: x.device,
          node: x.t.node,
          thread: x.t.id,
          text:
            f.kmemLog === 'mapping'
              ? `kmem ${dev.devName}: mapping0: ${hex(range.start)}-${hex(range.end - 1)} cannot be hotremoved until the next reboot`
              : `kmem ${dev.devName}: DAX region ${regionText(x, dev)} cannot be hotremoved until the next reboot`,
        });
        return `${dev.devName}: its memory is still online, so it stays System RAM until the next reboot (remove_memory() -EBUSY)`;
      }
      const i = state.resources.findIndex((r) => r.name === dev.devName && r.start === range.start);
      if (i >= 0) state.resources.splice(i, 1);
    }
    const pgmap = newPgmap(x, dev);
    const err = yield* memremapPages(x, pgmap);
    dev.state = err ? 'failed' : 'live';
    return err ? `${dev.devName}: devm_memremap_pages returned ${err}` : undefined;
  });
}
