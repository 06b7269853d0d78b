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
  dumpPageHeader: 'count',
  getPageCheck: 'ref-count',
  // include/linux/page-flags.h as read in linux-4.19 (no 4.18 tree read): PG_error is bit 1.
  pageFlagBits: 'v4.18',
};

/**
 * Every behaviour change modelled, oldest first. Each row was checked in the kernel source of the
 * releases on both sides of it (per-release trees: the one before lacks it, the one after has it);
 * where no commit id could be read from a tree, a Fixes: tag or a stable mail, `unpinned` says so.
 */
export const SWITCHES: readonly SwitchRow[] = [
  // linux-4.18.0: ZONE_DEVICE depends on ARCH_HAS_ZONE_DEVICE, selected "if X86_64" and "if
  // PPC_BOOK3S_64". The commit (with "powerpc/mm: Enable ZONE_DEVICE on powerpc" in its series) went
  // into powerpc-next on 2017-07-02, the maintainer's notice giving its id: older than every release
  // modelled, so the row stands at the first one.
  {
    release: 418,
    set: { zoneDevice: true },
    arches: ['x86_64', 'ppc64-radix', 'ppc64-hash'],
    commit: '65f7d0497887',
    subject: 'mm, x86: Add ARCH_HAS_ZONE_DEVICE to Kconfig',
    where: 'mm/Kconfig: ZONE_DEVICE; arch/x86/Kconfig, arch/powerpc/Kconfig',
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
  // get_page(): "VM_BUG_ON_PAGE(page_ref_count(page) <= 0, page)" in linux-4.20,
  // page_ref_zero_or_close_to_overflow() in linux-5.2.1. The CVE-2019-11487 fix, committed in April
  // 2019 (v5.1-rc cycle); the id from the stable backports ("upstream commit f958d7b528b1").
  {
    release: 501,
    set: { getPageCheck: 'overflow' },
    commit: 'f958d7b528b1',
    subject: 'mm: make page ref count overflow check tighter and more explicit',
    where: 'include/linux/mm.h: get_page()',
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
    release: 502,
    set: { dumpPageHeader: 'refcount' },
    subject:
      'mm: update references to page _refcount (__dump_page() prints "refcount:", not "count:")',
    where: 'mm/debug.c: __dump_page()',
    unpinned:
      '"page:%px count:%d" in linux-4.20, "page:%px refcount:%d" in linux-5.2.1; the patch (Baruch Siach) was posted 2019-04-29, after v5.1-rc7, so v5.2; searched: patch threads, Fixes: tags and pushes: no id of the merged commit',
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
  // Inside mem_hotplug_begin() in linux-5.3.1, before it in linux-5.7.14; the fix of this commit
  // (Jia He, July 2020) carries "Fixes: f1037ec0cc8a" with "Cc: stable@vger.kernel.org # v5.6+":
  // v5.6 is the first release that has it (v5 posted in January 2020, the v5.6 merge window).
  {
    release: 506,
    set: { removeMemoryCheck: 'before-hotplug-lock' },
    commit: 'f1037ec0cc8a',
    subject: 'mm/memory_hotplug: fix remove_memory() lockdep splat',
    where: 'mm/memory_hotplug.c: try_remove_memory()',
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
    set: { dumpPageHeader: 'pfn' },
    subject:
      'mm/debug: the dump_page() series of v5.9 (54a75157d979 "mm/debug: print hashed address of struct page", 452b557c9500 "mm/debug: dump compound page information on a second line", ...)',
    where: 'mm/debug.c: __dump_page()',
    unpinned:
      '"page:%px refcount:… index:%#lx" in linux-5.8.1, "page:%p refcount:… index:%#lx pfn:%#lx" in linux-5.9.1; the series is in mainline\'s merge of akpm\'s patches for v5.9-rc1, but which of its commits added "pfn:" was not read',
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
  // memmap_init_zone() in linux-5.11.0, memmap_init_range() in linux-5.12.9 (Baoquan He's series,
  // v4 Jan 2021). The id as mainline has it: a branch that follows mainline (gregkh staging-next,
  // pushed 2021-02-25) carries it just before "Merge branch 'akpm' (patches from Andrew)", in the
  // v5.12 merge window.
  {
    release: 512,
    set: { memmapInitName: 'memmap_init_range' },
    commit: 'ab28cb6e1e5e',
    subject: 'mm: rename memmap_init() and memmap_init_zone()',
    where: 'mm/page_alloc.c: memmap_init_range()',
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
  // get_page() is folio_get(page_folio(page)) in linux-5.17 (VM_BUG_ON_FOLIO), VM_BUG_ON_PAGE in
  // linux-5.15.55; pulled with "Memory folios for v5.16" (tags/folio-5.16); the id as its author cites it.
  {
    release: 516,
    set: { getPageCheck: 'folio' },
    commit: '86d234cb0499',
    subject: 'mm: Add folio_get()',
    where: 'include/linux/mm.h: get_page(), folio_get()',
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
  // "end: #%lx" in linux-6.4.6, "end: %#lx" in linux-6.5.0 (posted 2023-05-10). The id as mainline
  // has it: a branch that follows mainline (groeck linux-staging master, pushed 2023-06-28) carries
  // it in the merge of tag mm-stable-2023-06-24-19-15, in the v6.5 merge window.
  {
    release: 605,
    set: { misalignedWarn: 'fixed' },
    commit: '501350459b1f',
    subject: 'mm: memory_hotplug: fix format string in warnings',
    where: 'mm/memory_hotplug.c: __add_pages(), __remove_pages()',
  },
  // x86_64 selects the new ARCH_WANT_OPTIMIZE_DAX_VMEMMAP too, so it keeps the optimisation it had.
  // A single option in linux-6.5.0, split in linux-6.6.9. The id stands in the same push as
  // 2d1f649c7c08 and 1a8c64e11043, which later Fixes: tags and stable mails name as merged.
  {
    release: 606,
    set: { archVmemmapOpt: true },
    arches: ['ppc64-radix'],
    commit: '0b6f15824cc7',
    subject:
      'mm/vmemmap optimization: split hugetlb and devdax vmemmap optimization (ARCH_WANT_OPTIMIZE_DAX_VMEMMAP; ppc64 radix hook)',
    where:
      'mm/Kconfig: ARCH_WANT_OPTIMIZE_DAX_VMEMMAP; arch/powerpc/mm/book3s64/radix_pgtable.c: vmemmap_can_optimize()',
  },
  {
    release: 606,
    set: { archVmemmapOpt: false },
    arches: ['s390x', 'loongarch64', 'riscv64'],
    commit: '0b6f15824cc7',
    subject:
      'mm/vmemmap optimization: split hugetlb and devdax vmemmap optimization (HugeTLB only for these)',
    where: 'mm/Kconfig: ARCH_WANT_OPTIMIZE_HUGETLB_VMEMMAP',
  },
  // arch/powerpc/Kconfig: "select ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE if PPC_RADIX_MMU" (hash never).
  // Its arch_supports_memmap_on_memory() override and memmap_on_memory=force are not modelled.
  // Not selected in linux-6.4.0, selected in linux-6.6.87; v8 posted 2023-08-08, after the v6.5
  // merge window. The id from a push where it sits between 2d1f649c7c08 and 1a8c64e11043
  // ("mm/memory_hotplug: embed vmem_altmap details in memory block"), which later Fixes: tags and
  // stable mails name as merged.
  {
    release: 606,
    set: { memmapOnMemory: 'one-block' },
    arches: ['ppc64-radix'],
    commit: '603fd64dfa45',
    subject: 'powerpc/book3s64/memhotplug: enable memmap on memory for radix',
    where:
      'arch/powerpc/Kconfig, arch/powerpc/mm/book3s64/radix_pgtable.c: arch_supports_memmap_on_memory()',
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
  // One altmap for a one-block add in linux-6.6.87, one per block in linux-6.8.0. This id and the
  // next, both named by Fixes: tags, already stand in a tree built on akpm's mm branches on
  // 2023-12-11, a month after v6.7-rc1, which takes no new features: merged for v6.8.
  {
    release: 608,
    set: { memmapOnMemory: 'per-block' },
    arches: ['x86_64', 'arm64', 'arm64-64k', 'ppc64-radix'],
    commit: '6b8f0798b85a',
    subject: 'mm/memory_hotplug: split memmap_on_memory requests across memblocks',
    where: 'mm/memory_hotplug.c: create_altmaps_and_memory_blocks()',
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
  // No attribute in linux-6.8.0, memmap_on_memory_store() in linux-6.11.11; v7 posted 2024-01-24,
  // after v6.8-rc1, and named in the MM pull for 6.9-rc1 (series "Add DAX ABI for
  // memmap_on_memory"). The id as later patches cite it.
  {
    release: 609,
    set: { kmemMemmapOnMemory: 'sysfs' },
    commit: '73954d379efd',
    subject: 'dax: add a sysfs knob to control memmap_on_memory behavior',
    where: 'drivers/dax/bus.c: memmap_on_memory_store()',
  },
  // arch/s390/Kconfig selects ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE in linux-6.11.11, not in linux-6.8.0;
  // mainline's own push of 2024-03-15 (the v6.9 merge window, with the sysfs knob above) carries
  // the id. Its memory is inaccessible until online (MEM_PREPARE_ONLINE): not modelled.
  {
    release: 609,
    set: { memmapOnMemory: 'per-block' },
    arches: ['s390x'],
    commit: '9eda317c15ff',
    subject:
      's390: enable MHP_MEMMAP_ON_MEMORY (series "implement "memmap on memory" feature on s390")',
    where: 'arch/s390/Kconfig, arch/s390/mm/vmem.c: vmemmap_populate()',
  },
  // mm/debug.c: "page:%p refcount:" in linux-6.8.0, __dump_folio()'s "page: refcount:" in
  // linux-6.11.11 and on the Debian 6.12 recording; the id from Fixes: tags. akpm's mm tree carries
  // it on 2024-03-07, after v6.8-rc7, which takes no new features: merged for v6.9.
  {
    release: 609,
    set: { dumpPageHeader: 'folio' },
    commit: 'fae7d834c43c',
    subject: 'mm: add __dump_folio()',
    where: 'mm/debug.c: __dump_folio()',
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
  // The next two and the LoongArch row: absent in linux-6.8.0, present in linux-6.11.11; each was
  // posted after v6.10-rc1 (2024-05-28, 2024-06-07, 2024-07-02), and the ids are the ones a branch
  // that follows mainline (parisc-linux master, pushed 2024-07-24, in the v6.11 merge window) carries.
  {
    release: 611,
    set: { deferredInitThreads: 'every-arch' },
    commit: '188f87f2648b',
    subject: "mm/mm_init: use node's number of cpus in deferred_page_init_max_threads",
    where: 'mm/mm_init.c: deferred_page_init_max_threads()',
  },
  {
    release: 611,
    set: { hotplugPageFlag: 'offline' },
    commit: '503b158fc30f',
    subject:
      'mm/memory_hotplug: initialize memmap of !ZONE_DEVICE with PageOffline() instead of PageReserved()',
    where: 'mm/mm_init.c: memmap_init_range()',
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
    commit: 'b7a2750ef268',
    subject: 'LoongArch: Add ARCH_HAS_PTE_DEVMAP support',
    where: 'arch/loongarch/Kconfig',
  },
  {
    release: 615,
    set: { fsdaxRefcountBase: 0, fsdaxMapRef: 'page' },
    commit: '38607c62b34b',
    subject:
      'fs/dax: properly refcount fs dax pages (series "fs/dax: Fix ZONE_DEVICE page reference counts", with P2PDMA)',
    where: 'mm/mm_init.c: __init_zone_device_page(), mm/memremap.c: free_zone_device_folio()',
  },
  // "depends on ARCH_HAS_PTE_DEVMAP" in linux-6.14.0's mm/Kconfig, gone in linux-6.18.2: s390, which
  // never selected it, gets ZONE_DEVICE. Posted (v3) in June 2025, after v6.16-rc1; in a branch that
  // follows mainline (gregkh tty-next, pushed 2025-08-01, in the v6.17 merge window) under this id,
  // which later patches cite.
  {
    release: 617,
    set: { zoneDevice: true },
    arches: ['s390x'],
    commit: 'd438d2734170',
    subject:
      'mm: remove devmap related functions and page table bits (ZONE_DEVICE no longer depends on ARCH_HAS_PTE_DEVMAP)',
    where: 'mm/Kconfig: ZONE_DEVICE',
  },
];
