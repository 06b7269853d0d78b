/**
 * The cost model: virtual nanoseconds per unit of kernel work. These are the emulator's inputs;
 * init times, lock holds and totals are outputs. The defaults were fitted once so that the machine
 * of the "mm: Defer ZONE_DEVICE page initialization" and "Deferred page init improvements" threads
 * (x86_64, 384 GB RAM + 3 TiB pmem per node, 2018) lands on the figures published there;
 * `memmap-lab calibrate` fits them to another machine's dmesg.
 */
export const COST_DOCS = {
  pageInitCpu:
    'CPU work per struct page in a page-at-a-time init loop (__init_single_page and its checks)',
  pageInitCpuPageblock: 'CPU work per struct page in the pageblock-at-a-time init loop',
  structPageStoreDram: 'writing one 64-byte struct page to a memmap in DRAM',
  structPageStorePmem: 'writing one 64-byte struct page to a memmap on persistent memory (altmap)',
  pageblockInit: 'per pageblock: set_pageblock_migratetype() and cond_resched()',
  pgmapLoopPerPage:
    "v4.18's second loop: page->pgmap, hmm_data and percpu_ref_get() per device page",
  putPagePerPage: 'teardown before v5.18: put_page() on one device page',
  freePagePerPage: 'deferred init: freeing one page to the buddy allocator',
  freeMaxOrderBlock: 'deferred init (pageblock series): freeing one max-order block',
  sectionAdd: 'sparse_add_section(): usage block, section map, per section',
  sectionRemove: 'sparse_remove_section(), per section',
  vmemmapPageDram: 'vmemmap_populate(): allocate and map one vmemmap page from node RAM',
  vmemmapPageAltmap: 'vmemmap_populate(): take one vmemmap page from the device altmap and map it',
  linearMapPerGiB: 'arch_add_memory(): init_memory_mapping() of the direct map, per GiB',
  lockAcquire: 'an uncontended lock or unlock',
  percpuRwsemWrite: 'percpu_down_write(): rcu_sync to switch readers to the slow path',
  refOp: 'one percpu_ref_get_many()/put_many() or get_dev_pagemap() call',
  pageOp: 'one page-level operation on one page (get_page, put_page, a PTE insert)',
  memoryBlockDevice: 'registering one memory block device (RAM hotplug)',
  onlinePagePerPage: 'online_pages(): generic_online_page() freeing one page',
  offlinePagePerPage: 'offline_pages(): isolating and scanning one page',
  migratePage: 'offline_pages(): do_migrate_range() moving one LRU page (a new page, copy, remap)',
  bootSectionInit: 'boot: memblock-allocated memmap and section set-up, per section',
  rcuGracePeriod: 'an RCU grace period: percpu_ref_kill() switches the ref to atomic after one',
} as const;

export type CostName = keyof typeof COST_DOCS;
export type Costs = Record<CostName, number>;

export interface CostProfile {
  name: string;
  costs: Costs;
}

export const DEFAULT_COSTS: Costs = {
  pageInitCpu: 14.53,
  pageInitCpuPageblock: 8.16,
  structPageStoreDram: 2.0,
  structPageStorePmem: 15.72,
  pageblockInit: 120,
  pgmapLoopPerPage: 24.8,
  putPagePerPage: 6,
  freePagePerPage: 20.7,
  freeMaxOrderBlock: 200,
  sectionAdd: 2500,
  sectionRemove: 1500,
  vmemmapPageDram: 180,
  vmemmapPageAltmap: 90,
  linearMapPerGiB: 40_000,
  lockAcquire: 50,
  percpuRwsemWrite: 25_000,
  refOp: 40,
  pageOp: 25,
  memoryBlockDevice: 30_000,
  onlinePagePerPage: 22,
  offlinePagePerPage: 30,
  migratePage: 1500,
  bootSectionInit: 3000,
  rcuGracePeriod: 8_000_000,
};

export const DEFAULT_PROFILE: CostProfile = { name: 'default', costs: DEFAULT_COSTS };

export function isCostName(name: string): name is CostName {
  return Object.prototype.hasOwnProperty.call(COST_DOCS, name);
}
