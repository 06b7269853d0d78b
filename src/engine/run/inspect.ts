import type { RunResult } from './runScenario';
import type { PageState } from '../state/page';
import { initTimeOf } from '../state/page';
import type { SectionState } from '../state/section';
import type { VmemmapBacking } from '../state/machine';
import { pfnToSection, pfnValid, populatedSubsections } from '../mm/sparse';
import { pageFlagsWord } from '../kernel/pageFlags';
import { structPageAddress } from '../arch/presets';
import { hex } from '../units';

/** The struct page of one pfn as the kernel holds it, plus where its memmap lives. */
export interface PageInfo {
  pfn: number;
  phys: string;
  /** After which step (undefined: the end of the run). */
  afterStep?: number;
  memmap: 'initialised' | 'uninitialised' | 'no-memmap';
  flags: string[];
  /** page->flags as far as the model knows it: the PG_ bits of `flags` in the release's order. */
  flagsWord?: string;
  refcount: number;
  mapcount: number;
  zone?: string;
  nid?: number;
  pgmap?: { device: string; type: string; range: [string, string]; vmemmapShift: number };
  compound?: { head: number; order: number; isHead: boolean };
  migratetype?: string;
  initialisedBy?: string;
  initialisedAtNs?: number;
  initialisedStep?: number;
  vmemmap?: {
    address: string;
    on: string;
    node: number;
    device?: string;
    structPagesPerVmemmapPage: number;
    sharedTail?: { ptes: number; structPages: number };
  };
  pfnValid: boolean;
  pfnToOnlinePage: boolean;
  section: {
    nr: number;
    present: boolean;
    valid: boolean;
    online: boolean;
    early: boolean;
    taintZoneDevice: boolean;
    subsection: number;
    subsectionActive: boolean;
    subsectionsPopulated: number;
    subsectionsPerSection: number;
  };
}

/** memmap-lab inspect: any pfn, at any step, from the range-compressed state. */
export function inspectPfn(run: RunResult, pfn: number, afterStep?: number): PageInfo {
  const { state, geometry: g } = run;
  const secNr = pfnToSection(g, pfn);
  const section =
    afterStep === undefined ? state.sections.get(secNr) : state.sections.at(secNr, afterStep);
  const page = afterStep === undefined ? state.pages.get(pfn) : state.pages.at(pfn, afterStep);
  const vm = afterStep === undefined ? state.vmemmap.get(pfn) : state.vmemmap.at(pfn, afterStep);
  return describePfn(run, pfn, section, page, vm, afterStep);
}

/** A pfn's PageInfo from its section, struct page and vmemmap backing, however they were looked up. */
export function describePfn(
  run: RunResult,
  pfn: number,
  section: SectionState | undefined,
  page: PageState | undefined,
  vm: VmemmapBacking | undefined,
  afterStep?: number,
): PageInfo {
  const g = run.geometry;
  const valid = pfnValid(g, section, pfn);
  const subsection = Math.floor((pfn % g.pagesPerSection) / g.pagesPerSubsection);
  const subsectionActive = !!section && ((section.subsectionMap >> BigInt(subsection)) & 1n) === 1n;
  const info: PageInfo = {
    pfn,
    phys: hex(pfn * g.pageSize),
    afterStep,
    memmap: page ? 'initialised' : valid || vm ? 'uninitialised' : 'no-memmap',
    flags: [],
    refcount: 0,
    mapcount: 0,
    pfnValid: valid,
    // pfn_to_online_page(): the section must be online; from v5.12 (9f9b02e5b346, and 1f90a3477df3
    // which brought the ZONE_DEVICE taint) also the pfn's sub-section active (holes of early
    // sections are not online) and no pgmap covering it. Before, an online section was enough:
    // the bug those commits fixed.
    pfnToOnlinePage:
      !!section?.online &&
      (!run.features.taintZoneDevice ||
        (subsectionActive &&
          page?.zone !== 'Device' &&
          !(afterStep === undefined && run.state.pgmapAt(pfn)))),
    section: {
      nr: pfnToSection(g, pfn),
      present: !!section?.present,
      valid: !!section?.valid,
      online: !!section?.online,
      early: !!section?.early,
      taintZoneDevice: !!section?.taintZoneDevice,
      subsection,
      subsectionActive,
      subsectionsPopulated: populatedSubsections(section),
      subsectionsPerSection: g.subsectionsPerSection,
    },
  };
  if (vm) {
    const perVm = g.structPagesPerVmemmapPage;
    info.vmemmap = {
      address: '0x' + structPageAddress(g, pfn).toString(16),
      on: vm.on,
      node: vm.node,
      device: vm.device,
      structPagesPerVmemmapPage: perVm,
    };
    if (vm.compoundPages && page) {
      const index = (pfn - page.compoundBase) % vm.compoundPages;
      if (index >= perVm)
        info.vmemmap.sharedTail = {
          ptes: Math.max(1, vm.compoundPages / perVm - 1),
          structPages: vm.compoundPages - perVm,
        };
    }
  }
  if (!page) return info;
  const nr = 2 ** page.compoundOrder;
  const head = page.compoundBase + Math.floor((pfn - page.compoundBase) / nr) * nr;
  const isHead = head === pfn;
  const pgmap = run.state.pgmapById(page.pgmap);
  const flags = page.compoundOrder > 0 && isHead ? [...page.flags, 'head'].sort() : [...page.flags];
  Object.assign(info, {
    flags,
    flagsWord: '0x' + pageFlagsWord(run.features.pageFlagBits, flags).word.toString(16),
    // Tail pages keep _refcount 0 and _mapcount -1; the folio's counts live in the head.
    refcount: isHead || page.compoundOrder === 0 ? page.refcount : 0,
    mapcount: isHead || page.compoundOrder === 0 ? page.mapcount : 0,
    zone: page.zone,
    nid: page.nid,
    migratetype: page.migratetype,
    initialisedBy: page.initBy,
    initialisedAtNs: Math.round(initTimeOf(page, pfn)),
    initialisedStep: page.initStep,
  });
  if (page.compoundOrder > 0) info.compound = { head, order: page.compoundOrder, isHead };
  if (pgmap) {
    const r = pgmap.ranges.find((x) => pfn >= x.start && pfn < x.end) ?? pgmap.ranges[0];
    info.pgmap = {
      device: pgmap.device,
      type: pgmap.type,
      range: [hex(r.start), hex(r.end - 1)],
      vmemmapShift: pgmap.vmemmapShift,
    };
  }
  return info;
}

/** A pfn's state after every step, from one pass over the change logs (the history scrubber). */
export function pfnHistory(run: RunResult, pfn: number): PageInfo[] {
  const { state, geometry: g } = run;
  const secNr = pfnToSection(g, pfn);
  const byStep = <T>(entries: { step: number; value: T | undefined }[]) => {
    const m = new Map<number, T | undefined>();
    for (const e of entries) m.set(e.step, e.value);
    return m;
  };
  const pages = byStep(state.pages.history(pfn));
  const sections = byStep(state.sections.history(secNr));
  const vms = byStep(state.vmemmap.history(pfn));
  const out: PageInfo[] = [];
  let page: PageState | undefined;
  let section: SectionState | undefined;
  let vm: VmemmapBacking | undefined;
  for (const st of run.steps) {
    if (st.outcome === 'not-run') break;
    if (pages.has(st.index)) page = pages.get(st.index);
    if (sections.has(st.index)) section = sections.get(st.index);
    if (vms.has(st.index)) vm = vms.get(st.index);
    out.push(describePfn(run, pfn, section, page, vm, st.index));
  }
  return out;
}
