import type { Altmap } from './namespace';
import type { Completion } from '../sim/scheduler';
import { LoggedRangeMap } from './history';
import { samePage, type PageState, type ZoneName } from './page';
import { sameSection, type SectionState } from './section';

/** Where a run of struct pages' vmemmap lives. */
export interface VmemmapBacking {
  on: 'boot' | 'dram' | 'altmap';
  node: number;
  /** The device whose altmap holds it. */
  device?: string;
  /** Optimised compound vmemmap: struct pages per compound page (tail vmemmap page shared). */
  compoundPages?: number;
  /** ...counted from this pfn (the range start), so a compound page split across chunks is one. */
  compoundBase?: number;
}

const sameBacking = (a: VmemmapBacking, b: VmemmapBacking) =>
  a.on === b.on &&
  a.node === b.node &&
  a.device === b.device &&
  a.compoundPages === b.compoundPages &&
  a.compoundBase === b.compoundBase;

/** enum memory_type: what kind of device memory a dev_pagemap maps. */
export type PgmapType = 'private' | 'coherent' | 'fsdax' | 'generic' | 'p2pdma';

/** struct percpu_ref: the sum of all per-cpu counts, and its mode. */
export interface PercpuRef {
  count: number;
  mode: 'percpu' | 'atomic';
  killed: boolean;
  release: string;
  /** A per-page put loop under way: `total` puts spread evenly from t0, one per `perNs`. */
  draining?: { t0: number; perNs: number; total: number };
  /** The release function ran (count reached zero in atomic mode). */
  released: boolean;
}

/** struct dev_pagemap, with ranges in pfns [start, end). */
export interface Pgmap {
  id: number;
  device: string;
  type: PgmapType;
  node: number;
  ranges: { start: number; end: number }[];
  /** Pre-v5.3: the section-padded range the pgmap claims. */
  claim: { start: number; end: number }[];
  vmemmapShift: number;
  altmap?: Altmap;
  ref: PercpuRef;
  done: Completion;
  /** pfn_first(): where device pages (and their refs) start. */
  pfnFirst: number;
  live: boolean;
}

/** /proc/iomem entries the paths consult (region_intersects). */
export interface Resource {
  start: number;
  end: number;
  name: 'System RAM' | 'Persistent Memory' | string;
  node: number;
}

/** IORESOURCE_SYSTEM_RAM: boot RAM and hot-added RAM, whatever the driver named it ("System RAM (kmem)"). */
export function isSystemRam(r: Pick<Resource, 'name'>): boolean {
  return r.name.startsWith('System RAM');
}

/** /sys/devices/system/memory/auto_online_blocks: what add_memory() does with the blocks it adds. */
export const AUTO_ONLINE = ['offline', 'online', 'online_kernel', 'online_movable'] as const;
export type AutoOnline = (typeof AUTO_ONLINE)[number];

/** memory_hotplug.online_policy=: how "online" picks a zone. */
export const ONLINE_POLICIES = ['contig-zones', 'auto-movable'] as const;
export type OnlinePolicy = (typeof ONLINE_POLICIES)[number];

/** A memory block device (/sys/devices/system/memory/memoryN). */
export interface MemoryBlock {
  state: 'online' | 'offline';
  zone?: ZoneName;
  node: number;
  /** memmap_on_memory: the block's first pages hold its own memmap (struct memory_block.altmap). */
  vmemmapPages?: number;
}

export interface NodeLayout {
  id: number;
  cpus: number;
  ram: { start: number; end: number }[];
  pmem: { start: number; end: number }[];
}

export interface ZoneSpan {
  nid: number;
  zone: ZoneName;
  start: number;
  end: number;
}

/** Everything the kernel paths read and write. Ranges, not pages. */
export class MachineState {
  readonly sections = new LoggedRangeMap<SectionState>(sameSection);
  readonly pages = new LoggedRangeMap<PageState>(samePage);
  readonly vmemmap = new LoggedRangeMap<VmemmapBacking>(sameBacking);
  readonly memoryBlocks = new LoggedRangeMap<MemoryBlock>(
    (a, b) =>
      a.state === b.state &&
      a.zone === b.zone &&
      a.node === b.node &&
      a.vmemmapPages === b.vmemmapPages,
  );
  readonly pgmaps: Pgmap[] = [];
  readonly resources: Resource[] = [];
  /** memmap_on_memory: each hot-added block's own altmap (its memmap lives in its first pages), by block. */
  readonly blockAltmaps = new Map<number, Altmap>();
  readonly zones = new Map<string, ZoneSpan>();
  memoryBlockSize = 0;
  /** memhp_default_online_type (auto_online_blocks, memhp_default_state=). */
  autoOnline: AutoOnline = 'offline';
  /** memory_hotplug.online_policy (v5.15). */
  onlinePolicy: OnlinePolicy = 'contig-zones';
  /** WARN_ONCE()s that fired: the kernel prints each once per boot. */
  readonly warnedOnce = new Set<string>();
  /** The live pgmaps, so lookups do not scan every pgmap a long run ever created. */
  private readonly live = new Set<Pgmap>();

  constructor(readonly nodes: NodeLayout[]) {}

  /** The live pgmap whose claim covers a pfn (get_dev_pagemap's lookup). */
  pgmapAt(pfn: number): Pgmap | undefined {
    for (const p of this.live) if (p.claim.some((r) => pfn >= r.start && pfn < r.end)) return p;
    return undefined;
  }

  /** Marks a pgmap live (lookups find it) or dead. */
  setLive(pgmap: Pgmap, live: boolean): void {
    pgmap.live = live;
    if (live) this.live.add(pgmap);
    else this.live.delete(pgmap);
  }

  /** The pgmap a struct page points to (ids are positions in `pgmaps`). */
  pgmapById(id: number | undefined): Pgmap | undefined {
    return id === undefined
      ? undefined
      : this.pgmaps[id]?.id === id
        ? this.pgmaps[id]
        : this.pgmaps.find((p) => p.id === id);
  }

  /** Grows a zone's span (move_pfn_range_to_zone → resize_zone_range). */
  growZone(nid: number, zone: ZoneName, start: number, end: number): void {
    const key = `${nid}:${zone}`;
    const z = this.zones.get(key);
    if (!z) this.zones.set(key, { nid, zone, start, end });
    else {
      z.start = Math.min(z.start, start);
      z.end = Math.max(z.end, end);
    }
  }
}
