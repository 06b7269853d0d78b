/**
 * Runs a scenario through the engine and the per-page reference model and lists every
 * difference: per pfn, per section, vmemmap totals, pgmap references, step outcomes, diagnostics.
 */
import { analyse } from '../../src/engine/analyse';
import type { RunResult } from '../../src/engine/run/runScenario';
import { inspectPfn } from '../../src/engine/run/inspect';
import { pfnValid } from '../../src/engine/mm/sparse';
import type { PageState } from '../../src/engine/state/page';
import type { SectionState } from '../../src/engine/state/section';
import { ReferenceModel, type RefPage } from './reference';

/** Diagnostics that depend on virtual time, which the reference ignores. */
const TIMED = new Set(['long-hotplug-lock-hold']);

/** One pfn as both sides describe it, in inspectPfn's terms. */
interface PfnView {
  memmap: string;
  flags: string;
  refcount: number;
  mapcount: number;
  zone?: string;
  nid?: number;
  pgmap?: string;
  compound?: string;
  pfnValid: boolean;
  online: boolean;
  vmemmap?: string;
}

const FIELDS: (keyof PfnView)[] = [
  'memmap',
  'flags',
  'refcount',
  'mapcount',
  'zone',
  'nid',
  'pgmap',
  'compound',
  'pfnValid',
  'online',
  'vmemmap',
];

export interface Comparison {
  mismatches: string[];
  /** pfns and sections compared. */
  pfns: number;
  sections: number;
  /** The run did not happen (parse errors): nothing to compare. */
  skipped?: string;
}

export function compareText(text: string, maxReports = 12): Comparison {
  const a = analyse(text);
  if (!a.run || !a.scenario) {
    return {
      mismatches: [],
      pfns: 0,
      sections: 0,
      skipped: a.diagnostics
        .map((d) => `${d.span.line}:${d.span.column} ${d.code} ${d.message}`)
        .join('; '),
    };
  }
  const run = a.run;
  const ref = new ReferenceModel(a.scenario).run();
  const out: string[] = [];
  const report = (m: string) => {
    if (out.length < maxReports) out.push(m);
    else if (out.length === maxReports) out.push('… more differences');
  };

  // Step outcomes, diagnostics.
  run.steps.forEach((st, i) => {
    if (st.outcome !== ref.outcomes[i])
      report(`step ${i} (${st.op}): engine ${st.outcome}, reference ${ref.outcomes[i]}`);
  });
  const engineCodes = [
    ...new Set(a.diagnostics.map((d) => d.code).filter((c) => !TIMED.has(c))),
  ].sort();
  const refCodes = [...ref.codes].sort();
  if (engineCodes.join() !== refCodes.join())
    report(`diagnostics: engine [${engineCodes}], reference [${refCodes}]`);

  // Devices and their pgmap references.
  for (const d of run.devices) {
    const r = ref.devices.get(d.spec.name);
    const state = d.state;
    if (!r) {
      report(`device ${d.spec.name}: placed by the engine only`);
      continue;
    }
    if (state !== r.state) report(`device ${d.spec.name}: engine ${d.state}, reference ${r.state}`);
    if (
      (r.state === 'live' || r.state === 'removing') &&
      d.pgmap &&
      r.pgmap &&
      d.pgmap.ref.count !== r.pgmap.ref
    ) {
      report(
        `device ${d.spec.name}: pgmap ref engine ${d.pgmap.ref.count}, reference ${r.pgmap.ref}`,
      );
    }
  }

  // vmemmap totals.
  const vm = lastCounter(run, 'vmemmapPages');
  if (vm !== ref.vmemmapPages) report(`vmemmap pages: engine ${vm}, reference ${ref.vmemmapPages}`);
  // Probes of one step run concurrently; the reference runs them one after the other, which may
  // order a populate before another device's unwind. The peak is comparable without such steps.
  const peak = run.peaks.vmemmapPages ?? 0;
  const concurrent = a.scenario.steps.some((st) => st.op === 'probe' && st.devices.length > 1);
  if (!concurrent && peak !== ref.vmemmapPeak)
    report(`vmemmap pages at peak: engine ${peak}, reference ${ref.vmemmapPeak}`);

  // Sections: every one either side knows.
  const g = run.geometry;
  const secNrs = new Set<number>(ref.sections.keys());
  for (const r of run.state.sections.current.all())
    for (let n = r.start; n < r.end; n++) secNrs.add(n);
  for (const pfn of ref.pages.keys()) secNrs.add(Math.floor(pfn / g.pagesPerSection));
  for (const r of run.state.pages.current.all())
    for (
      let n = Math.floor(r.start / g.pagesPerSection);
      n <= Math.floor((r.end - 1) / g.pagesPerSection);
      n++
    )
      secNrs.add(n);
  for (const nr of [...secNrs].sort((x, y) => x - y)) {
    const e = run.state.sections.get(nr);
    const r = ref.sections.get(nr);
    const ev = sectionView(e, g.subsectionsPerSection);
    const rv = r ? `${flagsOf(r)} map=${bitsOf(r.bits)}` : 'absent';
    if (ev !== rv) report(`section ${nr}: engine ${ev}, reference ${rv}`);
  }

  // Every pfn of those sections.
  let pfns = 0;
  const sample: number[] = [];
  const engineClaims = run.state.pgmaps.filter((p) => p.live).flatMap((p) => p.claim);
  const refClaims = ref.pgmaps.filter((p) => p.live).flatMap((p) => p.claims);
  const pgmapNames = run.state.pgmaps.map((p) => p.device);
  const covered = (claims: { start: number; end: number }[], pfn: number) =>
    claims.some((c) => pfn >= c.start && pfn < c.end);
  for (const nr of [...secNrs].sort((x, y) => x - y)) {
    const start = nr * g.pagesPerSection;
    const end = start + g.pagesPerSection;
    const pages = expand(run.state.pages.current.overlapping(start, end), start, end);
    const vms = expand(run.state.vmemmap.current.overlapping(start, end), start, end);
    const es = sectionFacts(run.state.sections.get(nr), g.subsectionsPerSection);
    const rs = ref.sections.get(nr);
    let lastPage: PageState | undefined | null = null;
    let lastVm: string | undefined;
    for (let pfn = start; pfn < end; pfn++, pfns++) {
      const i = pfn - start;
      const bit = Math.floor(i / g.pagesPerSubsection);
      const page = pages[i];
      const rp = ref.pages.get(pfn);
      const evm = vms[i]?.on;
      const rvm = ref.vmemmap.get(pfn)?.on;
      // inspectPfn itself, wherever the engine's state changes and a few places more.
      if (page !== lastPage || evm !== lastVm || i % g.pagesPerSubsection === 0 || pfn % 4099 === 0)
        sample.push(pfn);
      lastPage = page;
      lastVm = evm;
      const evalid = es.valid && (es.early || es.bits[bit]);
      const rvalid = !!rs && rs.valid && (rs.early || rs.bits[bit]);
      const eonline =
        es.online &&
        (!run.features.taintZoneDevice ||
          (es.bits[bit] && page?.zone !== 'Device' && !covered(engineClaims, pfn)));
      const ronline =
        !!rs && rs.online && (!ref.f.taintZoneDevice || (rs.bits[bit] && !covered(refClaims, pfn)));
      if (
        evalid === rvalid &&
        eonline === ronline &&
        evm === rvm &&
        (page ? rp && samePage(page, rp, pfn, pgmapNames) : !rp)
      )
        continue;
      const ev = engineView(run, pfn, page, evm, evalid, eonline);
      const rv = referenceView(ref, pfn, rvalid, ronline);
      for (const k of FIELDS) {
        if (ev[k] !== rv[k]) {
          report(`pfn ${hex(pfn)} ${k}: engine ${ev[k]}, reference ${rv[k]}`);
          break;
        }
      }
    }
  }
  for (const pfn of sample.slice(0, 200)) {
    const info = inspectPfn(run, pfn);
    const es = sectionFacts(
      run.state.sections.get(Math.floor(pfn / g.pagesPerSection)),
      g.subsectionsPerSection,
    );
    const bit = Math.floor((pfn % g.pagesPerSection) / g.pagesPerSubsection);
    const page = run.state.pages.get(pfn);
    const fast = engineView(
      run,
      pfn,
      page,
      run.state.vmemmap.get(pfn)?.on,
      pfnValid(g, run.state.sections.get(Math.floor(pfn / g.pagesPerSection)), pfn),
      es.online &&
        (!run.features.taintZoneDevice ||
          (es.bits[bit] && page?.zone !== 'Device' && !covered(engineClaims, pfn))),
    );
    const viaInspect: PfnView = {
      memmap: info.memmap,
      flags: info.flags.join('|'),
      refcount: info.refcount,
      mapcount: info.mapcount,
      zone: info.zone,
      nid: info.nid,
      pgmap: info.pgmap?.device,
      compound: info.compound ? `${info.compound.head}/${info.compound.order}` : undefined,
      pfnValid: info.pfnValid,
      online: info.pfnToOnlinePage,
      vmemmap: info.vmemmap?.on,
    };
    for (const k of FIELDS)
      if (fast[k] !== viaInspect[k])
        report(`harness: pfn ${hex(pfn)} ${k}: inspectPfn ${viaInspect[k]}, projection ${fast[k]}`);
    // The reference's own pfn_valid()/pfn_to_online_page(), against the inlined per-section checks.
    if (ref.pfnValid(pfn) !== viaInspect.pfnValid)
      report(
        `pfn ${hex(pfn)} pfnValid: engine ${viaInspect.pfnValid}, reference ${ref.pfnValid(pfn)}`,
      );
    if (ref.pfnToOnlinePage(pfn) !== viaInspect.online)
      report(
        `pfn ${hex(pfn)} online: engine ${viaInspect.online}, reference ${ref.pfnToOnlinePage(pfn)}`,
      );
  }
  return { mismatches: out, pfns, sections: secNrs.size };
}

function hex(n: number): string {
  return '0x' + n.toString(16);
}

function lastCounter(run: RunResult, name: string): number {
  for (let i = run.trace.counters.length - 1; i >= 0; i--)
    if (run.trace.counters[i].name === name) return run.trace.counters[i].value;
  return 0;
}

function expand<T>(
  runs: Iterable<{ start: number; end: number; value: T }>,
  start: number,
  end: number,
): (T | undefined)[] {
  const out = new Array<T | undefined>(end - start);
  for (const r of runs) for (let p = r.start; p < r.end; p++) out[p - start] = r.value;
  return out;
}

function bitsOf(bits: boolean[]): string {
  return bits.map((b) => (b ? '1' : '0')).join('');
}

function flagsOf(s: {
  present: boolean;
  valid: boolean;
  online: boolean;
  early: boolean;
  taint?: boolean;
  taintZoneDevice?: boolean;
}): string {
  return (
    ['present', 'valid', 'online', 'early'].filter((k) => s[k as 'present']).join(',') +
    ((s.taint ?? s.taintZoneDevice) ? ',taint' : '')
  );
}

function sectionView(e: SectionState | undefined, width: number): string {
  if (!e) return 'absent';
  let bits = '';
  for (let i = 0; i < width; i++) bits += (e.subsectionMap >> BigInt(i)) & 1n ? '1' : '0';
  return `${flagsOf(e)} map=${bits}`;
}

/** The common case, without building views: both sides hold the same struct page. */
function samePage(page: PageState, rp: RefPage, pfn: number, pgmapNames: string[]): boolean {
  const order = page.compoundOrder;
  const head =
    order === 0
      ? pfn
      : page.compoundBase + Math.floor((pfn - page.compoundBase) / 2 ** order) * 2 ** order;
  const lead = head === pfn;
  return (
    rp.order === order &&
    rp.head === head &&
    rp.zone === page.zone &&
    rp.nid === page.nid &&
    rp.refcount === (lead ? page.refcount : 0) &&
    rp.mapcount === (lead ? page.mapcount : 0) &&
    rp.pgmap === (page.pgmap === undefined ? undefined : pgmapNames[page.pgmap]) &&
    rp.flags.length === page.flags.length &&
    rp.flags.every((f, i) => f === page.flags[i])
  );
}

function sectionFacts(
  e: SectionState | undefined,
  width: number,
): { valid: boolean; early: boolean; online: boolean; bits: boolean[] } {
  const bits: boolean[] = [];
  for (let i = 0; i < width; i++) bits.push(!!e && ((e.subsectionMap >> BigInt(i)) & 1n) === 1n);
  return { valid: !!e?.valid, early: !!e?.early, online: !!e?.online, bits };
}

const flagText = new WeakMap<PageState, [string, string]>();

/** The engine's answer for one pfn, from its range-compressed state (what inspectPfn reports). */
function engineView(
  run: RunResult,
  pfn: number,
  page: PageState | undefined,
  vm: string | undefined,
  valid: boolean,
  online: boolean,
): PfnView {
  const view: PfnView = {
    memmap: page ? 'initialised' : valid || vm ? 'uninitialised' : 'no-memmap',
    flags: '',
    refcount: 0,
    mapcount: 0,
    pfnValid: valid,
    online,
    vmemmap: vm,
  };
  if (!page) return view;
  const nr = 2 ** page.compoundOrder;
  const head = page.compoundBase + Math.floor((pfn - page.compoundBase) / nr) * nr;
  const lead = head === pfn || page.compoundOrder === 0;
  let text = flagText.get(page);
  if (!text)
    flagText.set(page, (text = [page.flags.join('|'), [...page.flags, 'head'].sort().join('|')]));
  view.flags = page.compoundOrder > 0 && head === pfn ? text[1] : text[0];
  view.refcount = lead ? page.refcount : 0;
  view.mapcount = lead ? page.mapcount : 0;
  view.zone = page.zone;
  view.nid = page.nid;
  view.pgmap = page.pgmap === undefined ? undefined : run.state.pgmaps[page.pgmap]?.device;
  view.compound = page.compoundOrder > 0 ? `${head}/${page.compoundOrder}` : undefined;
  return view;
}

function referenceView(ref: ReferenceModel, pfn: number, valid: boolean, online: boolean): PfnView {
  const page = ref.pages.get(pfn);
  const vm = ref.vmemmap.get(pfn)?.on;
  const view: PfnView = {
    memmap: page ? 'initialised' : valid || vm ? 'uninitialised' : 'no-memmap',
    flags: '',
    refcount: 0,
    mapcount: 0,
    pfnValid: valid,
    online,
    vmemmap: vm,
  };
  if (!page) return view;
  view.flags =
    page.order > 0 && page.head === pfn
      ? [...page.flags, 'head'].sort().join('|')
      : page.flags.join('|');
  view.refcount = page.refcount;
  view.mapcount = page.mapcount;
  view.zone = page.zone;
  view.nid = page.nid;
  view.pgmap = page.pgmap;
  view.compound = page.order > 0 ? `${page.head}/${page.order}` : undefined;
  return view;
}
