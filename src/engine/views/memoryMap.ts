import type { RunResult } from '../run/runScenario';
import type { ZoneName } from '../state/page';
import { popcount, type SectionState } from '../state/section';
import { runsAt } from './stateAt';

/** How the memory map colours a section. */
export type SectionKind = 'early' | 'online' | 'offline' | 'device' | 'partial' | 'none';

export const SECTION_KINDS: readonly SectionKind[] = [
  'early',
  'online',
  'offline',
  'device',
  'partial',
  'none',
];

/** Sections [start, end) that look alike. */
export interface SectionRun {
  start: number;
  end: number;
  kind: SectionKind;
  nid: number;
  /** Populated sub-sections per section. */
  populated: number;
  /** The ZONE_DEVICE owner. */
  device?: string;
}

export interface MapZone {
  zone: ZoneName;
  /** pfns [start, end). */
  start: number;
  end: number;
}

/** A node and the section ranges worth drawing (holes wider than a few GiB are left out). */
export interface MapNode {
  nid: number;
  extents: { start: number; end: number }[];
  zones: MapZone[];
  ramBytes: number;
  pmemBytes: number;
}

/** A device the inspector can address as `name+offset`. */
export interface MapDevice {
  name: string;
  devName: string;
  node: number;
  /** The pgmap's pfn ranges [start, end), once probed. */
  ranges: { start: number; end: number }[];
  /** The first data pfn (`+0`). */
  firstPfn?: number;
  state: string;
}

export interface MapGeometry {
  arch: string;
  pageSize: number;
  pagesPerSection: number;
  pagesPerSubsection: number;
  subsectionsPerSection: number;
  pageblockPages: number;
}

/** Nodes → zones → sections, range-compressed: its size follows operations, not memory. */
export interface MemoryMapModel {
  geometry: MapGeometry;
  afterStep?: number;
  nodes: MapNode[];
  runs: SectionRun[];
  devices: MapDevice[];
  /** Sections of each kind (the legend, and the map's text alternative). */
  totals: Record<SectionKind, number>;
}

/** Holes up to this many sections are drawn as "no memmap" cells rather than cut out. */
const MAX_DRAWN_HOLE = 64;

export function sectionKind(
  s: SectionState | undefined,
  device: boolean,
  subsectionsPerSection: number,
): SectionKind {
  if (!s || !s.present || !s.valid) return 'none';
  // A sub-section hot-add (v5.3+) leaves the rest of its section without a memmap.
  if (popcount(s.subsectionMap) < subsectionsPerSection) return 'partial';
  if (device) return 'device';
  if (s.early) return 'early';
  return s.online ? 'online' : 'offline';
}

/** The memory map after a step (undefined: the end of the run). */
export function memoryMap(run: RunResult, afterStep?: number): MemoryMapModel {
  const g = run.geometry;
  const pps = g.pagesPerSection;
  const deviceSections = run.state.pgmaps
    .flatMap((p) =>
      p.ranges.map((r) => ({
        start: Math.floor(r.start / pps),
        end: Math.ceil(r.end / pps),
        device: p.device,
      })),
    )
    .sort((a, b) => a.start - b.start);
  const runs: SectionRun[] = [];
  const push = (r: SectionRun) => {
    const last = runs[runs.length - 1];
    if (
      last &&
      last.end === r.start &&
      last.kind === r.kind &&
      last.nid === r.nid &&
      last.populated === r.populated &&
      last.device === r.device
    )
      last.end = r.end;
    else runs.push(r);
  };
  for (const sec of runsAt(run.state.sections, afterStep, 0, Number.MAX_SAFE_INTEGER)) {
    // Cut the run where a device range begins or ends, so each piece has one owner.
    const cuts = new Set([sec.start, sec.end]);
    for (const d of deviceSections)
      for (const c of [d.start, d.end]) if (c > sec.start && c < sec.end) cuts.add(c);
    const points = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i++) {
      const [start, end] = [points[i], points[i + 1]];
      const owner = deviceSections.find((d) => d.start < end && d.end > start);
      const kind = sectionKind(sec.value, !!owner, g.subsectionsPerSection);
      if (kind === 'none') continue;
      push({
        start,
        end,
        kind,
        nid: sec.value.nid,
        populated: popcount(sec.value.subsectionMap),
        device: owner?.device,
      });
    }
  }
  const totals = Object.fromEntries(SECTION_KINDS.map((k) => [k, 0])) as Record<
    SectionKind,
    number
  >;
  for (const r of runs) totals[r.kind] += r.end - r.start;
  const nodes = mapNodes(run, runs, zonesAt(run, afterStep));
  for (const n of nodes) for (const e of n.extents) totals.none += e.end - e.start;
  totals.none -= runs.reduce((s, r) => s + r.end - r.start, 0);
  return {
    geometry: {
      arch: g.arch,
      pageSize: g.pageSize,
      pagesPerSection: pps,
      pagesPerSubsection: g.pagesPerSubsection,
      subsectionsPerSection: g.subsectionsPerSection,
      pageblockPages: g.pageblockPages,
    },
    afterStep,
    nodes,
    runs,
    devices: run.devices.map((d) => ({
      name: d.spec.name,
      devName: d.devName,
      node: d.spec.node,
      state: d.state,
      ranges: d.pgmap?.ranges.map((r) => ({ start: r.start, end: r.end })) ?? [],
      firstPfn: d.pgmap?.pfnFirst,
    })),
    totals,
  };
}

/**
 * Zone spans after a step, from the struct pages initialised then: the machine keeps only its
 * final spans. A derived span is widened to the final one it overlaps, since the kernel's span
 * also covers pages it never initialises (an altmap's reserved info block). A torn-down
 * device's pfns fall outside any zone: no struct page says otherwise.
 */
function zonesAt(run: RunResult, afterStep?: number): (MapZone & { nid: number })[] {
  const spans = new Map<string, MapZone & { nid: number }>();
  for (const r of runsAt(run.state.pages, afterStep, 0, Number.MAX_SAFE_INTEGER)) {
    const key = `${r.value.nid}:${r.value.zone}`;
    const z = spans.get(key);
    if (!z) spans.set(key, { nid: r.value.nid, zone: r.value.zone, start: r.start, end: r.end });
    else [z.start, z.end] = [Math.min(z.start, r.start), Math.max(z.end, r.end)];
  }
  for (const [key, z] of spans) {
    const final = run.state.zones.get(key);
    if (final && final.start < z.end && final.end > z.start)
      [z.start, z.end] = [Math.min(z.start, final.start), Math.max(z.end, final.end)];
  }
  return [...spans.values()];
}

/** Each node's section extents: its RAM, pmem, zones and the sections it owns, small holes closed. */
function mapNodes(
  run: RunResult,
  runs: SectionRun[],
  zones: (MapZone & { nid: number })[],
): MapNode[] {
  const g = run.geometry;
  const pps = g.pagesPerSection;
  return run.state.nodes.map((n) => {
    const ranges = [
      ...[...n.ram, ...n.pmem].map((r) => ({
        start: Math.floor(r.start / g.sectionSize),
        end: Math.ceil(r.end / g.sectionSize),
      })),
      ...zones
        .filter((z) => z.nid === n.id && z.end > z.start)
        .map((z) => ({ start: Math.floor(z.start / pps), end: Math.ceil(z.end / pps) })),
      ...runs.filter((r) => r.nid === n.id),
    ].sort((a, b) => a.start - b.start);
    const extents: { start: number; end: number }[] = [];
    for (const r of ranges) {
      const last = extents[extents.length - 1];
      if (last && r.start - last.end <= MAX_DRAWN_HOLE) last.end = Math.max(last.end, r.end);
      else extents.push({ start: r.start, end: r.end });
    }
    return {
      nid: n.id,
      extents,
      zones: zones
        .filter((z) => z.nid === n.id && z.end > z.start)
        .map((z) => ({ zone: z.zone, start: z.start, end: z.end }))
        .sort((a, b) => a.start - b.start),
      ramBytes: n.ram.reduce((s, r) => s + r.end - r.start, 0),
      pmemBytes: n.pmem.reduce((s, r) => s + r.end - r.start, 0),
    };
  });
}
