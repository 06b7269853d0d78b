import { GiB, KiB, MiB } from '../units';
import type { VersionCode } from '../kernel/version';

/** One architecture's page, section and sub-section sizes; section size may depend on the kernel version. */
export interface ArchPreset {
  name: string;
  pageSize: number;
  /** SECTION_SIZE_BITS by kernel version: the first entry whose `until` is above the version wins. */
  sectionBits: { until?: VersionCode; bits: number }[];
  /** pageblock_order; ppc64 computes it at runtime from the hugetlb order. */
  pageblockOrder: number;
  /** MAX_ORDER - 1 (the largest buddy order), for deferred init's max-order blocks. */
  maxOrder: number;
  /** The vmemmap lives in init_mm page tables (false on ppc64 hash: bolted hash entries). */
  vmemmapInInitMm: boolean;
  /** memremap_compat_align(): the smallest alignment a namespace start may have. */
  compatAlign: number;
  /** VMEMMAP_START: where struct pages live in the kernel's address space (for oops addresses). */
  vmemmapBase: bigint;
  /**
   * Transparent huge page sizes, which with PAGE_SIZE are device-dax's alignments
   * (nd_pfn_supported_alignments()): the PMD size, and the PUD size where the arch has PUD THP
   * (has_transparent_pud_hugepage(); ppc64 radix from v6.5).
   */
  thp: { pmd: number; pud?: { size: number; from?: VersionCode } };
  /** vmemmap_populate() maps base pages (arm64 with 64K pages), not PMD-sized blocks. */
  vmemmapBasePages?: true;
  note?: string;
}

export const ARCH_PRESETS: ArchPreset[] = [
  {
    name: 'x86_64',
    pageSize: 4 * KiB,
    sectionBits: [{ bits: 27 }],
    pageblockOrder: 9,
    maxOrder: 10,
    vmemmapInInitMm: true,
    compatAlign: 2 * MiB,
    vmemmapBase: 0xffffea0000000000n,
    thp: { pmd: 2 * MiB, pud: { size: GiB } },
  },
  {
    name: 'arm64',
    pageSize: 4 * KiB,
    sectionBits: [{ until: 512, bits: 30 }, { bits: 27 }],
    pageblockOrder: 9,
    maxOrder: 10,
    vmemmapInInitMm: true,
    compatAlign: 2 * MiB,
    vmemmapBase: 0xfffffc0000000000n,
    thp: { pmd: 2 * MiB },
    note: '4K pages; 1 GiB sections before v5.12',
  },
  {
    name: 'arm64-64k',
    pageSize: 64 * KiB,
    sectionBits: [{ until: 512, bits: 30 }, { bits: 29 }],
    pageblockOrder: 13,
    maxOrder: 13,
    vmemmapInInitMm: true,
    compatAlign: 2 * MiB,
    vmemmapBase: 0xfffffc0000000000n,
    thp: { pmd: 512 * MiB },
    vmemmapBasePages: true,
    note: '64K pages; 1 GiB sections before v5.12, 512 MiB after',
  },
  {
    name: 'ppc64-radix',
    pageSize: 64 * KiB,
    sectionBits: [{ bits: 24 }],
    pageblockOrder: 8,
    maxOrder: 8,
    vmemmapInInitMm: true,
    compatAlign: 2 * MiB,
    vmemmapBase: 0xc00c000000000000n,
    thp: { pmd: 2 * MiB, pud: { size: GiB, from: 605 } },
    note: 'pageblock order is min(hugetlb order, max order) at runtime: 8 with 16 MiB huge pages',
  },
  {
    name: 'ppc64-hash',
    pageSize: 64 * KiB,
    sectionBits: [{ bits: 24 }],
    pageblockOrder: 8,
    maxOrder: 8,
    vmemmapInInitMm: false,
    compatAlign: 16 * MiB,
    vmemmapBase: 0xc00c000000000000n,
    thp: { pmd: 16 * MiB },
    note: 'vmemmap is bolted hash entries, no init_mm page table; memremap granularity 16 MiB',
  },
  {
    name: 's390x',
    pageSize: 4 * KiB,
    sectionBits: [{ until: 613, bits: 28 }, { bits: 27 }],
    pageblockOrder: 8,
    maxOrder: 10,
    vmemmapInInitMm: true,
    compatAlign: 2 * MiB,
    vmemmapBase: 0x0000040000000000n,
    thp: { pmd: 1 * MiB },
  },
  {
    name: 'riscv64',
    pageSize: 4 * KiB,
    sectionBits: [{ bits: 27 }],
    pageblockOrder: 9,
    maxOrder: 10,
    vmemmapInInitMm: true,
    compatAlign: 2 * MiB,
    vmemmapBase: 0xff1c000000000000n,
    thp: { pmd: 2 * MiB },
  },
  {
    name: 'loongarch64',
    pageSize: 16 * KiB,
    sectionBits: [{ bits: 29 }],
    pageblockOrder: 11,
    maxOrder: 11,
    vmemmapInInitMm: true,
    compatAlign: 2 * MiB,
    vmemmapBase: 0xffffff0000000000n,
    thp: { pmd: 32 * MiB },
    note: 'pageblock order assumed from the huge page order, not read from the kernel source',
  },
];

/** SUBSECTION_SHIFT = 21 on every architecture (v5.3+). */
export const SUBSECTION_SIZE = 2 * MiB;

/** Everything the kernel paths need to know about sizes, resolved for one arch and kernel. */
export interface Geometry {
  arch: string;
  pageSize: number;
  sectionSize: number;
  pagesPerSection: number;
  pagesPerSubsection: number;
  subsectionsPerSection: number;
  pageblockPages: number;
  maxOrderPages: number;
  structPageSize: number;
  /** struct pages that fit in one vmemmap page. */
  structPagesPerVmemmapPage: number;
  vmemmapInInitMm: boolean;
  compatAlign: number;
  vmemmapBase: bigint;
  /** nd_pfn_supported_alignments(): PAGE_SIZE, the PMD size, the PUD size with PUD THP. */
  devdaxAlignments: number[];
  /** ppc64's vmemmap_populate() takes node RAM when the altmap has no room (others fail -ENOMEM). */
  altmapFallback: boolean;
  /** The size of one vmemmap allocation (PMD, or a base page): altmap allocations align to it. */
  vmemmapBlock: number;
  /** PMD_SIZE. */
  pmdSize: number;
}

export function findArch(name: string): ArchPreset | undefined {
  return ARCH_PRESETS.find((a) => a.name === name);
}

export function resolveGeometry(
  arch: ArchPreset,
  version: VersionCode,
  structPageSize: number,
): Geometry {
  const bits = arch.sectionBits.find((s) => s.until === undefined || version < s.until)!.bits;
  const sectionSize = 2 ** bits;
  const pagesPerSubsection = SUBSECTION_SIZE / arch.pageSize;
  return {
    arch: arch.name,
    pageSize: arch.pageSize,
    sectionSize,
    pagesPerSection: sectionSize / arch.pageSize,
    pagesPerSubsection,
    subsectionsPerSection: sectionSize / SUBSECTION_SIZE,
    pageblockPages: 2 ** arch.pageblockOrder,
    maxOrderPages: 2 ** arch.maxOrder,
    structPageSize,
    structPagesPerVmemmapPage: Math.floor(arch.pageSize / structPageSize),
    vmemmapInInitMm: arch.vmemmapInInitMm,
    compatAlign: arch.compatAlign,
    vmemmapBase: arch.vmemmapBase,
    altmapFallback: arch.name.startsWith('ppc64'),
    vmemmapBlock: arch.vmemmapBasePages ? arch.pageSize : arch.thp.pmd,
    pmdSize: arch.thp.pmd,
    devdaxAlignments: [
      arch.pageSize,
      arch.thp.pmd,
      ...(arch.thp.pud && version >= (arch.thp.pud.from ?? 0) ? [arch.thp.pud.size] : []),
    ],
  };
}

export const DEFAULT_STRUCT_PAGE_SIZE = 64;

/**
 * pfn_to_page() with SPARSEMEM_VMEMMAP (include/asm-generic/memory_model.h:
 * `#define __pfn_to_page(pfn) (vmemmap + (pfn))`): the struct page's kernel virtual address.
 */
export function structPageAddress(g: Geometry, pfn: number): bigint {
  return g.vmemmapBase + BigInt(pfn) * BigInt(g.structPageSize);
}
