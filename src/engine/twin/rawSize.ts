import { findArch, resolveGeometry, type Geometry } from '../arch/presets';
import type { KernelFeatures } from '../kernel/features';
import { kernelFeatures } from '../kernel/presets';
import { releaseOf } from '../kernel/version';
import { layoutNamespace } from '../state/namespace';
import { alignUp, MiB } from '../units';

/** nd_region's default allocation unit (drivers/nvdimm/region_devs.c default_align(): 16 MiB on x86). */
export const REGION_ALIGN = 16 * MiB;

/** A pfn/dax namespace as ndctl lists it: map, align and the device's capacity in bytes. */
export interface ListedNamespace {
  map: 'dev' | 'mem';
  align: number;
  capacity: number;
}

/** The capacity the kernel's pfn layout (drivers/nvdimm/pfn_devs.c nd_pfn_init()) leaves a namespace at `start` of `size` bytes. */
export function capacityOf(
  ns: ListedNamespace,
  start: number,
  size: number,
  kernel: string,
  arch: string,
): number | undefined {
  const k = kernelOn(kernel, arch);
  return k && capacity(k.g, k.f, ns, start, size);
}

/**
 * The raw namespace size whose layout leaves exactly ndctl's capacity: the smallest multiple of the
 * region's allocation unit that does. ndctl lists the pfn/dax capacity, not the namespace's own
 * size; /proc/iomem shows that. Undefined when no size gives that capacity.
 */
export function rawNamespaceSize(
  ns: ListedNamespace,
  kernel: string,
  arch: string,
  unit: number,
): number | undefined {
  const k = kernelOn(kernel, arch);
  if (!k || unit <= 0) return undefined;
  // The memmap reserve is at most 1/64 of the namespace (64-byte struct pages per 4 KiB page)
  // plus an alignment at each end, so the search is short.
  const limit = ns.capacity + Math.ceil(ns.capacity / 32) + 4 * Math.max(ns.align, unit) + unit;
  // At an address aligned to everything, as a region's first namespace is.
  const start = Math.max(ns.align, unit, k.g.sectionSize);
  for (let size = alignUp(ns.capacity, unit); size <= limit; size += unit) {
    if (capacity(k.g, k.f, ns, start, size) === ns.capacity) return size;
  }
  return undefined;
}

function kernelOn(kernel: string, arch: string): { g: Geometry; f: KernelFeatures } | undefined {
  const preset = findArch(arch);
  const f = kernelFeatures(kernel, arch);
  return preset && f ? { g: resolveGeometry(preset, releaseOf(f), 64), f } : undefined;
}

function capacity(
  g: Geometry,
  f: KernelFeatures,
  ns: ListedNamespace,
  start: number,
  size: number,
): number | undefined {
  const r = layoutNamespace(g, {
    devName: 'namespace',
    start,
    size,
    align: ns.align,
    map: ns.map,
    sectionUnit: f.hotplugUnit === 'section',
    compatCheck: f.compatAlignCheck,
    neighbours: [],
  });
  return r.ok ? r.layout.npfns * g.pageSize : undefined;
}
