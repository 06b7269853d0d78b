import type { KernelFeatures } from './features';

/**
 * The bit numbers of the page flags the emulator models, per order of enum pageflags
 * (include/linux/page-flags.h). Each comes before the first config-dependent entry
 * (PG_mlocked under CONFIG_MMU), so it does not depend on the kernel's config:
 * - v4.18 (read in linux-4.19): locked, error, referenced, uptodate, dirty, lru (5), active,
 *   waiters, slab, owner_priv_1, arch_1, reserved (11), private, private_2, writeback, head (15);
 * - v4.20: error moves after waiters for workingset: lru 4, reserved 12, head 16;
 * - v6.6: writeback and head move into the bottom byte: lru 5, head 6, reserved 14;
 * - v6.10: slab leaves the enum (a page type now): reserved 13.
 */
const BITS: Record<KernelFeatures['pageFlagBits'], Record<ModelledFlag, number>> = {
  'v4.18': { lru: 5, reserved: 11, head: 15 },
  'v4.20': { lru: 4, reserved: 12, head: 16 },
  'v6.6': { lru: 5, reserved: 14, head: 6 },
  'v6.10': { lru: 5, reserved: 13, head: 6 },
};

type ModelledFlag = 'lru' | 'reserved' | 'head';

/** page->flags as far as the model knows it, and what of the page's flags is not in it. */
export interface PageFlagsWord {
  /** The PG_ bits of the modelled flags; the zone, node and LAST_CPUPID fields are left 0. */
  word: bigint;
  /** The flags set in `word`, lowest bit first, as crash's kmem -p names them. */
  names: string[];
  /**
   * Flags the model holds that are no bit of page->flags: page types in page->page_type, such as
   * PageOffline (include/linux/page-flags.h: PAGE_TYPE_OPS(Offline, offline, offline)).
   */
  pageTypes: string[];
}

/** The flags word of a struct page whose flags (%pGp names) are `flags`, in this release's order. */
export function pageFlagsWord(
  layout: KernelFeatures['pageFlagBits'],
  flags: readonly string[],
): PageFlagsWord {
  const bits = BITS[layout];
  const set = flags
    .filter((f): f is ModelledFlag => Object.hasOwn(bits, f))
    .sort((a, b) => bits[a] - bits[b]);
  return {
    word: set.reduce((w, f) => w | (1n << BigInt(bits[f])), 0n),
    names: set,
    pageTypes: flags.filter((f) => !Object.hasOwn(bits, f)),
  };
}
