import type { Geometry } from '../arch/presets';
import { alignDown, alignUp, hex, KiB, pa } from '../units';
import type { DiagnosticCode } from '../trace/diagnosticCodes';

/** The libnvdimm info-block reserve at the start of a pfn/dax namespace. */
export const INFO_BLOCK = 8 * KiB;
/** MAX_STRUCT_PAGE_SIZE: the struct page size reserved on media, whatever the kernel's is. */
export const MEDIA_STRUCT_PAGE = 64;

export interface Altmap {
  basePfn: number;
  /** Pages reserved for the info block. */
  reserve: number;
  /** Pages available for the memmap (alignment padding included). */
  free: number;
  /** Pages handed out and not yet freed (vmem_altmap_free() gives them back). */
  alloc: number;
  /** Padding pages spent to put the first allocation on a PMD boundary. */
  align: number;
  /**
   * Vmemmap pages (by index) at the edges of its allocations that struct pages of neighbouring
   * ranges share; whoever frees one last gives it back here (vmemmap_free() by address).
   */
  edges?: Set<number>;
}

/** What `ndctl create-namespace` lays out on the media (nd_pfn_init()), in bytes unless named pfns. */
export interface NamespaceLayout {
  start: number;
  size: number;
  /** Pre-v5.3: bytes skipped to reach a section not shared with another range. */
  startPad: number;
  endTrunc: number;
  /** Pre-v5.3: bytes lost to sharing a section with another range ("alignment collision"). */
  collision: number;
  /** Data offset from `start`: info block, memmap (map=dev), alignment. */
  offset: number;
  /** Data pages: the block/dax device's capacity in pages. */
  npfns: number;
  /** The pgmap range, [rangeStart, rangeEnd). */
  rangeStart: number;
  rangeEnd: number;
  /** map=dev: the memmap lives on the device. */
  altmap?: Altmap;
  /** The pfn of the device's byte 0 (where `+offset` pfns count from). */
  dataPfn: number;
}

export type LayoutResult =
  | { ok: true; layout: NamespaceLayout; messages: string[] }
  | { ok: false; message: string; code: DiagnosticCode };

export interface LayoutInput {
  /** dev_name() of the namespace, e.g. "namespace0.0". */
  devName: string;
  start: number;
  size: number;
  align: number;
  map: 'dev' | 'mem';
  /** Pre-v5.3 section granularity: pad around sections shared with another range. */
  sectionUnit: boolean;
  /** nd_pfn_init() checks the start against memremap_compat_align() (v5.7). */
  compatCheck: boolean;
  /** Other ranges (RAM, namespaces) that may share a section with this one. */
  neighbours: [number, number][];
}

/** nd_pfn_init()'s arithmetic: info block, memmap reservation, alignment, truncation. */
export function layoutNamespace(g: Geometry, ns: LayoutInput): LayoutResult {
  const { start, size } = ns;
  // From v5.3 the alignment is at least the arch's compat alignment (SUBSECTION_SIZE; 16 MiB on
  // ppc64 hash); before, only map=dev's memmap reservation was padded to at least PMD_SIZE.
  const align = ns.sectionUnit ? ns.align : Math.max(ns.align, g.compatAlign);
  const dataAlign =
    ns.sectionUnit && ns.map === 'dev' ? Math.max(ns.align, g.devdaxAlignments[1]) : align;
  if (ns.map === 'dev' && g.structPageSize > MEDIA_STRUCT_PAGE) {
    return {
      ok: false,
      code: 'struct-page-too-big',
      message: 'Memory debug options prevent using pmem for the page map',
    };
  }
  if (ns.compatCheck && start % g.compatAlign !== 0) {
    return {
      ok: false,
      code: 'namespace-misaligned',
      message: `${ns.devName}: start ${pa(start)} misaligned to ${hex(g.compatAlign)}`,
    };
  }
  let startPad = 0;
  const alignTrunc = start + size - alignDown(start + size, align);
  let endTrunc = alignTrunc;
  const messages: string[] = [];
  if (ns.sectionUnit) {
    const shares = (s: number) => ns.neighbours.some(([a, b]) => a < s + g.sectionSize && b > s);
    const firstSection = alignDown(start, g.sectionSize);
    const lastSection = alignDown(start + size - 1, g.sectionSize);
    if (start !== firstSection && shares(firstSection))
      startPad = alignUp(start, g.sectionSize) - start;
    if (start + size !== lastSection + g.sectionSize && shares(lastSection)) {
      endTrunc = Math.max(endTrunc, start + size - lastSection);
    }
    if (startPad + endTrunc > 0 && startPad + endTrunc < size) {
      messages.push(`${ns.devName} alignment collision, truncate ${startPad + endTrunc} bytes`);
    }
  }
  const base = start + startPad;
  const avail = size - startPad;
  // The memmap reservation's pfn count: before v5.3 rounded up to whole sections.
  const npfns0 = ns.sectionUnit
    ? alignUp(Math.floor((avail - endTrunc - INFO_BLOCK) / g.pageSize), g.pagesPerSection)
    : Math.floor((size - INFO_BLOCK) / g.pageSize);
  const dataStart =
    ns.map === 'dev'
      ? alignUp(base + INFO_BLOCK + MEDIA_STRUCT_PAGE * npfns0, dataAlign)
      : alignUp(base + INFO_BLOCK, dataAlign);
  const offset = dataStart - base;
  if (offset >= avail - endTrunc) {
    return {
      ok: false,
      code: 'namespace-align-unsatisfiable',
      message: `${ns.devName} unable to satisfy requested alignment`,
    };
  }
  const npfns = Math.floor((avail - offset - endTrunc) / g.pageSize);
  const basePfn = base / g.pageSize;
  // info_block_reserve(): ALIGN(SZ_8K, PAGE_SIZE), a whole page on 64K-page arches.
  const reserve = alignUp(INFO_BLOCK, g.pageSize) / g.pageSize;
  return {
    ok: true,
    messages,
    layout: {
      start,
      size,
      startPad,
      endTrunc,
      offset,
      npfns,
      collision: startPad + endTrunc - alignTrunc,
      rangeStart: base,
      rangeEnd: start + size - endTrunc,
      altmap:
        ns.map === 'dev'
          ? { basePfn, reserve, free: offset / g.pageSize - reserve, alloc: 0, align: 0 }
          : undefined,
      dataPfn: basePfn + offset / g.pageSize,
    },
  };
}
