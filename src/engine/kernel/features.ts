/**
 * A kernel variant is a set of named features; every kernel path is written once and switches on
 * these, so a release is the features its commits gave it (kernel/switches.ts).
 */
export interface KernelFeatures {
  /** The release whose message formats and sizes apply (e.g. "v5.17"). */
  version: string;
  /**
   * Where ZONE_DEVICE struct pages are initialised.
   * - `under-lock-twice`: v4.18 — memmap_init_zone() for every page under mem_hotplug_lock, then a
   *   second per-page loop outside it that sets page->pgmap and takes a percpu_ref per page.
   * - `deferred`: v4.20 (966cf44f637e) — only the altmap's memmap pages under the lock; every device
   *   page once, outside, in memmap_init_zone_device(), then percpu_ref_get_many().
   * - `deferred-missing-ref`: the v5 patch as first merged, which lost the percpu_ref_get.
   */
  zoneDeviceInit: 'under-lock-twice' | 'deferred' | 'deferred-missing-ref';
  /** Granularity of hotplug: whole sections (pre-v5.3, ranges padded) or 2 MiB sub-sections. */
  hotplugUnit: 'section' | 'subsection';
  /**
   * The per-struct-page cost of the ZONE_DEVICE and hot-plug init loops: `page` (memset zeroing), or
   * `pageblock`: the "Deferred page init improvements" series' cost per page. Of that series the
   * store-by-store __mm_zero_struct_page() merged (v5.2) and speeds every loop; its
   * pageblock-at-a-time device init never merged, so v4.20-pageblock is a what-if.
   */
  memmapInit: 'page' | 'pageblock';
  /**
   * Boot RAM's deferred init: init and free a page at a time, or a MAX_ORDER block at a time
   * (deferred_init_maxorder()) with the store-by-store __mm_zero_struct_page().
   */
  deferredInitLoop: 'page' | 'maxorder';
  /** deferred_page_init_max_threads(): the node's CPUs on x86 only (1 elsewhere), or on every arch. */
  deferredInitThreads: 'x86-only' | 'every-arch';
  /** deferred_init_memmap() holds pgdat_resize_lock (IRQs off) for the whole init, or only to read first_deferred_pfn. */
  deferredInitLock: 'whole-init' | 'first-pfn';
  /** x86 probe_memory_block_size() at or above 64 GiB: the largest size the end of boot memory is aligned to, or 2 GiB on bare metal. */
  x86BlockSize: 'end-aligned' | 'bare-metal-max';
  /** remove_memory(): the online-block check runs inside mem_hotplug_begin(), or before it (device_hotplug_lock only). */
  removeMemoryCheck: 'under-hotplug-lock' | 'before-hotplug-lock';
  /** pgmap->vmemmap_shift and compound ZONE_DEVICE pages (v5.17). */
  compoundDevmap: boolean;
  /** Compound-page vmemmap tail reuse: off, on every arch (v5.17–v6.3), or arch opt-in (v6.4). */
  vmemmapOptimize: 'never' | 'any-arch' | 'arch-opt-in';
  /** memmap_init_zone_device() sets PG_reserved on device pages. */
  devicePagesReserved: boolean;
  /** Idle refcount of PRIVATE/COHERENT device pages: 1, or 0 from v6.1. */
  deviceRefcountBase: 1 | 0;
  /** Idle refcount of FS_DAX and PCI_P2PDMA pages: 1, or 0 once fs-dax refcounts its folios (v6.15). */
  fsdaxRefcountBase: 1 | 0;
  /** What an fs-dax fault (insert_pfn) takes: a pgmap reference only, or a page reference. */
  fsdaxMapRef: 'pgmap' | 'page';
  /** Teardown drops device refs with put_page() per page (pre-v5.18) or percpu_ref_put_many(). */
  teardownPut: 'per-page' | 'put-many';
  /** percpu_ref_get_many() skips PRIVATE/COHERENT, which take refs per allocation (v6.1). */
  refPerAllocationTypes: boolean;
  /** Boot: DEFERRED_STRUCT_PAGE_INIT off, one pgdatinit thread per node, or padata jobs. */
  deferredInit: 'off' | 'per-node' | 'padata';
  /** mem_hotplug_lock design: the global lock, the "init under read" what-if, or a range lock. */
  hotplugLock: 'global' | 'rwsem-init-read' | 'range';
  /** memmap_init_zone_device's log line: device name (v4.20–v5.3), function name (v5.4+), pr_debug. */
  deviceInitLog: 'none' | 'device-name' | 'function' | 'debug';
  /** Deferred init log: "node %d initialised, %lu pages in %ums" or "node %d deferred pages initialised in %ums". */
  deferredInitLog: 'pages' | 'deferred';
  /** Misaligned __add_pages WARN: v5.3–v6.4 "end: #%lx" typo, or "%#lx" (v6.5+). */
  misalignedWarn: 'typo' | 'fixed';
  /** A ZONE_DEVICE range that does not start/end on a section boundary taints the section (~v5.12). */
  taintZoneDevice: boolean;
  /** Hot-added RAM's memmap is initialised Reserved, or Offline (v6.11). */
  hotplugPageFlag: 'reserved' | 'offline';
  /** Zone span resize takes the zone span seqlock and pgdat_resize_lock (writers removed in v5.14). */
  spanSeqlock: boolean;
  /** Release function printed in the percpu-ref underflow WARN (%ps); before v5.3 pmem's (device-dax has its own). */
  pgmapRefRelease: string;
  /** remove_memory() of a range with an online block: BUG(), or -EBUSY (v5.3, eca499ab3749). */
  removeOnlineMemory: 'bug' | 'ebusy';
  /** The arch has ZONE_DEVICE (ARCH_HAS_ZONE_DEVICE, then ARCH_HAS_PTE_DEVMAP): without it no pgmap can be probed. */
  zoneDevice: boolean;
  /** The arch selects ARCH_WANT_OPTIMIZE_VMEMMAP (v6.4), then ARCH_WANT_OPTIMIZE_DAX_VMEMMAP (v6.6). */
  archVmemmapOpt: boolean;
  /** MEMORY_DEVICE_COHERENT exists (v6.0). */
  coherentPgmap: boolean;
  /** The hot-plug memmap init function's name: memmap_init_zone(), memmap_init_range() from v5.12. */
  memmapInitName: 'memmap_init_zone' | 'memmap_init_range';
  /** nd_pfn_init() refuses a namespace start not aligned to memremap_compat_align() (v5.7). */
  compatAlignCheck: boolean;
  /** The driver core's report of a failed probe: pr_warn "%s: probe of %s failed", or dev_err "probe with driver %s failed" (v6.9). */
  probeFailLog: 'pr-warn' | 'dev-err';
  /** offline_pages()'s "Offlined Pages %ld": pr_info, pr_debug from v5.11 (dynamic debug only). */
  offlinedPagesLog: 'info' | 'debug';
  /** drivers/dax/kmem.c: none; hot-add only (v5.1); hot-remove too (v5.3). */
  kmem: 'none' | 'add-only' | 'add-remove';
  /** The name of kmem's System RAM resource: "System RAM", "System RAM (kmem)" from v5.8. */
  kmemRamName: 'System RAM' | 'System RAM (kmem)';
  /** kmem's messages name the DAX region (%pR), or each mapping%d range from v5.10. */
  kmemLog: 'region' | 'mapping';
  /**
   * memory_hotplug.memmap_on_memory: the hot-added range's memmap carved from its own start —
   * for an add of exactly one memory block (v5.14), then per memory block of any add (v6.8).
   */
  memmapOnMemory: 'none' | 'one-block' | 'per-block';
  /** auto_online_blocks takes online_kernel and online_movable, not only online/offline (v5.7). */
  autoOnlineTypes: boolean;
  /** After the percpu_ref underflow WARN, pr_err("%s(): percpu_ref underflow") (v5.12). */
  refUnderflowErr: boolean;
  /** memory_hotplug.online_policy=auto-movable exists (v5.15). */
  autoMovablePolicy: boolean;
  /**
   * What a failed offline_pages() prints: nothing for a refused isolation and a bare pr_debug
   * "... failed" otherwise; or (v5.0) "... failed due to %s" and a dump_page() of the culprit.
   */
  offlineFailureLog: 'quiet' | 'reason';
  /**
   * dev_dax_kmem_probe() passes MHP_MEMMAP_ON_MEMORY: never; for CXL dax regions only (v6.8);
   * as the dax device's memmap_on_memory sysfs attribute says (v6.9).
   */
  kmemMemmapOnMemory: 'none' | 'cxl-only' | 'sysfs';
  /**
   * dump_page()'s first line (mm/debug.c): `count` "page:%px count:%d mapcount:%d mapping:%px
   * index:%#lx"; `refcount` (v5.2) the same with "refcount:"; `pfn` (v5.9) "page:%p refcount:…
   * index:%#lx pfn:%#lx"; `folio` (v6.9, __dump_folio()) "page: refcount:… pfn:%#lx".
   */
  dumpPageHeader: 'count' | 'refcount' | 'pfn' | 'folio';
  /**
   * get_page()'s VM_BUG check (include/linux/mm.h): `ref-count` page_ref_count(page) <= 0;
   * `overflow` (v5.1) page_ref_zero_or_close_to_overflow(page); `folio` (v5.16) folio_get()'s
   * VM_BUG_ON_FOLIO(folio_ref_zero_or_close_to_overflow(folio)).
   */
  getPageCheck: 'ref-count' | 'overflow' | 'folio';
  /**
   * The order of enum pageflags (include/linux/page-flags.h), named by the release that brought
   * it: PG_lru, PG_reserved and PG_head (the bits the emulator models) change place with it.
   */
  pageFlagBits: 'v4.18' | 'v4.20' | 'v6.6' | 'v6.10';
}

export type FeatureName = keyof KernelFeatures;

/** Allowed values per feature, for validation, hovers and completion. */
export const FEATURE_VALUES: { [K in FeatureName]: readonly KernelFeatures[K][] | 'string' } = {
  version: 'string',
  zoneDeviceInit: ['under-lock-twice', 'deferred', 'deferred-missing-ref'],
  hotplugUnit: ['section', 'subsection'],
  memmapInit: ['page', 'pageblock'],
  deferredInitLoop: ['page', 'maxorder'],
  deferredInitThreads: ['x86-only', 'every-arch'],
  deferredInitLock: ['whole-init', 'first-pfn'],
  x86BlockSize: ['end-aligned', 'bare-metal-max'],
  removeMemoryCheck: ['under-hotplug-lock', 'before-hotplug-lock'],
  compoundDevmap: [false, true],
  vmemmapOptimize: ['never', 'any-arch', 'arch-opt-in'],
  devicePagesReserved: [false, true],
  deviceRefcountBase: [1, 0],
  fsdaxRefcountBase: [1, 0],
  fsdaxMapRef: ['pgmap', 'page'],
  teardownPut: ['per-page', 'put-many'],
  refPerAllocationTypes: [false, true],
  deferredInit: ['off', 'per-node', 'padata'],
  hotplugLock: ['global', 'rwsem-init-read', 'range'],
  deviceInitLog: ['none', 'device-name', 'function', 'debug'],
  deferredInitLog: ['pages', 'deferred'],
  misalignedWarn: ['typo', 'fixed'],
  taintZoneDevice: [false, true],
  hotplugPageFlag: ['reserved', 'offline'],
  spanSeqlock: [false, true],
  pgmapRefRelease: 'string',
  removeOnlineMemory: ['bug', 'ebusy'],
  zoneDevice: [false, true],
  archVmemmapOpt: [false, true],
  coherentPgmap: [false, true],
  memmapInitName: ['memmap_init_zone', 'memmap_init_range'],
  compatAlignCheck: [false, true],
  probeFailLog: ['pr-warn', 'dev-err'],
  offlinedPagesLog: ['info', 'debug'],
  kmem: ['none', 'add-only', 'add-remove'],
  kmemRamName: ['System RAM', 'System RAM (kmem)'],
  kmemLog: ['region', 'mapping'],
  memmapOnMemory: ['none', 'one-block', 'per-block'],
  autoOnlineTypes: [false, true],
  refUnderflowErr: [false, true],
  autoMovablePolicy: [false, true],
  offlineFailureLog: ['quiet', 'reason'],
  kmemMemmapOnMemory: ['none', 'cxl-only', 'sysfs'],
  dumpPageHeader: ['count', 'refcount', 'pfn', 'folio'],
  getPageCheck: ['ref-count', 'overflow', 'folio'],
  pageFlagBits: ['v4.18', 'v4.20', 'v6.6', 'v6.10'],
};
