import type { RunResult } from '../run/runScenario';
import { describePfn, type PageInfo } from '../run/inspect';
import { structPageAddress } from '../arch/presets';
import { pageFlagsWord } from '../kernel/pageFlags';
import { pfnToSection } from '../mm/sparse';
import { MAX_PHYS_BYTES } from '../units';
import { runsAt } from './stateAt';
import { deviceOffset, parsePfnQuery } from './queries';
import type { Run } from '../state/rangeMap';
import { KMEM_P_MAX_ROWS, type KmemPAnswer, type KmemPRow } from './kmemPText';

/**
 * crash's `kmem -p` for `count` struct pages from `text` (a pfn, a struct page address, or
 * device+offset). crash's help (help.c, help_kmem) says "All address arguments above must be
 * expressed in hexadecimal format": so a bare number here is hex too, `6c00200` as `0x6c00200`.
 * Work is one replay of the window's changes, not one per page.
 */
export function kmemP(
  run: RunResult,
  text: string,
  count: number,
  afterStep?: number,
): KmemPAnswer {
  const g = run.geometry;
  const start = parseKmemStart(run, text);
  if (typeof start === 'string') return { text, error: start };
  const limit = MAX_PHYS_BYTES / g.pageSize;
  if (start >= limit)
    return { text, error: `pfn ${text} is outside the 52-bit physical address space` };
  if (!Number.isSafeInteger(count) || count < 1 || count > KMEM_P_MAX_ROWS)
    return { text, error: `count ${count}: between 1 and ${KMEM_P_MAX_ROWS} struct pages` };
  const end = Math.min(start + count, limit);
  const pages = runsAt(run.state.pages, afterStep, start, end);
  const vmemmap = runsAt(run.state.vmemmap, afterStep, start, end);
  const sections = new Map<number, ReturnType<typeof run.state.sections.get>>();
  const rows: KmemPRow[] = [];
  for (let pfn = start; pfn < end; pfn++) {
    const nr = pfnToSection(g, pfn);
    if (!sections.has(nr))
      sections.set(
        nr,
        afterStep === undefined ? run.state.sections.get(nr) : run.state.sections.at(nr, afterStep),
      );
    const info = describePfn(
      run,
      pfn,
      sections.get(nr),
      valueAt(pages, pfn),
      valueAt(vmemmap, pfn),
      afterStep,
    );
    rows.push(row(run, info));
  }
  return { text, start, afterStep, rows, physWidth: physWidth(run), notes: notes(run) };
}

function row(run: RunResult, p: PageInfo): KmemPRow {
  const g = run.geometry;
  const out: KmemPRow = {
    pfn: p.pfn,
    page: structPageAddress(g, p.pfn).toString(16),
    phys: (p.pfn * g.pageSize).toString(16),
    memmap: p.memmap,
  };
  if (p.memmap !== 'initialised') return out;
  const word = pageFlagsWord(run.features.pageFlagBits, p.flags);
  out.refcount = p.refcount;
  out.flags = word.word.toString(16);
  out.flagNames = word.names;
  if (word.pageTypes.length) out.pageTypes = word.pageTypes;
  // include/linux/mm_types.h: a tail page's compound_head is the head's address, "Bit zero is set".
  if (p.compound && !p.compound.isHead)
    out.compoundHead = (structPageAddress(g, p.compound.head) | 1n).toString(16);
  if (p.pgmap) out.pgmap = `${p.pgmap.device} (${p.pgmap.type})`;
  return out;
}

function valueAt<T>(runs: Run<T>[], pfn: number): T | undefined {
  return runs.find((r) => pfn >= r.start && pfn < r.end)?.value;
}

/**
 * The start of a `kmem -p` range: `device+offset` as the inspector reads it, else a hex number,
 * `0x` optional, read as a struct page address when it lies in the vmemmap (crash takes a page
 * pointer too), else as a pfn.
 */
export function parseKmemStart(run: RunResult, text: string): number | string {
  const t = text.trim();
  if (deviceOffset(t)) {
    const { pfn, error } = parsePfnQuery(run, t);
    return pfn ?? error ?? `'${text}' is not a pfn`;
  }
  if (!/^(0x)?[0-9a-f]+$/i.test(t))
    return `'${text}' is not a pfn: hex, with or without 0x (as crash reads addresses), or device+offset`;
  const n = BigInt(t.startsWith('0x') || t.startsWith('0X') ? t : '0x' + t);
  const g = run.geometry;
  const size = BigInt(g.structPageSize);
  if (n >= g.vmemmapBase) {
    if ((n - g.vmemmapBase) % size !== 0n)
      return `${text} is inside the vmemmap but not at a struct page (${g.structPageSize} bytes each from ${g.vmemmapBase.toString(16)})`;
    return Number((n - g.vmemmapBase) / size);
  }
  return n > BigInt(Number.MAX_SAFE_INTEGER)
    ? `pfn ${text} is outside the 52-bit physical address space`
    : Number(n);
}

/**
 * crash (memory.c): vt->paddr_prlen = strlen("%llx" of the highest physical address), at least 8
 * wide; here the end of the highest section with a memmap at the end of the run.
 */
function physWidth(run: RunResult): number {
  const all = run.state.sections.current.all();
  const top = all.length ? all[all.length - 1].end * run.geometry.sectionSize : 0;
  return Math.max(8, top.toString(16).length);
}

function notes(run: RunResult): string[] {
  return [
    `FLAGS holds the PG_ bits the emulator models (lru, reserved, head), numbered in the order include/linux/page-flags.h has had since ${run.features.pageFlagBits}; the zone, node and LAST_CPUPID fields above them depend on the kernel's config and are left 0, so a real crash shows more bits.`,
    'MAPPING and INDEX are not modelled: shown as crash shows a member it cannot read (dashes); page->private neither.',
    'compound_head is the head page address with bit 0 set (tail pages only); pgmap names the device, as the model holds no pointer.',
  ];
}
