import type { KernelFeatures } from './features';
import type { VersionCode } from './version';

/**
 * One behaviour change of the kernel: from `release` on (on `arches`, when given), the features in
 * `set` take these values. A release resolves to features by applying, oldest first, every row
 * up to it on top of BASE; presets are releases plus overrides.
 */
export interface SwitchRow {
  set: Partial<KernelFeatures>;
  /** The first release that has the change. */
  release: VersionCode;
  /** The commit that made the change (12 hex digits); undefined where it is not pinned. */
  commit?: string;
  /** The commit's subject, or what changed where no commit is pinned. */
  subject: string;
  /** Where the change is seen: file and function. */
  where: string;
  /** The architectures the row applies to (all when absent). */
  arches?: readonly string[];
  /** What is not known about this row: the release range it could be pinned to, and why. */
  unpinned?: string;
}

/** v4.18, the oldest release modelled: what every row changes from. */
export const BASE: KernelFeatures = {
  version: 'v4.18',
  zoneDeviceInit: 'under-lock-twice',
  hotplugUnit: 'section',
  memmapInit: 'page',
  deferredInitLoop: 'page',
  deferredInitThreads: 'x86-only',
  deferredInitLock: 'whole-init',
  x86BlockSize: 'end-aligned',
  removeMemoryCheck: 'under-hotplug-lock',
  compoundDevmap: false,
  vmemmapOptimize: 'never',
  devicePagesReserved: true,
  deviceRefcountBase: 1,
  fsdaxRefcountBase: 1,
  fsdaxMapRef: 'pgmap',
  teardownPut: 'per-page',
  refPerAllocationTypes: false,
  deferredInit: 'per-node',
  hotplugLock: 'global',
  deviceInitLog: 'none',
  deferredInitLog: 'pages',
  misalignedWarn: 'typo',
  taintZoneDevice: false,
  hotplugPageFlag: 'reserved',
  spanSeqlock: true,
  // drivers/nvdimm/pmem.c (v4.18): pmem's pgmap ref is the request queue's q_usage_counter.
  pgmapRefRelease: 'blk_queue_usage_counter_release',
  removeOnlineMemory: 'bug',
  zoneDevice: false,
  archVmemmapOpt: false,
  coherentPgmap: false,
  memmapInitName: 'memmap_init_zone',
  compatAlignCheck: false,
  probeFailLog: 'pr-warn',
  offlinedPagesLog: 'info',
  kmem: 'none',
  kmemRamName: 'System RAM',
  kmemLog: 'region',
  memmapOnMemory: 'none',
  autoOnlineTypes: false,
  refUnderflowErr: false,
  autoMovablePolicy: false,
  offlineFailureLog: 'quiet',
  kmemMemmapOnMemory: 'none',
  dumpPageHeader: 'pointer',
  // include/linux/page-flags.h as read in linux-4.19 (no 4.18 tree read): PG_error is bit 1.
  pageFlagBits: 'v4.18',
};

/**
 * Every behaviour change modelled, oldest first. Each row was checked in the kernel source of the
 * releases on both sides of it (per-release trees: the one before lacks it, the one after has it);
 * where no commit id could be read from a tree, a Fixes: tag or a stable mail, `unpinned` says so.
 */
export const SWITCHES: readonly SwitchRow[] = [
  {
    release: 418,
    set: { zoneDevice: true },
    arches: ['x86_64', 'ppc64-radix', 'ppc64-hash'],
    subject: 'ZONE_DEVICE depends on ARCH_HAS_ZONE_DEVICE: x86_64 and ppc64 book3s select it',
    where: 'mm/Kconfig: ZONE_DEVICE; arch/x86/Kconfig, arch/powerpc/Kconfig',
    unpinned:
      'as in linux-4.19 and linux-4.20: older than the releases modelled, so no boundary to diff; no commit searched',
  },
  {
    release: 420,
    set: { zoneDeviceInit: 'deferred', deviceInitLog: 'device-name' },
    commit: '966cf44f637e',
    subject: 'mm: defer ZONE_DEVICE page initialization to the point where we init pgmap',
    where: 'mm/page_alloc.c: memmap_init_zone_device(), kernel/memremap.c: devm_memremap_pages()',
  },
  // include/linux/page-flags.h: PG_error moves from bit 1 to bit 8 to keep PG_workingset next
  // to PG_active (linux-4.19 against linux-4.20); the id from a Fixes: tag marked for v4.20.
  {
    release: 420,
    set: { pageFlagBits: 'v4.20' },
    commit: '1899ad18c607',
    subject: 'mm: workingset: tell cache transitions from workingset thrashing',
    where: 'include/linux/page-flags.h: enum pageflags',
  },
  // Absent in linux-4.20 (an isolation failure returns before any message), present in
  // linux-5.0.1: the ids from a stable backport's dependency list and a Fixes: tag.
  {
    release: 500,
    set: { offlineFailureLog: 'reason' },
    commit: '2932c8b05056',
    subject:
      'mm, memory_hotplug: be more verbose for memory offline failures (with 7960509329c2 "mm, memory_hotplug: print reason for the offlining failure")',
    where:
      'mm/memory_hotplug.c: __offline_pages(), do_migrate_range(); mm/page_alloc.c: has_unmovable_pages()',
  },
  // drivers/dax/kmem.c is in linux-5.2.1; the series was merged for v5.1.
  {
    release: 501,
    set: { kmem: 'add-only' },
    commit: 'c221c0b0308f',
    subject: 'device-dax: "Hotplug" persistent memory for use like normal RAM',
    where: 'drivers/dax/kmem.c: dev_dax_kmem_probe()',
  },
  // Of that series only the deferred-init half merged; the per-struct-page cost it brought
  // (__mm_zero_struct_page() store by store instead of memset) applies to every init loop, so the
  // cost model's cheaper per-page cost applies from here, while ZONE_DEVICE keeps its page loop.
  {
    release: 502,
    set: { deferredInitLoop: 'maxorder', memmapInit: 'pageblock' },
    commit: '0e56acae4b4d',
    subject:
      'mm: initialize MAX_ORDER_NR_PAGES at a time instead of doing larger sections (with "mm: Use mm_zero_struct_page from SPARC on all 64b architectures")',
    where: 'mm/page_alloc.c: deferred_init_maxorder(), include/linux/mm.h: __mm_zero_struct_page()',
  },
  {
    release: 503,
    set: { hotplugUnit: 'subsection' },
    commit: 'f46edbd1b151',
    subject:
      'mm/sparsemem: add helpers track active portions of a section at boot (series "mm: Sub-section memory hotplug support")',
    where: 'mm/sparse.c: section_activate(), include/linux/mmzone.h: SUBSECTION_SHIFT',
  },
  {
    release: 503,
    set: { removeOnlineMemory: 'ebusy' },
    commit: 'eca499ab3749',
    subject: 'mm/hotplug: make remove_memory() interface usable',
    where: 'mm/memory_hotplug.c: try_remove_memory()',
  },
  // linux-5.2.1's dev_dax_kmem_remove() leaks the region on purpose; linux-5.3.1 calls remove_memory().
  {
    release: 503,
    set: { kmem: 'add-remove' },
    commit: '9f960da72b25',
    subject: 'device-dax: "Hotremove" persistent memory that is used like normal RAM',
    where: 'drivers/dax/kmem.c: dev_dax_kmem_remove()',
  },
  // No select in linux-5.2.1, select in linux-5.3.1; the id from Fixes: tags of later arm64 fixes.
  {
    release: 503,
    set: { zoneDevice: true },
    arches: ['arm64', 'arm64-64k'],
    commit: '73b20c84d42d',
    subject:
      'arm64: mm: implement pte_devmap support (arm64 selects ARCH_HAS_PTE_DEVMAP, which ZONE_DEVICE depends on)',
    where: 'arch/arm64/Kconfig, mm/Kconfig: ZONE_DEVICE',
  },
  // dev_name(pgmap->dev) in linux-5.3.1; struct dev_pagemap has no dev and the log names __func__
  // in linux-5.4.0. The id from a Fixes: tag (include/linux/memremap.h).
  {
    release: 504,
    set: { deviceInitLog: 'function' },
    commit: 'fdc029b19dfd',
    subject:
      'memremap: remove the dev field in struct dev_pagemap (the log names __func__, not the device)',
    where: 'mm/page_alloc.c: memmap_init_zone_device()',
  },
  {
    release: 506,
    set: { removeMemoryCheck: 'before-hotplug-lock' },
    commit: 'f1037ec0cc8a',
    subject: 'mm/memory_hotplug: fix remove_memory() lockdep splat',
    where: 'mm/memory_hotplug.c: try_remove_memory()',
    unpinned:
      'inside mem_hotplug_begin() in linux-5.3.1, before it in linux-5.7.14; v5.6 from its stable tag (# v5.6+)',
  },
  // auto_online_blocks_store(): online/offline in linux-5.4, memhp_online_type_from_str() in
  // linux-5.8.1; the commit is dated 2020-04-06, in the v5.7 merge window.
  {
    release: 507,
    set: { autoOnlineTypes: true },
    commit: '5f47adf762b7',
    subject: 'mm/memory_hotplug: allow to specify a default online_type',
    where:
      'drivers/base/memory.c: auto_online_blocks_store(), mm/memory_hotplug.c: memhp_online_type_from_str()',
  },
  // Absent in linux-5.4.0, present in linux-5.7.14; the id is the one later commits cite
  // ("commit: 6acd7d5ef264 ... made sure that we always create namespaces aligned to 16MB").
  {
    release: 507,
    set: { compatAlignCheck: true },
    commit: '6acd7d5ef264',
    subject: 'libnvdimm/namespace: Enforce memremap_compat_align()',
    where: 'drivers/nvdimm/pfn_devs.c: nd_pfn_init()',
  },
  {
    release: 508,
    set: { deferredInit: 'padata', deferredInitLog: 'deferred' },
    commit: '004ed42638f4',
    subject:
      'padata: add basic support for multithreaded jobs (series "padata: parallelize deferred page init")',
    where: 'mm/page_alloc.c: deferred_init_memmap(), padata_do_multithreaded()',
  },
  // add_memory() in linux-5.4, add_memory_driver_managed(..., "System RAM (kmem)") in linux-5.8.1.
  {
    release: 508,
    set: { kmemRamName: 'System RAM (kmem)' },
    commit: '7b7b27214bba',
    subject: 'mm/memory_hotplug: introduce add_memory_driver_managed()',
    where:
      'drivers/dax/kmem.c: dev_dax_kmem_probe(), mm/memory_hotplug.c: add_memory_driver_managed()',
  },
  {
    release: 508,
    set: { deferredInitLock: 'first-pfn' },
    commit: '3d060856adfc',
    subject: 'mm: initialize deferred pages with interrupts enabled',
    where: 'mm/page_alloc.c: deferred_init_memmap()',
  },
  {
    release: 509,
    set: { x86BlockSize: 'bare-metal-max' },
    commit: 'fe124c95df9e',
    subject: 'x86/mm: use max memory block size on bare metal',
    where: 'arch/x86/mm/init_64.c: probe_memory_block_size()',
  },
  // "DAX region %pR" in linux-5.9.1, a loop over dev_dax->nr_range printing "mapping%d: %#llx-%#llx"
  // in linux-5.10.7; the id from the Fixes: tag of a fix to that loop in drivers/dax/kmem.c.
  {
    release: 510,
    set: { kmemLog: 'mapping' },
    commit: '60e93dc097f7',
    subject:
      'device-dax: add dis-contiguous resource support (kmem works per range and names each "mapping%d")',
    where: 'drivers/dax/kmem.c: dax_kmem_range(), dev_dax_kmem_probe(), dev_dax_kmem_remove()',
  },
  // pr_info in linux-5.10.7, pr_debug in linux-5.11.
  {
    release: 511,
    set: { offlinedPagesLog: 'debug' },
    commit: '7c33023aad16',
    subject: 'mm/memory_hotplug: quieting offline operation',
    where: 'mm/memory_hotplug.c: offline_pages()',
  },
  // Not in linux-5.11, in linux-5.12.9 (merged through the RCU tree).
  {
    release: 512,
    set: { refUnderflowErr: true },
    commit: '3375efeddf69',
    subject: 'percpu_ref: Dump mem_dump_obj() info upon reference-count underflow',
    where: 'lib/percpu-refcount.c: percpu_ref_switch_to_atomic_rcu()',
  },
  {
    release: 512,
    set: { taintZoneDevice: true },
    commit: '1f90a3477df3',
    subject: 'mm: teach pfn_to_online_page() about ZONE_DEVICE section collisions',
    where: 'mm/memory_hotplug.c: pfn_to_online_page(), section_taint_zone_device()',
  },
  {
    release: 512,
    set: { memmapInitName: 'memmap_init_range' },
    subject: 'mm: rename memmap_init() and memmap_init_zone()',
    where: 'mm/page_alloc.c: memmap_init_range()',
    unpinned:
      "memmap_init_zone() in linux-5.11.0, memmap_init_range() in linux-5.12.9; searched: only linux-next ids of it (Baoquan He's series, v4 Jan 2021), no Fixes: tag naming it",
  },
  // Absent in linux-5.12.9; in linux-5.14 x86 and arm64 select ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE.
  // Later arches: ppc64 radix (v6.6), s390 (v6.9), riscv (v6.11), each in its own row.
  {
    release: 514,
    set: { memmapOnMemory: 'one-block' },
    arches: ['x86_64', 'arm64', 'arm64-64k'],
    commit: 'a08a2ae34613',
    subject: 'mm,memory_hotplug: allocate memmap from the added memory range',
    where: 'mm/memory_hotplug.c: add_memory_resource(), mhp_supports_memmap_on_memory()',
  },
  {
    release: 514,
    set: { spanSeqlock: false },
    commit: '27cacaad16c5',
    subject: 'mm,memory_hotplug: drop unneeded locking',
    where: 'mm/memory_hotplug.c: move_pfn_range_to_zone()',
  },
  // No auto_movable in linux-5.14's mm/memory_hotplug.c; online_policy and auto_movable_ratio (301) in linux-5.15.
  {
    release: 515,
    set: { autoMovablePolicy: true },
    commit: 'e83a437faa62',
    subject: 'mm/memory_hotplug: introduce "auto-movable" online policy',
    where: 'mm/memory_hotplug.c: zone_for_pfn_range(), auto_movable_zone_for_pfn()',
  },
  // Merged for v5.15-rc8 (libnvdimm-fixes-5.15-rc8).
  {
    release: 515,
    set: { pgmapRefRelease: 'dev_pagemap_percpu_release' },
    commit: '3dd60fb9d95d',
    subject: 'nvdimm/pmem: stop using q_usage_count as external pgmap refcount',
    where: 'drivers/nvdimm/pmem.c: pmem_attach_disk(), mm/memremap.c: dev_pagemap_percpu_release()',
  },
  {
    release: 517,
    set: { compoundDevmap: true },
    commit: 'c4386bd8ee3a',
    subject: 'mm/memremap: add ZONE_DEVICE support for compound pages',
    where: 'mm/page_alloc.c: memmap_init_compound()',
  },
  {
    release: 518,
    set: { teardownPut: 'put-many' },
    commit: '27674ef6c73f',
    subject: 'mm: remove the extra ZONE_DEVICE struct page refcount',
    where: 'mm/memremap.c: memunmap_pages(), free_zone_device_page()',
  },
  {
    release: 519,
    set: { vmemmapOptimize: 'any-arch' },
    commit: '4917f55b4ef9',
    subject: 'mm/sparse-vmemmap: improve memory savings for compound devmaps',
    where: 'mm/sparse-vmemmap.c: vmemmap_populate_compound_pages()',
  },
  {
    release: 600,
    set: { coherentPgmap: true },
    commit: 'f25cbb7a95a2',
    subject: 'mm: add zone device coherent type memory support',
    where: 'include/linux/memremap.h: MEMORY_DEVICE_COHERENT',
  },
  {
    release: 601,
    set: { deviceRefcountBase: 0, refPerAllocationTypes: true },
    commit: 'ef233450898f',
    subject:
      'mm: free device private pages have zero refcount (with 0dc45ca1ce18 "mm/memremap.c: take a pgmap reference on page allocation")',
    where: 'mm/page_alloc.c: __init_zone_device_page(), mm/memremap.c: zone_device_page_init()',
  },
  {
    release: 604,
    set: { deviceInitLog: 'debug' },
    commit: 'dd31bad21980',
    subject: 'memmap_init_zone_device() logs at pr_debug (moved to mm/mm_init.c)',
    where: 'mm/mm_init.c: memmap_init_zone_device()',
  },
  {
    release: 604,
    set: { vmemmapOptimize: 'arch-opt-in' },
    commit: '87a7ae75d738',
    subject: 'mm/vmemmap/devdax: fix kernel crash when probing devdax devices',
    where: 'mm/sparse-vmemmap.c: vmemmap_can_optimize()',
  },
  {
    release: 604,
    set: { archVmemmapOpt: true },
    arches: ['x86_64', 's390x', 'loongarch64', 'riscv64'],
    commit: '0b376f1e0ff5',
    subject:
      'mm/hugetlb_vmemmap: rename ARCH_WANT_HUGETLB_PAGE_OPTIMIZE_VMEMMAP (ARCH_WANT_OPTIMIZE_VMEMMAP)',
    where: 'mm/Kconfig: ARCH_WANT_OPTIMIZE_VMEMMAP; arch/*/Kconfig',
  },
  {
    release: 605,
    set: { misalignedWarn: 'fixed' },
    subject: 'mm: memory_hotplug: fix format string in warnings',
    where: 'mm/memory_hotplug.c: __add_pages(), __remove_pages()',
    unpinned:
      '"end: #%lx" in linux-6.4.6, "end: %#lx" in linux-6.5.0; searched: only linux-next ids of it (posted May 2023), no Fixes: tag naming it',
  },
  // x86_64 selects the new ARCH_WANT_OPTIMIZE_DAX_VMEMMAP too, so it keeps the optimisation it had.
  {
    release: 606,
    set: { archVmemmapOpt: true },
    arches: ['ppc64-radix'],
    commit: '0b6f15824cc7',
    subject:
      'mm/vmemmap optimization: split hugetlb and devdax vmemmap optimization (ARCH_WANT_OPTIMIZE_DAX_VMEMMAP; ppc64 radix hook)',
    where:
      'mm/Kconfig: ARCH_WANT_OPTIMIZE_DAX_VMEMMAP; arch/powerpc/mm/book3s64/radix_pgtable.c: vmemmap_can_optimize()',
    unpinned: 'id from linux-next pushes; single option in linux-6.5.0, split in linux-6.6.9',
  },
  {
    release: 606,
    set: { archVmemmapOpt: false },
    arches: ['s390x', 'loongarch64', 'riscv64'],
    commit: '0b6f15824cc7',
    subject:
      'mm/vmemmap optimization: split hugetlb and devdax vmemmap optimization (HugeTLB only for these)',
    where: 'mm/Kconfig: ARCH_WANT_OPTIMIZE_HUGETLB_VMEMMAP',
    unpinned: 'id from linux-next pushes; single option in linux-6.5.0, split in linux-6.6.9',
  },
  // arch/powerpc/Kconfig: "select ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE if PPC_RADIX_MMU" (hash never).
  // Its arch_supports_memmap_on_memory() override and memmap_on_memory=force are not modelled.
  {
    release: 606,
    set: { memmapOnMemory: 'one-block' },
    arches: ['ppc64-radix'],
    subject: 'powerpc/book3s64/memhotplug: Enable memmap on memory for radix',
    where:
      'arch/powerpc/Kconfig, arch/powerpc/mm/book3s64/radix_pgtable.c: arch_supports_memmap_on_memory()',
    unpinned:
      'not selected in linux-6.4.0, selected in linux-6.6.87 (the linux-6.5.0 tree here has no arch/powerpc); series posted Aug 2023; only linux-next ids seen',
  },
  // include/linux/page-flags.h: PG_writeback and PG_head move into the bottom byte (PG_head to
  // bit 6), PG_active and PG_workingset into the second (linux-6.5.0 against linux-6.6.9).
  {
    release: 606,
    set: { pageFlagBits: 'v6.6' },
    subject: 'mm: rearrange page flags',
    where: 'include/linux/page-flags.h: enum pageflags',
    unpinned:
      'the mainline id: absent in linux-6.5.0, present in linux-6.6.9; posted Aug 2023 (Message-ID 20230816151201.3655946-10-willy@infradead.org); only linux-next ids seen',
  },
  {
    release: 608,
    set: { memmapOnMemory: 'per-block' },
    arches: ['x86_64', 'arm64', 'arm64-64k', 'ppc64-radix'],
    commit: '6b8f0798b85a',
    subject: 'mm/memory_hotplug: split memmap_on_memory requests across memblocks',
    where: 'mm/memory_hotplug.c: create_altmaps_and_memory_blocks()',
    unpinned:
      'one altmap for a one-block add in linux-6.6.87, one per block in linux-6.8.0; no 6.7 tree read',
  },
  // dev_dax_kmem_probe() in linux-6.8.0 ORs MHP_MEMMAP_ON_MEMORY in when dev_dax->memmap_on_memory,
  // which only drivers/dax/cxl.c sets; absent in linux-6.6.87. The id from a Fixes: tag.
  {
    release: 608,
    set: { kmemMemmapOnMemory: 'cxl-only' },
    commit: '4eca0ef49af9',
    subject: 'dax/kmem: allow kmem to add memory with memmap_on_memory',
    where: 'drivers/dax/kmem.c: dev_dax_kmem_probe(), drivers/dax/cxl.c: cxl_dax_region_probe()',
  },
  {
    release: 609,
    set: { kmemMemmapOnMemory: 'sysfs' },
    subject: 'dax: add a sysfs knob to control memmap_on_memory behavior',
    where: 'drivers/dax/bus.c: memmap_on_memory_store()',
    unpinned:
      'no attribute in linux-6.8.0, memmap_on_memory_store() in linux-6.11.11; named in the MM pull for 6.9-rc1 (series "Add DAX ABI for memmap_on_memory"); only linux-next ids seen',
  },
  // arch/s390/Kconfig selects ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE in linux-6.11.11, not in linux-6.8.0.
  // Its memory is inaccessible until online (MEM_PREPARE_ONLINE): not modelled.
  {
    release: 609,
    set: { memmapOnMemory: 'per-block' },
    arches: ['s390x'],
    subject:
      's390: enable MHP_MEMMAP_ON_MEMORY (series "implement "memmap on memory" feature on s390")',
    where: 'arch/s390/Kconfig, arch/s390/mm/vmem.c: vmemmap_populate()',
    unpinned:
      'not selected in linux-6.8.0, selected in linux-6.11.11; named in the MM pull for 6.9-rc1; only linux-next ids seen',
  },
  // mm/debug.c: "page:%p refcount:" in linux-6.8.0, __dump_folio()'s "page: refcount:" in
  // linux-6.11.11 and on the Debian 6.12 recording; the id from Fixes: tags.
  {
    release: 609,
    set: { dumpPageHeader: 'refcount' },
    commit: 'fae7d834c43c',
    subject: 'mm: add __dump_folio()',
    where: 'mm/debug.c: __dump_folio()',
    unpinned:
      'the release: absent in linux-6.8.0, present in linux-6.11.11; posted Feb 2024, so v6.9 (no 6.9/6.10 tree read)',
  },
  {
    release: 609,
    set: { probeFailLog: 'dev-err' },
    commit: '32de4b4f9dfa',
    subject: 'driver: core: Log probe failure as error and with device metadata',
    where: 'drivers/base/dd.c: call_driver_probe()',
  },
  // include/linux/page-flags.h: PG_slab becomes a page type, so every flag after it moves down one
  // (bit 11 in linux-6.8.0, gone in linux-6.11.11); the id and v6.10-rc from a Fixes: thread.
  {
    release: 610,
    set: { pageFlagBits: 'v6.10' },
    commit: '46df8e73a4a3',
    subject: 'mm: free up PG_slab',
    where: 'include/linux/page-flags.h: enum pageflags',
  },
  {
    release: 611,
    set: { deferredInitThreads: 'every-arch' },
    subject: "mm/mm_init: use node's number of cpus in deferred_page_init_max_threads",
    where: 'mm/mm_init.c: deferred_page_init_max_threads()',
    unpinned:
      'x86-only in linux-6.8.0, generic in linux-6.11.11; v3 posted 2024-05-28 (Message-ID 20240528185455.643227-4-echanude@redhat.com), so v6.11; searched: only linux-next ids',
  },
  {
    release: 611,
    set: { hotplugPageFlag: 'offline' },
    subject:
      'mm/memory_hotplug: initialize memmap of !ZONE_DEVICE with PageOffline() instead of PageReserved()',
    where: 'mm/mm_init.c: memmap_init_range()',
    unpinned:
      'PageReserved in linux-6.8.0, PageOffline in linux-6.11.11; v1 posted 2024-06-07 (Message-ID 20240607090939.89524-3-david@redhat.com), so v6.11; searched: only linux-next ids',
  },
  // The three riscv rows: not in linux-6.8.0, in linux-6.11.11; the ids and subjects from the
  // riscv tree's push of the merge of riscv-for-linus-6.11-mw1 (series "riscv: Memory Hot(Un)Plug support").
  {
    release: 611,
    set: { archVmemmapOpt: true },
    arches: ['riscv64'],
    commit: '4705c1571ad3',
    subject: 'riscv: Enable DAX VMEMMAP optimization',
    where: 'arch/riscv/Kconfig: ARCH_WANT_OPTIMIZE_DAX_VMEMMAP',
  },
  {
    release: 611,
    set: { zoneDevice: true },
    arches: ['riscv64'],
    commit: '216e04bf1e4d',
    subject: 'riscv: mm: Add support for ZONE_DEVICE',
    where: 'arch/riscv/Kconfig: ARCH_HAS_PTE_DEVMAP',
  },
  {
    release: 611,
    set: { memmapOnMemory: 'per-block' },
    arches: ['riscv64'],
    commit: 'f8c2a240556e',
    subject:
      'riscv: Enable memory hotplugging for RISC-V (selects ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE if 64BIT && MMU)',
    where: 'arch/riscv/Kconfig',
  },
  {
    release: 611,
    set: { zoneDevice: true },
    arches: ['loongarch64'],
    subject: 'LoongArch: Add ARCH_HAS_PTE_DEVMAP support',
    where: 'arch/loongarch/Kconfig',
    unpinned:
      'no select in linux-6.8.0, select in linux-6.11.11; posted 2024-07-02 (Message-ID 20240702151431.1160915-1-chenhuacai@loongson.cn); searched: only linux-next ids',
  },
  {
    release: 615,
    set: { fsdaxRefcountBase: 0, fsdaxMapRef: 'page' },
    commit: '38607c62b34b',
    subject:
      'fs/dax: properly refcount fs dax pages (series "fs/dax: Fix ZONE_DEVICE page reference counts", with P2PDMA)',
    where: 'mm/mm_init.c: __init_zone_device_page(), mm/memremap.c: free_zone_device_folio()',
  },
  {
    release: 618,
    set: { zoneDevice: true },
    arches: ['s390x'],
    subject: 'ZONE_DEVICE no longer depends on ARCH_HAS_PTE_DEVMAP (pte_devmap removal)',
    where: 'mm/Kconfig: ZONE_DEVICE',
    unpinned:
      'depends on ARCH_HAS_PTE_DEVMAP in linux-6.14.0, gone in linux-6.18.2 (series "mm: Remove devmap related functions and page table bits", v3 posted June 2025, which points at v6.17; no 6.15-6.17 tree read, so modelled at v6.18); searched: only linux-next ids',
  },
];
