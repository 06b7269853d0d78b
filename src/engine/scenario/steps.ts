import { isMap, isScalar, type Node } from 'yaml';
import { GFPS, type Step, type StepOp, type StepSpec } from './model';
import type { Fields, Reader } from './reader';
import { readPfnRef } from './pfnRef';
import { MAX_PHYS_BYTES } from '../units';
import type { DeviceNames } from './deviceNames';

/** Each step's arguments: the keys it takes, and how to read them. */
const STEP_KEYS: Record<StepOp, readonly string[]> = {
  boot: [],
  probe: [],
  remove: [],
  get_dev_pagemap: ['device', 'pfn', 'count'],
  put_dev_pagemap: ['device', 'count'],
  map: ['device', 'pfn', 'pages'],
  unmap: ['device', 'pfn', 'pages'],
  get_page: ['device', 'pfn', 'count'],
  put_page: ['device', 'pfn', 'count'],
  add_memory: ['node', 'start', 'size', 'memmap_on_memory'],
  online: ['start', 'size', 'zone'],
  offline: ['start', 'size'],
  remove_memory: ['start', 'size'],
  reconfigure: ['device', 'mode', 'online', 'memmap_on_memory'],
  alloc_pages: ['pfn', 'pages', 'gfp'],
};

export const STEP_OPS = Object.keys(STEP_KEYS) as StepOp[];

/** What each step does in kernel terms: the path it runs. */
export const STEP_DOCS: Record<StepOp, string> = {
  boot: 'Boot: memblock memmap for RAM (early sections), then deferred struct page init per node (`pgdatinit`, or padata jobs).',
  probe: 'Bind the devices: `nd_pfn_probe()` → `devm_memremap_pages()` → `memremap_pages()` → `pagemap_range()`: `arch_add_memory()` under `mem_hotplug_lock`, `move_pfn_range_to_zone()`, then `memmap_init_zone_device()`.',
  remove: 'Unbind: `memunmap_pages()` — `percpu_ref_kill()`, put the map-time references, `wait_for_completion(&pgmap->done)`, then `arch_remove_memory()` under the hotplug lock.',
  get_dev_pagemap: '`get_dev_pagemap(pfn)`: find the pgmap covering the pfn and take `count` references on its percpu_ref.',
  put_dev_pagemap: '`put_dev_pagemap()`: drop `count` pgmap references; teardown waits until every one is dropped.',
  map: 'Map device pages into a process: `insert_pfn()`/`vmf_insert_mixed()` for fs-dax, `zone_device_page_init()` for PRIVATE/COHERENT.',
  unmap: '`zap_pte_range()`: unmap the pages and drop what `map` took.',
  get_page: '`get_page()` on a struct page (a `VM_BUG_ON_PAGE` if its refcount is 0).',
  put_page: '`put_page()` on a struct page; ZONE_DEVICE pages go back to their driver (`page_free`) at the idle count.',
  add_memory: '`add_memory(nid, start, size)`: hot-add RAM (ACPI, virtio-mem, kmem): memory block devices, `arch_add_memory()`, pages stay offline. `memmap_on_memory: true` puts each block\'s memmap at its own start (v5.14: an add of one block only; v6.8: every block) where the arch selects ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE (x86_64 and arm64 from v5.14, ppc64 radix v6.6, s390 v6.9, riscv v6.11).',
  online: '`online_pages()` (`echo online_movable > /sys/devices/system/memory/memoryN/state`): the pages go to the buddy allocator.',
  offline: '`offline_pages()`: isolate, migrate and take the pages out of the buddy allocator. An unmovable page (a `GFP_KERNEL` allocation outside ZONE_MOVABLE) fails isolation with -EBUSY; a page with an extra reference (`get_page`) fails migration on every pass, and the write blocks until a signal (-EINTR).',
  remove_memory: '`remove_memory()`/`try_remove_memory()`: every block must be offline; `arch_remove_memory()` frees the memmap.',
  reconfigure: '`daxctl reconfigure-device --mode=system-ram|devdax`: unbind device_dax (`memunmap_pages()`) and hand the range, memory-block aligned inward, to kmem (`add_memory_driver_managed()`, then online as `online:` says, movable by default as daxctl does); or back: `remove_memory()` (every block offline) and device_dax maps it again. `memmap_on_memory: true` writes the dax device\'s `memmap_on_memory` attribute first (v6.9+): each block\'s memmap on its own first pages.',
  alloc_pages: '`alloc_pages(gfp)` handing out the free pages `pfn`+`pages` with one reference each: `GFP_KERNEL` (slab, page tables: unmovable, never from ZONE_MOVABLE) or `GFP_HIGHUSER_MOVABLE` (a user page on the LRU, which offline migrates).',
};

/** The steps; `devices` reads the device names they use. */
export function parseSteps(r: Reader, node: Node | null | undefined, limit: number, devices: DeviceNames): Step[] | undefined {
  const items = r.list(node, 'steps');
  if (!items) return undefined;
  if (items.length > limit) {
    r.report(node, `${items.length} steps; the limit is ${limit}`);
    return undefined;
  }
  const steps: Step[] = [];
  items.forEach((item, index) => {
    const step = parseStep(devices, item, index);
    if (step) steps.push(step);
  });
  return steps;
}

function parseStep(d: DeviceNames, item: Node, index: number): Step | undefined {
  const r = d.r;
  const span = r.span(item);
  if (isScalar(item)) {
    const op = r.oneOf(item, ['boot'] as const, 'step (only boot takes no arguments)');
    return op ? { op, index, span, fields: {} } : undefined;
  }
  if (!isMap(item) || item.items.length !== 1) {
    r.report(item, 'a step is one operation: `- boot` or `- probe: [pmem0]`, `- remove: pmem0`, …');
    return undefined;
  }
  const pair = item.items[0];
  const op = r.oneOf(pair.key as Node, STEP_OPS, 'step');
  if (!op) return undefined;
  const arg = pair.value as Node | null;
  if (op === 'boot') return { op, index, span, fields: {} };
  if (op === 'probe' || op === 'remove') {
    const devices = deviceList(d, arg, op);
    return devices ? { op, devices, index, span, fields: {} } : undefined;
  }
  const f = r.fields(arg, STEP_KEYS[op], `${op}`);
  if (!f) return undefined;
  const spec = readArgs(d, op, f);
  return spec ? ({ ...spec, index, span, fields: f.spans() } as Step) : undefined;
}

function deviceList(d: DeviceNames, node: Node | null, op: string): string[] | undefined {
  const r = d.r;
  if (isScalar(node)) {
    const name = d.read(node, `${op} device`);
    return name === undefined ? undefined : [name];
  }
  const items = r.list(node, `${op} devices`);
  const names = items?.map((n) => d.read(n, `${op} device`));
  if (!names || names.length === 0 || names.some((n) => n === undefined)) {
    if (names?.length === 0) r.report(node, `${op} needs at least one device`);
    return undefined;
  }
  return names as string[];
}

function readArgs(d: DeviceNames, op: Exclude<StepOp, 'boot' | 'probe' | 'remove'>, f: Fields): StepSpec | undefined {
  const r = d.r;
  const spec = readArgsOnly(d, op, f);
  if (spec && 'start' in spec && spec.start + spec.size > MAX_PHYS_BYTES) {
    r.report(f.node, `${op}: the range ends beyond the 52-bit physical address space (4 PiB)`);
    return undefined;
  }
  return spec;
}

function readArgsOnly(d: DeviceNames, op: Exclude<StepOp, 'boot' | 'probe' | 'remove'>, f: Fields): StepSpec | undefined {
  const r = d.r;
  const count = (key: string) => (f.has(key) ? r.integer(f.value(key), key, 1, 2 ** 40) : 1);
  switch (op) {
    case 'get_dev_pagemap': {
      const device = d.read(f.required('device', op), 'device');
      const pfn = readPfnRef(r, f.required('pfn', op), device);
      const n = count('count');
      return device !== undefined && pfn && n ? { op, device, pfn, count: n } : undefined;
    }
    case 'put_dev_pagemap': {
      const device = d.read(f.required('device', op), 'device');
      const n = count('count');
      return device !== undefined && n ? { op, device, count: n } : undefined;
    }
    case 'map':
    case 'unmap': {
      const device = d.read(f.required('device', op), 'device');
      const pfn = readPfnRef(r, f.required('pfn', op), device);
      const pages = count('pages');
      return device !== undefined && pfn && pages ? { op, device, pfn, pages } : undefined;
    }
    case 'get_page':
    case 'put_page': {
      const device = f.has('device') ? d.read(f.value('device'), 'device') : undefined;
      const pfn = readPfnRef(r, f.required('pfn', op), device);
      const n = count('count');
      return pfn && n ? { op, device, pfn, count: n } : undefined;
    }
    case 'add_memory': {
      const node = r.integer(f.required('node', op), 'node', 0, 1023);
      const start = r.address(f.required('start', op), 'start');
      const size = nonZero(r, f, r.size(f.required('size', op), 'size'));
      const memmapOnMemory = flag(r, f, 'memmap_on_memory');
      return node !== undefined && start !== undefined && size && memmapOnMemory !== undefined ? { op, node, start, size, memmapOnMemory } : undefined;
    }
    case 'online': {
      const start = r.address(f.required('start', op), 'start');
      const size = nonZero(r, f, r.size(f.required('size', op), 'size'));
      const zone = f.has('zone') ? r.oneOf(f.value('zone'), ['movable', 'normal'] as const, 'zone') : 'movable';
      return start !== undefined && size && zone ? { op, start, size, zone } : undefined;
    }
    case 'reconfigure': {
      const device = d.read(f.required('device', op), 'device');
      const mode = r.oneOf(f.required('mode', op), ['system-ram', 'devdax'] as const, 'mode');
      const online = f.has('online') ? r.oneOf(f.value('online'), ['movable', 'normal', 'none'] as const, 'online') : 'movable';
      const memmapOnMemory = flag(r, f, 'memmap_on_memory');
      return device !== undefined && mode && online && memmapOnMemory !== undefined ? { op, device, mode, online, memmapOnMemory } : undefined;
    }
    case 'alloc_pages': {
      const pfn = readPfnRef(r, f.required('pfn', op), undefined);
      const pages = count('pages');
      const gfp = r.oneOf(f.required('gfp', op), GFPS, 'gfp');
      return pfn && pages && gfp ? { op, pfn, pages, gfp } : undefined;
    }
    case 'offline':
    case 'remove_memory': {
      const start = r.address(f.required('start', op), 'start');
      const size = nonZero(r, f, r.size(f.required('size', op), 'size'));
      return start !== undefined && size ? { op, start, size } : undefined;
    }
  }
}

/** An optional boolean key, false when absent. */
function flag(r: Reader, f: Fields, key: string): boolean | undefined {
  return f.has(key) ? r.boolean(f.value(key), key) : false;
}

/** A zero size is a mistake to report, not a step to drop silently. */
function nonZero(r: Reader, f: Fields, size: number | undefined): number | undefined {
  if (size !== 0) return size;
  r.report(f.value('size'), 'size must be more than 0');
  return undefined;
}
