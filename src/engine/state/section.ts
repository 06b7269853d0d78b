/** struct mem_section as the emulator keeps it: flags and the usage block's subsection_map. */
export interface SectionState {
  present: boolean;
  /** SECTION_HAS_MEM_MAP: pfn_valid() looks here first. */
  valid: boolean;
  online: boolean;
  /** SECTION_IS_EARLY: boot memory (v5.3). */
  early: boolean;
  /** SECTION_TAINT_ZONE_DEVICE (~v5.12). */
  taintZoneDevice: boolean;
  /** One bit per 2 MiB sub-section. */
  subsectionMap: bigint;
  /** The usage block came from memblock at boot and is never freed. */
  bootUsage: boolean;
  nid: number;
}

export function sameSection(a: SectionState, b: SectionState): boolean {
  return (
    a.present === b.present &&
    a.valid === b.valid &&
    a.online === b.online &&
    a.early === b.early &&
    a.taintZoneDevice === b.taintZoneDevice &&
    a.subsectionMap === b.subsectionMap &&
    a.bootUsage === b.bootUsage &&
    a.nid === b.nid
  );
}

export const EMPTY_SECTION: SectionState = {
  present: false,
  valid: false,
  online: false,
  early: false,
  taintZoneDevice: false,
  subsectionMap: 0n,
  bootUsage: false,
  nid: -1,
};

/** Bits [first, last] of a subsection map. */
export function subsectionMask(first: number, last: number): bigint {
  return ((1n << BigInt(last - first + 1)) - 1n) << BigInt(first);
}

export function popcount(mask: bigint): number {
  let n = 0;
  for (let m = mask; m; m &= m - 1n) n++;
  return n;
}
