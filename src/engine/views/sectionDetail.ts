import type { RunResult } from '../run/runScenario';
import type { VmemmapBacking } from '../state/machine';
import type { PageState, ZoneName } from '../state/page';
import { EMPTY_SECTION, popcount, type SectionState } from '../state/section';
import { sectionKind, type SectionKind } from './memoryMap';
import { runsAt } from './stateAt';

/** How the inspector colours a page. */
export type PageKind =
  | 'no-memmap'
  | 'uninitialised'
  | 'free'
  | 'in-use'
  | 'reserved'
  | 'offline'
  | 'device'
  | 'device-in-use';

/** pfns [start, end) whose struct pages are alike. */
export interface PageRun {
  start: number;
  end: number;
  kind: PageKind;
  zone?: ZoneName;
  nid?: number;
  flags: readonly string[];
  refcount?: number;
  mapcount?: number;
  initBy?: string;
  initStep?: number;
  compoundOrder?: number;
  migratetype?: string;
  /** The pgmap's device. */
  device?: string;
}

export interface SubsectionCell {
  index: number;
  start: number;
  end: number;
  /** Its bit in the section's subsection_map. */
  active: boolean;
  /** The kind most of its pages have. */
  kind: PageKind;
}

export interface PageblockCell {
  start: number;
  end: number;
  migratetype?: string;
  kind: PageKind;
}

/** Where a run of struct pages' memmap lives. */
export interface VmemmapRun extends VmemmapBacking {
  start: number;
  end: number;
}

/** One section opened up: its sub-sections, pageblocks, pages and memmap, after a step. */
export interface SectionDetail {
  nr: number;
  start: number;
  end: number;
  afterStep?: number;
  kind: SectionKind;
  state: Omit<SectionState, 'subsectionMap' | 'bootUsage'> & {
    populated: number;
    subsectionMap: string;
  };
  subsections: SubsectionCell[];
  pageblocks: PageblockCell[];
  pages: PageRun[];
  vmemmap: VmemmapRun[];
}

/**
 * A device page counts as in use with a mapping or a reference beyond the idle one (the idle
 * count is 1 or 0 depending on kernel and pgmap type; 1 is the common case).
 */
function pageKind(p: PageState): PageKind {
  if (p.zone === 'Device') return p.mapcount > 0 || p.refcount > 1 ? 'device-in-use' : 'device';
  if (p.flags.includes('offline')) return 'offline';
  if (p.flags.includes('reserved')) return 'reserved';
  return p.refcount > 0 || p.mapcount > 0 ? 'in-use' : 'free';
}

/** The kind covering most of [start, end). */
function dominant(pages: PageRun[], start: number, end: number): PageKind {
  const count = new Map<PageKind, number>();
  for (const r of pages) {
    const n = Math.min(r.end, end) - Math.max(r.start, start);
    if (n > 0) count.set(r.kind, (count.get(r.kind) ?? 0) + n);
  }
  return [...count.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'no-memmap';
}

export function sectionDetail(run: RunResult, nr: number, afterStep?: number): SectionDetail {
  const g = run.geometry;
  const start = nr * g.pagesPerSection;
  const end = start + g.pagesPerSection;
  const section = runsAt(run.state.sections, afterStep, nr, nr + 1)[0]?.value;
  const s = section ?? { ...EMPTY_SECTION };
  const bit = (i: number) => ((s.subsectionMap >> BigInt(i)) & 1n) === 1n;
  // pfn_valid(): early sections throughout, others where the sub-section bit is set.
  const valid = (i: number) => s.valid && (s.early || bit(i));
  const pages: PageRun[] = [];
  let cursor = start;
  const gap = (to: number) => {
    for (let p = cursor; p < to;) {
      const i = Math.floor((p - start) / g.pagesPerSubsection);
      const next = Math.min(to, start + (i + 1) * g.pagesPerSubsection);
      const kind: PageKind = valid(i) ? 'uninitialised' : 'no-memmap';
      const last = pages[pages.length - 1];
      if (last && last.end === p && last.kind === kind && last.zone === undefined) last.end = next;
      else pages.push({ start: p, end: next, kind, flags: [] });
      p = next;
    }
  };
  const pgmapDevice = new Map(run.state.pgmaps.map((p) => [p.id, p.device]));
  for (const r of runsAt(run.state.pages, afterStep, start, end)) {
    gap(r.start);
    const p = r.value;
    pages.push({
      start: r.start,
      end: r.end,
      kind: pageKind(p),
      zone: p.zone,
      nid: p.nid,
      flags: p.flags,
      refcount: p.refcount,
      mapcount: p.mapcount,
      initBy: p.initBy,
      initStep: p.initStep,
      compoundOrder: p.compoundOrder,
      migratetype: p.migratetype,
      device: p.pgmap === undefined ? undefined : pgmapDevice.get(p.pgmap),
    });
    cursor = r.end;
  }
  gap(end);
  const device = run.state.pgmaps.some((p) => p.ranges.some((r) => r.start < end && r.end > start));
  const subsections = Array.from({ length: g.subsectionsPerSection }, (_, i) => {
    const a = start + i * g.pagesPerSubsection;
    const b = a + g.pagesPerSubsection;
    return { index: i, start: a, end: b, active: bit(i), kind: dominant(pages, a, b) };
  });
  const pageblocks: PageblockCell[] = [];
  for (let a = start; a < end; a += g.pageblockPages) {
    const b = Math.min(end, a + g.pageblockPages);
    pageblocks.push({
      start: a,
      end: b,
      kind: dominant(pages, a, b),
      migratetype: pages.find((r) => r.end > a && r.start < b && r.migratetype)?.migratetype,
    });
  }
  return {
    nr,
    start,
    end,
    afterStep,
    kind: sectionKind(section, device, g.subsectionsPerSection),
    state: {
      present: s.present,
      valid: s.valid,
      online: s.online,
      early: s.early,
      taintZoneDevice: s.taintZoneDevice,
      nid: s.nid,
      populated: popcount(s.subsectionMap),
      subsectionMap: '0x' + s.subsectionMap.toString(16),
    },
    subsections,
    pageblocks,
    pages,
    vmemmap: runsAt(run.state.vmemmap, afterStep, start, end).map((r) => ({
      start: r.start,
      end: r.end,
      ...r.value,
    })),
  };
}
