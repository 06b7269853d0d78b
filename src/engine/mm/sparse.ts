import type { Ctx, Path } from '../runtime/context';
import { span, work } from '../runtime/context';
import type { Altmap } from '../state/namespace';
import type { Pgmap } from '../state/machine';
import { EMPTY_SECTION, popcount, subsectionMask, type SectionState } from '../state/section';
import {
  altmapHasRoom,
  depopulateSectionMemmap,
  populateSectionMemmap,
  sectionsFitting,
  vmemmapCanOptimize,
} from './sparseVmemmap';
import type { Geometry } from '../arch/presets';
import { hex } from '../units';
import { warn } from '../runtime/printk';

export const EINVAL = -22;
export const EEXIST = -17;
export const ENOMEM = -12;
export const ENXIO = -6;
export const EBUSY = -16;

export function pfnToSection(g: Geometry, pfn: number): number {
  return Math.floor(pfn / g.pagesPerSection);
}

/** Splits pfns [start, end) into section-bounded chunks: partial head, whole sections, partial tail. */
export function sectionChunks(g: Geometry, start: number, end: number): [number, number][] {
  const per = g.pagesPerSection;
  const chunks: [number, number][] = [];
  for (let s = start; s < end;) {
    const e =
      s % per === 0 && end - s >= per
        ? Math.floor(end / per) * per
        : Math.min(end, (Math.floor(s / per) + 1) * per);
    chunks.push([s, e]);
    s = e;
  }
  return chunks;
}

/** The sub-section bits a chunk sets: all of them for whole sections. */
export function chunkMask(g: Geometry, start: number, end: number): bigint {
  return end - start >= g.pagesPerSection
    ? subsectionMask(0, g.subsectionsPerSection - 1)
    : subsectionBits(g, start, end);
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
export function* sparseAddSection(
  x: Ctx,
  nid: number,
  start: number,
  end: number,
  altmap: Altmap | undefined,
  pgmap: Pgmap | undefined,
): Path<number> {
  const per = x.k.g.pagesPerSection;
  const failing = end - start > per ? firstFailingSection(x, start, end, altmap, pgmap) : undefined;
  if (failing !== undefined) {
    // The kernel adds section by section: the sections before the one that fails stay added.
    const cut = start + failing * per;
    const err = cut > start ? yield* sparseAddSection(x, nid, start, cut, altmap, pgmap) : 0;
    return err || (yield* sparseAddSection(x, nid, cut, cut + per, altmap, pgmap));
  }
  const { g, state } = x.k;
  const firstSection = pfnToSection(g, start);
  const sections = Math.max(1, Math.ceil((end - start) / g.pagesPerSection));
  // sparse_add_one_section() until v5.3's sub-section series renamed it (f46edbd1b151's series).
  const name = x.k.f.hotplugUnit === 'section' ? 'sparse_add_one_section' : 'sparse_add_section';
  return yield* span(x, name, { pfn: start, pages: end - start, sections }, function* (id) {
    const mask = chunkMaskFor(x, start, end);
    if (mask === 0n) return EINVAL;
    let reuseBoot = false;
    for (const run of state.sections.current.overlapping(firstSection, firstSection + sections)) {
      if ((run.value.subsectionMap & mask) !== 0n) return EEXIST;
      // An early section only partly populated at boot already has a memmap for all of it.
      if (run.value.early && run.value.valid) reuseBoot = true;
    }
    yield* work(x, id, [['sectionAdd', sections]]);
    if (!reuseBoot) {
      const ok = yield* populateSpans(x, nid, start, end, altmap, pgmap);
      if (!ok) return ENOMEM;
    }
    state.sections.change({
      step: x.step,
      t: x.k.sched.now,
      start: firstSection,
      end: firstSection + sections,
      by: 'sparse_add_section',
      apply: (old = { ...EMPTY_SECTION, nid }) => ({
        ...old,
        present: true,
        valid: true,
        subsectionMap: old.subsectionMap | mask,
      }),
    });
    return 0;
  });
}

/**
 * The vmemmap population under the section add, as the kernel nests it: sparse_mem_map_populate()
 * before v5.3, __populate_section_memmap() after (section_activate() is inlined: the 6.12
 * function_graph recording has __populate_section_memmap() right under sparse_add_section()); then
 * vmemmap_populate(), or vmemmap_populate_compound_pages() for optimised compound devmaps (v5.19).
 */
function* populateSpans(
  x: Ctx,
  nid: number,
  start: number,
  end: number,
  altmap: Altmap | undefined,
  pgmap: Pgmap | undefined,
): Path<boolean> {
  const outer =
    x.k.f.hotplugUnit === 'section' ? 'sparse_mem_map_populate' : '__populate_section_memmap';
  const inner = vmemmapCanOptimize(x, pgmap, altmap)
    ? 'vmemmap_populate_compound_pages'
    : 'vmemmap_populate';
  return yield* span(x, outer, { pfn: start, pages: end - start }, () =>
    span(x, inner, { pfn: start, pages: end - start }, (id) =>
      populateSectionMemmap(x, id, nid, start, end, altmap, pgmap),
    ),
  );
}

function chunkMaskFor(x: Ctx, start: number, end: number): bigint {
  const { g, f } = x.k;
  const whole = f.hotplugUnit === 'section' || end - start >= g.pagesPerSection;
  return whole ? subsectionMask(0, g.subsectionsPerSection - 1) : subsectionBits(g, start, end);
}

/** Of whole sections [start, end): the first that is already in use or no longer fits the altmap. */
function firstFailingSection(
  x: Ctx,
  start: number,
  end: number,
  altmap: Altmap | undefined,
  pgmap: Pgmap | undefined,
): number | undefined {
  const { g, state } = x.k;
  const per = g.pagesPerSection;
  const s0 = pfnToSection(g, start);
  const n = Math.ceil((end - start) / per);
  let k = n;
  for (const run of state.sections.current.overlapping(s0, s0 + n)) {
    if (run.value.subsectionMap !== 0n) {
      k = run.start - s0;
      break;
    }
  }
  if (!altmapHasRoom(x, start, start + k * per, altmap, pgmap))
    k = sectionsFitting(x, start, k - 1, (e) => altmapHasRoom(x, start, e, altmap, pgmap));
  return k < n ? k : undefined;
}

/**
 * sparse_remove_section() → section_deactivate(): clear the bits; a bit not set is the
 * "section already deactivated" WARN, and that section is left alone while the others go
 * (__remove_pages() carries on). An emptied section loses its memmap, its flags (it is no longer
 * early) and its usage (boot usage is never freed); a non-early section frees exactly the removed
 * part of its vmemmap, an emptied early one its boot memmap. The struct pages go with the memmap.
 */
export function* sparseRemoveSection(
  x: Ctx,
  start: number,
  end: number,
  altmap: Altmap | undefined,
): Path<number> {
  const { g, state } = x.k;
  const per = g.pagesPerSection;
  if (end - start > per) {
    const groups = removableGroups(x, start, end);
    if (groups.length > 1) {
      let err = 0;
      for (const [s, e] of groups) err = (yield* sparseRemoveSection(x, s, e, altmap)) || err;
      return err;
    }
  }
  const firstSection = pfnToSection(g, start);
  const sections = Math.max(1, Math.ceil((end - start) / g.pagesPerSection));
  return yield* span(
    x,
    'sparse_remove_section',
    { pfn: start, pages: end - start, sections },
    function* (id) {
      const mask = chunkMaskFor(x, start, end);
      // clear_subsection_map(): every requested bit must be set, in every section of the range.
      let covered = 0;
      let ok = true;
      for (const run of state.sections.current.overlapping(firstSection, firstSection + sections)) {
        covered += run.end - run.start;
        if ((run.value.subsectionMap & mask) !== mask) ok = false;
      }
      if (!ok || covered < sections) {
        // Before v5.3 __remove_section() returned -EINVAL for a section that was not valid, silently.
        if (x.k.f.hotplugUnit === 'subsection')
          warn(
            x,
            'section-already-deactivated',
            `section already deactivated (${hex(start)} + ${end - start})`,
            'mm/sparse.c',
          );
        return EINVAL;
      }
      yield* work(x, id, [['sectionRemove', sections]]);
      const emptiedEarly: [number, number][] = [];
      for (const run of [
        ...state.sections.current.overlapping(firstSection, firstSection + sections),
      ]) {
        if (!run.value.early)
          yield* depopulateSectionMemmap(
            x,
            id,
            Math.max(start, run.start * per),
            Math.min(end, run.end * per),
            altmap,
          );
        else if ((run.value.subsectionMap & ~mask) === 0n)
          emptiedEarly.push([run.start * per, run.end * per]);
      }
      state.sections.change({
        step: x.step,
        t: x.k.sched.now,
        start: firstSection,
        end: firstSection + sections,
        by: 'sparse_remove_section',
        apply: (old) => {
          if (!old) return old;
          const map = old.subsectionMap & ~mask;
          if (map !== 0n) return { ...old, subsectionMap: map };
          return old.bootUsage ? { ...EMPTY_SECTION, nid: old.nid, bootUsage: true } : undefined;
        },
      });
      for (const [s, e] of emptiedEarly) {
        state.vmemmap.change({
          step: x.step,
          t: x.k.sched.now,
          start: s,
          end: e,
          by: 'free_map_bootmem',
          apply: (o) => (o?.on === 'boot' ? undefined : o),
        });
      }
      state.pages.change({
        step: x.step,
        t: x.k.sched.now,
        start,
        end,
        by: 'sparse_remove_section',
        apply: () => undefined,
      });
      return 0;
    },
  );
}

/** Whole sections [start, end) split where they change between removable and not. */
function removableGroups(x: Ctx, start: number, end: number): [number, number][] {
  const { g, state } = x.k;
  const per = g.pagesPerSection;
  const mask = chunkMaskFor(x, start, end);
  const groups: [number, number, boolean][] = [];
  const add = (s: number, e: number, ok: boolean) => {
    const last = groups[groups.length - 1];
    if (last && last[2] === ok && last[1] === s) last[1] = e;
    else groups.push([s, e, ok]);
  };
  let cursor = start;
  const s0 = pfnToSection(g, start);
  for (const run of state.sections.current.overlapping(s0, s0 + Math.ceil((end - start) / per))) {
    if (run.start * per > cursor) add(cursor, run.start * per, false);
    add(run.start * per, run.end * per, (run.value.subsectionMap & mask) === mask);
    cursor = run.end * per;
  }
  if (cursor < end) add(cursor, end, false);
  return groups.map(([s, e]) => [s, e]);
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
