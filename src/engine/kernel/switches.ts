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
  // mm/memory_hotplug.c offline_pages() (v4.18): pr_info("Offlined Pages %ld\n", ...) per block.
  offlineLog: 'info',
};

/**
 * Every behaviour change modelled, oldest first. Each row was checked in the kernel source of the
 * releases on both sides of it (per-release trees: the one before lacks it, the one after has it);
 * where no commit id could be read from a tree, a Fixes: tag or a stable mail, `unpinned` says so.
 */
export const SWITCHES: readonly SwitchRow[] = [
  { release: 418, set: { zoneDevice: true }, arches: ['x86_64', 'ppc64-radix', 'ppc64-hash'],
    subject: 'ZONE_DEVICE depends on ARCH_HAS_ZONE_DEVICE: x86_64 and ppc64 book3s select it',
    where: 'mm/Kconfig: ZONE_DEVICE; arch/x86/Kconfig, arch/powerpc/Kconfig',
    unpinned: 'as in linux-4.19 and linux-4.20: older than the releases modelled' },
  { release: 420, set: { zoneDeviceInit: 'deferred', deviceInitLog: 'device-name' }, commit: '966cf44f637e',
    subject: 'mm: defer ZONE_DEVICE page initialization to the point where we init pgmap',
    where: 'mm/page_alloc.c: memmap_init_zone_device(), kernel/memremap.c: devm_memremap_pages()' },
  // Of that series only the deferred-init half merged; the per-struct-page cost it brought
  // (__mm_zero_struct_page() store by store instead of memset) applies to every init loop, so the
  // cost model's cheaper per-page cost applies from here, while ZONE_DEVICE keeps its page loop.
  { release: 502, set: { deferredInitLoop: 'maxorder', memmapInit: 'pageblock' }, commit: '0e56acae4b4d',
    subject: 'mm: initialize MAX_ORDER_NR_PAGES at a time instead of doing larger sections (with "mm: Use mm_zero_struct_page from SPARC on all 64b architectures")',
    where: 'mm/page_alloc.c: deferred_init_maxorder(), include/linux/mm.h: __mm_zero_struct_page()' },
  { release: 503, set: { hotplugUnit: 'subsection' }, commit: 'f46edbd1b151',
    subject: 'mm/sparsemem: add helpers track active portions of a section at boot (series "mm: Sub-section memory hotplug support")',
    where: 'mm/sparse.c: section_activate(), include/linux/mmzone.h: SUBSECTION_SHIFT' },
  { release: 503, set: { removeOnlineMemory: 'ebusy' }, commit: 'eca499ab3749',
    subject: 'mm/hotplug: make remove_memory() interface usable',
    where: 'mm/memory_hotplug.c: try_remove_memory()' },
  { release: 503, set: { zoneDevice: true }, arches: ['arm64', 'arm64-64k'],
    subject: 'arm64 selects ARCH_HAS_PTE_DEVMAP, which ZONE_DEVICE now depends on',
    where: 'arch/arm64/Kconfig, mm/Kconfig: ZONE_DEVICE',
    unpinned: 'no select in linux-5.2.1, select in linux-5.3.1; commit id not read' },
  { release: 504, set: { deviceInitLog: 'function' },
    subject: 'memremap: provide a not device managed memremap_pages (the log names __func__, not the device)',
    where: 'mm/page_alloc.c: memmap_init_zone_device()',
    unpinned: 'dev_name() in linux-5.3.1, __func__ in linux-5.4.0; commit id not read' },
  { release: 506, set: { removeMemoryCheck: 'before-hotplug-lock' }, commit: 'f1037ec0cc8a',
    subject: 'mm/memory_hotplug: fix remove_memory() lockdep splat',
    where: 'mm/memory_hotplug.c: try_remove_memory()',
    unpinned: 'inside mem_hotplug_begin() in linux-5.3.1, before it in linux-5.7.14; v5.6 from its stable tag (# v5.6+)' },
  { release: 507, set: { compatAlignCheck: true },
    subject: 'libnvdimm/namespace: Enforce memremap_compat_align()',
    where: 'drivers/nvdimm/pfn_devs.c: nd_pfn_init()',
    unpinned: 'absent in linux-5.4.0, present in linux-5.7.14; pulled in the 5.7 merge window; commit id not read' },
  { release: 508, set: { deferredInit: 'padata', deferredInitLog: 'deferred' }, commit: '004ed42638f4',
    subject: 'padata: add basic support for multithreaded jobs (series "padata: parallelize deferred page init")',
    where: 'mm/page_alloc.c: deferred_init_memmap(), padata_do_multithreaded()' },
  { release: 508, set: { deferredInitLock: 'first-pfn' }, commit: '3d060856adfc',
    subject: 'mm: initialize deferred pages with interrupts enabled',
    where: 'mm/page_alloc.c: deferred_init_memmap()' },
  { release: 509, set: { x86BlockSize: 'bare-metal-max' }, commit: 'fe124c95df9e',
    subject: 'x86/mm: use max memory block size on bare metal',
    where: 'arch/x86/mm/init_64.c: probe_memory_block_size()' },
  { release: 511, set: { offlineLog: 'debug' }, commit: '7c33023aad16',
    subject: 'mm/memory_hotplug: quieting offline operation', where: 'mm/memory_hotplug.c: offline_pages()' },
  { release: 512, set: { taintZoneDevice: true }, commit: '1f90a3477df3',
    subject: 'mm: teach pfn_to_online_page() about ZONE_DEVICE section collisions',
    where: 'mm/memory_hotplug.c: pfn_to_online_page(), section_taint_zone_device()' },
  { release: 512, set: { memmapInitName: 'memmap_init_range' },
    subject: 'mm: rename memmap_init() and memmap_init_zone()',
    where: 'mm/page_alloc.c: memmap_init_range()',
    unpinned: 'memmap_init_zone() in linux-5.11.0, memmap_init_range() in linux-5.12.9; commit id not read' },
  { release: 514, set: { spanSeqlock: false }, commit: '27cacaad16c5',
    subject: 'mm,memory_hotplug: drop unneeded locking',
    where: 'mm/memory_hotplug.c: move_pfn_range_to_zone()' },
  // Merged for v5.15-rc8 (libnvdimm-fixes-5.15-rc8).
  { release: 515, set: { pgmapRefRelease: 'dev_pagemap_percpu_release' }, commit: '3dd60fb9d95d',
    subject: 'nvdimm/pmem: stop using q_usage_count as external pgmap refcount',
    where: 'drivers/nvdimm/pmem.c: pmem_attach_disk(), mm/memremap.c: dev_pagemap_percpu_release()' },
  { release: 517, set: { compoundDevmap: true }, commit: 'c4386bd8ee3a',
    subject: 'mm/memremap: add ZONE_DEVICE support for compound pages', where: 'mm/page_alloc.c: memmap_init_compound()' },
  { release: 518, set: { teardownPut: 'put-many' }, commit: '27674ef6c73f',
    subject: 'mm: remove the extra ZONE_DEVICE struct page refcount',
    where: 'mm/memremap.c: memunmap_pages(), free_zone_device_page()' },
  { release: 519, set: { vmemmapOptimize: 'any-arch' }, commit: '4917f55b4ef9',
    subject: 'mm/sparse-vmemmap: improve memory savings for compound devmaps',
    where: 'mm/sparse-vmemmap.c: vmemmap_populate_compound_pages()' },
  { release: 600, set: { coherentPgmap: true }, commit: 'f25cbb7a95a2',
    subject: 'mm: add zone device coherent type memory support', where: 'include/linux/memremap.h: MEMORY_DEVICE_COHERENT' },
  { release: 601, set: { deviceRefcountBase: 0, refPerAllocationTypes: true }, commit: 'ef233450898f',
    subject: 'mm: free device private pages have zero refcount (with 0dc45ca1ce18 "mm/memremap.c: take a pgmap reference on page allocation")',
    where: 'mm/page_alloc.c: __init_zone_device_page(), mm/memremap.c: zone_device_page_init()' },
  { release: 604, set: { deviceInitLog: 'debug' }, commit: 'dd31bad21980',
    subject: 'memmap_init_zone_device() logs at pr_debug (moved to mm/mm_init.c)',
    where: 'mm/mm_init.c: memmap_init_zone_device()' },
  { release: 604, set: { vmemmapOptimize: 'arch-opt-in' }, commit: '87a7ae75d738',
    subject: 'mm/vmemmap/devdax: fix kernel crash when probing devdax devices',
    where: 'mm/sparse-vmemmap.c: vmemmap_can_optimize()' },
  { release: 604, set: { archVmemmapOpt: true }, arches: ['x86_64', 's390x', 'loongarch64', 'riscv64'], commit: '0b376f1e0ff5',
    subject: 'mm/hugetlb_vmemmap: rename ARCH_WANT_HUGETLB_PAGE_OPTIMIZE_VMEMMAP (ARCH_WANT_OPTIMIZE_VMEMMAP)',
    where: 'mm/Kconfig: ARCH_WANT_OPTIMIZE_VMEMMAP; arch/*/Kconfig' },
  { release: 605, set: { misalignedWarn: 'fixed' },
    subject: 'mm: memory_hotplug: fix format string in warnings',
    where: 'mm/memory_hotplug.c: __add_pages(), __remove_pages()',
    unpinned: '"end: #%lx" in linux-6.4.6, "end: %#lx" in linux-6.5.0; commit id not read' },
  { release: 606, set: { archVmemmapOpt: true }, arches: ['x86_64', 'ppc64-radix'], commit: '0b6f15824cc7',
    subject: 'mm/vmemmap optimization: split hugetlb and devdax vmemmap optimization (ARCH_WANT_OPTIMIZE_DAX_VMEMMAP; ppc64 radix hook)',
    where: 'mm/Kconfig: ARCH_WANT_OPTIMIZE_DAX_VMEMMAP; arch/powerpc/mm/book3s64/radix_pgtable.c: vmemmap_can_optimize()',
    unpinned: 'id from linux-next pushes; single option in linux-6.5.0, split in linux-6.6.9' },
  { release: 606, set: { archVmemmapOpt: false }, arches: ['s390x', 'loongarch64', 'riscv64'], commit: '0b6f15824cc7',
    subject: 'mm/vmemmap optimization: split hugetlb and devdax vmemmap optimization (HugeTLB only for these)',
    where: 'mm/Kconfig: ARCH_WANT_OPTIMIZE_HUGETLB_VMEMMAP',
    unpinned: 'id from linux-next pushes; single option in linux-6.5.0, split in linux-6.6.9' },
  { release: 609, set: { probeFailLog: 'dev-err' }, commit: '32de4b4f9dfa',
    subject: 'driver: core: Log probe failure as error and with device metadata',
    where: 'drivers/base/dd.c: call_driver_probe()' },
  { release: 611, set: { deferredInitThreads: 'every-arch' },
    subject: 'mm/mm_init: use node\'s number of cpus in deferred_page_init_max_threads',
    where: 'mm/mm_init.c: deferred_page_init_max_threads()',
    unpinned: 'x86-only in linux-6.8.0, generic in linux-6.11.11; posted May 2024, so v6.11 (no 6.9/6.10 tree read)' },
  { release: 611, set: { hotplugPageFlag: 'offline' },
    subject: 'mm/memory_hotplug: initialize memmap of !ZONE_DEVICE with PageOffline() instead of PageReserved()',
    where: 'mm/mm_init.c: memmap_init_range()',
    unpinned: 'PageReserved in linux-6.8.0, PageOffline in linux-6.11.11; posted June 2024, so v6.11; commit id not read' },
  { release: 611, set: { archVmemmapOpt: true }, arches: ['riscv64'],
    subject: 'riscv selects ARCH_WANT_OPTIMIZE_DAX_VMEMMAP',
    where: 'arch/riscv/Kconfig',
    unpinned: 'not selected in linux-6.8.0, selected in linux-6.11.11; commit id not read' },
  { release: 611, set: { zoneDevice: true }, arches: ['riscv64', 'loongarch64'],
    subject: 'riscv and loongarch select ARCH_HAS_PTE_DEVMAP',
    where: 'arch/riscv/Kconfig, arch/loongarch/Kconfig',
    unpinned: 'no select in linux-6.8.0, select in linux-6.11.11; commit id not read' },
  { release: 615, set: { fsdaxRefcountBase: 0, fsdaxMapRef: 'page' }, commit: '38607c62b34b',
    subject: 'fs/dax: properly refcount fs dax pages (series "fs/dax: Fix ZONE_DEVICE page reference counts", with P2PDMA)',
    where: 'mm/mm_init.c: __init_zone_device_page(), mm/memremap.c: free_zone_device_folio()' },
  { release: 618, set: { zoneDevice: true }, arches: ['s390x'],
    subject: 'ZONE_DEVICE no longer depends on ARCH_HAS_PTE_DEVMAP (pte_devmap removal)',
    where: 'mm/Kconfig: ZONE_DEVICE',
    unpinned: 'depends on ARCH_HAS_PTE_DEVMAP in linux-6.14.0, gone in linux-6.18.2; commit id not read' },
];
