import type { KernelFeatures } from './features';

/** A named kernel: a release or a patch experiment from the threads, as a feature set. */
export interface KernelPreset {
  name: string;
  summary: string;
  /** Where the behaviour comes from: a commit, a release or a seed thread. */
  source: string;
  features: KernelFeatures;
}

const v4_18: KernelFeatures = {
  version: 'v4.18',
  zoneDeviceInit: 'under-lock-twice',
  hotplugUnit: 'section',
  memmapInit: 'page',
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
  // v4.18–v5.2 pmem used the request queue's q_usage_counter as the pgmap ref.
  pgmapRefRelease: 'blk_queue_usage_counter_release',
  removeOnlineMemory: 'bug',
};

const v4_20: KernelFeatures = { ...v4_18, version: 'v4.20', zoneDeviceInit: 'deferred', deviceInitLog: 'device-name' };
const v5_3: KernelFeatures = {
  ...v4_20, version: 'v5.3', hotplugUnit: 'subsection', memmapInit: 'pageblock',
  pgmapRefRelease: 'dev_pagemap_percpu_release', removeOnlineMemory: 'ebusy',
};
const v5_10: KernelFeatures = {
  ...v5_3, version: 'v5.10', deviceInitLog: 'function', deferredInit: 'padata', deferredInitLog: 'deferred',
};
const v5_17: KernelFeatures = {
  ...v5_10, version: 'v5.17', compoundDevmap: true, vmemmapOptimize: 'any-arch', taintZoneDevice: true,
  spanSeqlock: false,
};
const v6_1: KernelFeatures = {
  ...v5_17, version: 'v6.1', teardownPut: 'put-many', deviceRefcountBase: 0, refPerAllocationTypes: true,
  deviceInitLog: 'debug',
};
const v6_4: KernelFeatures = { ...v6_1, version: 'v6.4', vmemmapOptimize: 'arch-opt-in' };
const latest: KernelFeatures = {
  ...v6_4, version: 'v6.17', misalignedWarn: 'fixed', hotplugPageFlag: 'offline', fsdaxRefcountBase: 0,
  fsdaxMapRef: 'page',
};

export const KERNEL_PRESETS: KernelPreset[] = [
  { name: 'v4.18', features: v4_18, source: 'kernel/memremap.c before 966cf44f637e',
    summary: 'ZONE_DEVICE pages initialised under mem_hotplug_lock, then a per-page pgmap/percpu_ref loop' },
  { name: 'v4.20', features: v4_20, source: '966cf44f637e (lore: "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap", 2018)',
    summary: 'memmap_init_zone_device() outside the hotplug lock; nodes initialise in parallel' },
  { name: 'v4.20-missing-ref', features: { ...v4_20, zoneDeviceInit: 'deferred-missing-ref' },
    source: 'lore: "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap" v5, as first merged',
    summary: 'the deferral without percpu_ref_get: the ref underflows at teardown and it hangs' },
  { name: 'v4.20-pageblock', features: { ...v4_20, memmapInit: 'pageblock' },
    source: 'lore: "[mm PATCH v5 0/7] Deferred page init improvements" (2018)',
    summary: 'v4.20 plus pageblock-at-a-time struct page init' },
  { name: 'v5.3', features: v5_3, source: 'sub-section hotplug series (lore: "mm/sparsemem: introduce struct mem_section_usage", 2019)',
    summary: '2 MiB sub-section hotplug, subsection_map, no section padding' },
  { name: 'v5.10', features: v5_10, source: 'v5.10',
    summary: '"memmap_init_zone_device initialised" log line, padata deferred init' },
  { name: 'v5.17', features: v5_17, source: 'compound devmaps (vmemmap_shift)',
    summary: 'compound ZONE_DEVICE pages with vmemmap tail reuse on every arch' },
  { name: 'v6.1', features: v6_1, source: 'v6.1',
    summary: 'PRIVATE/COHERENT pages idle at refcount 0; teardown by percpu_ref_put_many' },
  { name: 'v6.4', features: v6_4, source: '87a7ae75d738 (lore: "mm/vmemmap/devdax: Fix kernel crash when probing devdax devices", 2023)',
    summary: 'vmemmap optimisation is arch opt-in (ARCH_WANT_OPTIMIZE_VMEMMAP)' },
  { name: 'latest', features: latest, source: 'mainline as of v6.17',
    summary: 'fs-dax folios refcounted from 0, hot-added RAM marked Offline, fixed misaligned WARN' },
  { name: 'hotplug-lock-rwsem', features: { ...v4_18, hotplugLock: 'rwsem-init-read' },
    source: 'the lock-scope debate in the review of "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap" (never merged)',
    summary: 'what-if: v4.18 with the memmap init under mem_hotplug_lock held for read' },
  { name: 'hotplug-lock-range', features: { ...v4_18, hotplugLock: 'range' },
    source: 'the lock-scope debate in the review of "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap" (never merged)',
    summary: 'what-if: v4.18 with a range lock instead of the global mem_hotplug_lock' },
];

export function findKernel(name: string): KernelPreset | undefined {
  return KERNEL_PRESETS.find((k) => k.name === name);
}
