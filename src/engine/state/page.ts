/** Zones as /proc/zoneinfo names them. */
export type ZoneName = 'DMA' | 'DMA32' | 'Normal' | 'Movable' | 'Device';

/**
 * The state of a run of struct pages that are alike. Initialisation time is linear across the
 * loop that wrote them, so each pfn's own time is recovered from (initT0, initT1, initFirst, initLast).
 */
export interface PageState {
  initBy: string;
  initStep: number;
  initT0: number;
  initT1: number;
  initFirst: number;
  initLast: number;
  nid: number;
  zone: ZoneName;
  /** Lower-case flag names, as %pGp prints them, sorted. */
  flags: readonly string[];
  refcount: number;
  /** page_mapcount(): _mapcount + 1. */
  mapcount: number;
  /** Id of the dev_pagemap, once page->pgmap is set. */
  pgmap?: number;
  /** Compound order (0: not compound); heads are aligned from `compoundBase`. */
  compoundOrder: number;
  compoundBase: number;
  migratetype: string;
}

export function samePage(a: PageState, b: PageState): boolean {
  return (
    a.initBy === b.initBy &&
    a.initStep === b.initStep &&
    a.initT0 === b.initT0 &&
    a.initT1 === b.initT1 &&
    a.initFirst === b.initFirst &&
    a.initLast === b.initLast &&
    a.nid === b.nid &&
    a.zone === b.zone &&
    a.refcount === b.refcount &&
    a.mapcount === b.mapcount &&
    a.pgmap === b.pgmap &&
    a.compoundOrder === b.compoundOrder &&
    a.compoundBase === b.compoundBase &&
    a.migratetype === b.migratetype &&
    a.flags.length === b.flags.length &&
    a.flags.every((f, i) => f === b.flags[i])
  );
}

export function withFlag(flags: readonly string[], flag: string, on: boolean): readonly string[] {
  const set = new Set(flags);
  if (on) set.add(flag);
  else set.delete(flag);
  return [...set].sort();
}

/** The time a single pfn of a run was initialised, from the loop that wrote it. */
export function initTimeOf(p: PageState, pfn: number): number {
  const n = p.initLast - p.initFirst;
  return n <= 0 ? p.initT0 : p.initT0 + ((p.initT1 - p.initT0) * (pfn - p.initFirst)) / n;
}
