import type { PageInfo } from '../run/inspect';

// The kmem -p model and its text, apart from the query so the inspector's webview bundles only these.

/** At most this many struct pages per request: a screenful, as crash pages its output. */
export const KMEM_P_MAX_ROWS = 256;

/** One struct page as crash's `kmem -p` prints it, with the fields the model holds. */
export interface KmemPRow {
  pfn: number;
  /** The struct page's address (pfn_to_page), hex without 0x as crash prints it. */
  page: string;
  /** Its physical address, hex without 0x. */
  phys: string;
  memmap: PageInfo['memmap'];
  /** page->_refcount (crash's CNT). */
  refcount?: number;
  /** page->flags, hex without 0x: only the PG_ bits the model holds (see KmemPModel.notes). */
  flags?: string;
  /** The bits of `flags` by name, as crash decodes them. */
  flagNames?: string[];
  /** Flags that are page types (page->page_type), not bits of page->flags. */
  pageTypes?: string[];
  /** A tail page's compound_head: the head's struct page address with bit 0 set. */
  compoundHead?: string;
  /** The dev_pagemap: the device and its type (the model holds no pointer). */
  pgmap?: string;
}

export interface KmemPModel {
  /** What the user typed as the start. */
  text: string;
  start: number;
  /** After which step (undefined: the end of the run). */
  afterStep?: number;
  rows: KmemPRow[];
  /** Width of the PHYSICAL column: as crash sizes it, the hex digits of the highest address. */
  physWidth: number;
  /** What the columns hold and what they cannot, for the user who compares with a real crash. */
  notes: string[];
}

export type KmemPAnswer = KmemPModel | { text: string; error: string };

/** The rows as crash prints them (memory.c: dump_mem_map_SPARSEMEM(), 64-bit), then the extra fields. */
export function formatKmemP(m: KmemPModel): string {
  const w = m.physWidth;
  const lines = [
    `${center('PAGE', 16)} ${'PHYSICAL'.padStart(w)} ${center('MAPPING', 16)} ${center('INDEX', 8)}CNT FLAGS`,
  ];
  for (const r of m.rows) {
    const lead = `${r.page.padEnd(16)} ${r.phys.padStart(w)} `;
    if (r.flags === undefined) {
      lines.push(
        (lead + (r.memmap === 'uninitialised' ? `${' '.repeat(29)}[uninitialised]` : '')).trimEnd(),
      );
      continue;
    }
    const names = [...r.flagNames!, ...(r.pageTypes ?? []).map((t) => `page_type:${t}`)];
    lines.push(
      `${lead}${center('-------', 16)} ${center('-----', 8)} ${String(r.refcount).padStart(2)} ${r.flags}${names.length ? ' ' + names.join(',') : ''}`,
    );
  }
  const extra = m.rows.filter((r) => r.compoundHead || r.pgmap);
  if (extra.length) {
    const headW = Math.max(13, ...extra.map((r) => (r.compoundHead ?? '').length));
    lines.push('', `${center('PAGE', 16)}  ${'compound_head'.padEnd(headW)}  pgmap`);
    for (const r of extra)
      lines.push(
        `${r.page.padEnd(16)}  ${(r.compoundHead ?? '-').padEnd(headW)}  ${r.pgmap ?? '-'}`.trimEnd(),
      );
  }
  return lines.join('\n');
}

/** crash's mkstring(CENTER|RJUST): the odd space goes to the left. */
function center(s: string, width: number): string {
  const extra = Math.max(0, width - s.length);
  const right = Math.floor(extra / 2);
  return ' '.repeat(extra - right) + s + ' '.repeat(right);
}
