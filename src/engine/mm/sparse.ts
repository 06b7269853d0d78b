import type { Ctx, Path } from '../kernel/context';
import { span, work } from '../kernel/context';
import type { Altmap } from '../nvdimm/namespace';
import type { Pgmap } from '../state/machine';
import { EMPTY_SECTION, popcount, subsectionMask, type SectionState } from '../state/section';
import { depopulateSectionMemmap, populateSectionMemmap } from './sparseVmemmap';
import type { Geometry } from '../arch/presets';
import { hex } from '../units';
import { warn } from '../kernel/printk';

export const EINVAL = -22;
export const EEXIST = -17;
export const ENOMEM = -12;
export const ENXIO = -6;

export function pfnToSection(g: Geometry, pfn: number): number {
  return Math.floor(pfn / g.pagesPerSection);
}

/** Splits pfns [start, end) into section-bounded chunks: partial head, whole sections, partial tail. */
export function sectionChunks(g: Geometry, start: number, end: number): [number, number][] {
  const per = g.pagesPerSection;
  const chunks: [number, number][] = [];
  for (let s = start; s < end; ) {
    const e = s % per === 0 && end - s >= per ? Math.floor(end / per) * per : Math.min(end, (Math.floor(s / per) + 1) * per);
    chunks.push([s, e]);
    s = e;
  }
  return chunks;
}

/** The sub-section bits a chunk sets: all of them for whole sections. */
export function chunkMask(g: Geometry, start: number, end: number): bigint {
  return end - start >= g.pagesPerSection ? subsectionMask(0, g.subsectionsPerSection - 1) : subsectionBits(g, start, end);
}

/** The sub-section bits of pfns [start, end), which must lie in one section. */
export function subsectionBits(g: Geometry, start: number, end: number): bigint {
  const base = pfnToSection(g, start) * g.pagesPerSection;
  const first = Math.floor((start - base) / g.pagesPerSubsection);
  const last = Math.floor((end - 1 - base) / g.pagesPerSubsection);
  return subsectionMask(first, last);
}

/**
 * One chunk of __add_pages(): pfns [start, end) inside one section, or whole sections.
 * sparse_add_section() → section_activate(): set the sub-section bits (-EINVAL for none,
 * -EEXIST for bits already set), reuse an early section's boot memmap, else populate the vmemmap.
 */
export function* sparseAddSection(x: Ctx, nid: number, start: number, end: number, altmap: Altmap | undefined,
  pgmap: Pgmap | undefined): Path<number> {
  const { g, f, state } = x.k;
  const firstSection = pfnToSection(g, start);
  const sections = Math.max(1, Math.ceil((end - start) / g.pagesPerSection));
  return yield* span(x, 'sparse_add_section', { pfn: start, pages: end - start, sections }, function* (id) {
    const whole = f.hotplugUnit === 'section' || end - start >= g.pagesPerSection;
    const mask = whole ? subsectionMask(0, g.subsectionsPerSection - 1) : subsectionBits(g, start, end);
    if (mask === 0n) return EINVAL;
    let reuseBoot = false;
    for (const run of state.sections.current.overlapping(firstSection, firstSection + sections)) {
      if ((run.value.subsectionMap & mask) !== 0n) return EEXIST;
      // An early section only partly populated at boot already has a memmap for all of it.
      if (run.value.early && run.value.valid) reuseBoot = true;
    }
    yield* work(x, id, [['sectionAdd', sections]]);
    if (!reuseBoot) {
      const ok = yield* populateSectionMemmap(x, id, nid, start, end, altmap, pgmap);
      if (!ok) return ENOMEM;
    }
    const taint = f.taintZoneDevice && !!pgmap &&
      (start % g.pagesPerSection !== 0 || end % g.pagesPerSection !== 0);
    state.sections.change({
      step: x.step, t: x.k.sched.now, start: firstSection, end: firstSection + sections, by: 'sparse_add_section',
      apply: (old = { ...EMPTY_SECTION, nid }) => ({
        ...old,
        present: true,
        valid: true,
        subsectionMap: old.subsectionMap | mask,
        taintZoneDevice: old.taintZoneDevice || taint,
      }),
    });
    return 0;
  });
}

/**
 * sparse_remove_section() → section_deactivate(): clear the bits; a bit not set is the
 * "section already deactivated" WARN. An emptied section loses its memmap and usage (boot usage
 * is never freed); a non-early section frees exactly the removed part of its vmemmap.
 */
export function* sparseRemoveSection(x: Ctx, start: number, end: number, altmap: Altmap | undefined): Path<number> {
  const { g, f, state } = x.k;
  const firstSection = pfnToSection(g, start);
  const sections = Math.max(1, Math.ceil((end - start) / g.pagesPerSection));
  return yield* span(x, 'sparse_remove_section', { pfn: start, pages: end - start, sections }, function* (id) {
    const whole = f.hotplugUnit === 'section' || end - start >= g.pagesPerSection;
    const mask = whole ? subsectionMask(0, g.subsectionsPerSection - 1) : subsectionBits(g, start, end);
    // clear_subsection_map(): every requested bit must be set, in every section of the range.
    let early = false;
    let covered = 0;
    let ok = true;
    for (const run of state.sections.current.overlapping(firstSection, firstSection + sections)) {
      early ||= run.value.early;
      covered += run.end - run.start;
      if ((run.value.subsectionMap & mask) !== mask) ok = false;
    }
    if (!ok || covered < sections) {
      warn(x, 'section-already-deactivated', `section already deactivated (${hex(start)} + ${end - start})`, 'mm/sparse.c');
      return EINVAL;
    }
    yield* work(x, id, [['sectionRemove', sections]]);
    if (!early) yield* depopulateSectionMemmap(x, id, start, end, altmap);
    state.sections.change({
      step: x.step, t: x.k.sched.now, start: firstSection, end: firstSection + sections, by: 'sparse_remove_section',
      apply: (old) => {
        if (!old) return old;
        const map = old.subsectionMap & ~mask;
        if (map !== 0n) return { ...old, subsectionMap: map };
        return old.bootUsage ? { ...old, subsectionMap: 0n, valid: false, online: false, present: false } : undefined;
      },
    });
    return 0;
  });
}

/** pfn_valid(): early sections are valid throughout; others only where a sub-section bit is set. */
export function pfnValid(g: Geometry, section: SectionState | undefined, pfn: number): boolean {
  if (!section || !section.valid) return false;
  if (section.early) return true;
  const bit = Math.floor((pfn % g.pagesPerSection) / g.pagesPerSubsection);
  return (section.subsectionMap >> BigInt(bit)) & 1n ? true : false;
}

/** Populated sub-sections of a section, for the inspector's "partially populated" colour. */
export function populatedSubsections(section: SectionState | undefined): number {
  return section ? popcount(section.subsectionMap) : 0;
}
