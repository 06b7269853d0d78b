import type { MemoryMapModel } from '../../src/protocol/webview';
import type { MapNode, SectionKind, SectionRun } from '../../src/engine/views/memoryMap';
import { formatSize, hex } from '../../src/engine/units';

/** One row of the memory map: a node or zone heading, a row of section cells, or a cut-out hole. */
export type MapRow =
  | { kind: 'node'; text: string }
  | { kind: 'zone'; text: string }
  | { kind: 'cells'; start: number; count: number; /** Row number within its zone. */ line: number }
  | { kind: 'gap'; text: string };

export const HEAD_H = 20;
export const CELL = 9;
/** A cell and the 1 px gap under it. */
export const ROW_H = CELL + 1;

export function rowHeight(r: MapRow): number {
  return r.kind === 'cells' ? ROW_H : HEAD_H;
}

/**
 * Nodes → zones → rows of `cols` sections. Only each node's extents are laid out, so the row
 * count follows sections, and a hole of terabytes is one line.
 */
export function mapRows(map: MemoryMapModel, cols: number): MapRow[] {
  const rows: MapRow[] = [];
  const pps = map.geometry.pagesPerSection;
  const sectionBytes = pps * map.geometry.pageSize;
  const cells = (start: number, end: number) => {
    for (let s = start; s < end; s += cols)
      rows.push({
        kind: 'cells',
        start: s,
        count: Math.min(cols, end - s),
        line: (s - start) / cols,
      });
  };
  for (const node of map.nodes) {
    rows.push({ kind: 'node', text: nodeTitle(node, sectionBytes) });
    node.extents.forEach((e, i) => {
      if (i > 0) {
        const hole = e.start - node.extents[i - 1].end;
        rows.push({
          kind: 'gap',
          text: `… ${hole} sections (${formatSize(hole * sectionBytes)}) with no memory …`,
        });
      }
      let cursor = e.start;
      for (const z of node.zones) {
        const zs = Math.max(cursor, Math.floor(z.start / pps));
        const ze = Math.min(e.end, Math.ceil(z.end / pps));
        if (ze <= zs) continue;
        if (zs > cursor) segment(rows, 'outside any zone', cursor, zs, pps, cells);
        segment(rows, `ZONE_${z.zone.toUpperCase()}`, zs, ze, pps, cells, [z.start, z.end]);
        cursor = ze;
      }
      if (cursor < e.end) segment(rows, 'outside any zone', cursor, e.end, pps, cells);
    });
  }
  return rows;
}

function segment(
  rows: MapRow[],
  name: string,
  start: number,
  end: number,
  pps: number,
  cells: (start: number, end: number) => void,
  span?: [number, number],
): void {
  const [a, b] = span ?? [start * pps, end * pps];
  rows.push({
    kind: 'zone',
    text: `${name} · pfn ${hex(a)}–${hex(b - 1)} · sections ${start}–${end - 1}`,
  });
  cells(start, end);
}

function nodeTitle(n: MapNode, sectionBytes: number): string {
  const sections = n.extents.reduce((s, e) => s + e.end - e.start, 0);
  const parts = [`node ${n.nid}`];
  if (n.ramBytes) parts.push(`${formatSize(n.ramBytes)} RAM`);
  if (n.pmemBytes) parts.push(`${formatSize(n.pmemBytes)} pmem`);
  parts.push(`${sections} sections of ${formatSize(sectionBytes)}`);
  return parts.join(' · ');
}

/** The run covering a section, by binary search (runs are sorted and disjoint). */
export function runAt(runs: SectionRun[], section: number): SectionRun | undefined {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid].end <= section) lo = mid + 1;
    else hi = mid;
  }
  const r = runs[lo];
  return r && r.start <= section ? r : undefined;
}

export const KIND_WORDS: Record<SectionKind, string> = {
  early: 'boot memory (early)',
  online: 'online RAM',
  offline: 'offline',
  device: 'ZONE_DEVICE',
  partial: 'partly populated sub-sections',
  none: 'no memmap',
};
