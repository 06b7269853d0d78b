import type { ScenarioKernel } from '../editor/context';
import { vmemmapOptimisation } from '../mm/sparseVmemmap';
import { SUBSECTION_SIZE } from '../arch/presets';
import { alignDown, alignUp, formatSize, hex } from '../units';

/** Where a range's struct pages live, and whether they are compound pages. */
export interface MemmapPlace {
  /** "node 0 RAM", "pmem0's altmap (on the device)". */
  on: string;
  altmap: boolean;
  vmemmapShift?: number;
}

const code = (s: string) => `\`${s}\``;
const count = (n: number, what: string) =>
  `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;

/**
 * A physical range [start, end) as the hotplug code sees it: pfns, the sections and sub-sections
 * it spans and whether it is aligned to them, and what check_pfn_span() makes of it on this kernel.
 */
export function rangeLines(
  k: ScenarioKernel,
  start: number,
  end: number,
  memmap?: MemmapPlace,
): string[] {
  const { g, features: f, variant } = k;
  const pfn0 = Math.floor(start / g.pageSize);
  const pfn1 = Math.ceil(end / g.pageSize);
  const firstSection = Math.floor(start / g.sectionSize);
  const lastSection = Math.floor((end - 1) / g.sectionSize);
  const subIndex = (addr: number) => Math.floor((addr % g.sectionSize) / SUBSECTION_SIZE);
  const lines = [
    `**${code(hex(start))}–${code(hex(end - 1))}** · ${formatSize(end - start)}`,
    `pfns ${code(hex(pfn0))}–${code(hex(pfn1 - 1))} · ${count(pfn1 - pfn0, `page`)} of ${formatSize(g.pageSize)}`,
    `section${lastSection > firstSection ? `s ${firstSection}–${lastSection}` : ` ${firstSection}`} (${formatSize(g.sectionSize)} each, ${g.subsectionsPerSection} sub-sections of 2 MiB); ` +
      `sub-section ${subIndex(start)} of section ${firstSection} to sub-section ${subIndex(end - 1)} of section ${lastSection}`,
    `aligned: start ${alignment(start, g.sectionSize)}; end ${alignment(end, g.sectionSize)}`,
    hotplugLine(variant, f.hotplugUnit, g.sectionSize, start, end),
  ];
  if (memmap) lines.push(memmapLine(k, pfn1 - pfn0, memmap));
  return lines;
}

/** A bare size (a node's RAM or pmem): pages, sections, memmap. */
export function sizeLines(k: ScenarioKernel, bytes: number, memmap?: MemmapPlace): string[] {
  const { g } = k;
  const pages = Math.floor(bytes / g.pageSize);
  const lines = [
    `**${formatSize(bytes)}** · ${count(pages, 'page')} of ${formatSize(g.pageSize)} · ${(bytes / g.sectionSize).toLocaleString('en-US')} sections of ${formatSize(g.sectionSize)}`,
  ];
  if (memmap) lines.push(memmapLine(k, pages, memmap));
  return lines;
}

function alignment(addr: number, section: number): string {
  const mark = (unit: number, name: string) =>
    addr % unit === 0
      ? `✓ ${name}`
      : `✗ ${name} (${formatSize(addr % unit)} past ${hex(alignDown(addr, unit))})`;
  return `${mark(SUBSECTION_SIZE, 'sub-section')}, ${mark(section, 'section')}`;
}

function hotplugLine(
  variant: string,
  unit: 'section' | 'subsection',
  section: number,
  start: number,
  end: number,
): string {
  if (unit === 'subsection') {
    const ok = start % SUBSECTION_SIZE === 0 && end % SUBSECTION_SIZE === 0;
    return `${variant} hot-plugs 2 MiB sub-sections: check_pfn_span() ${ok ? 'accepts this range' : '**refuses** this range (-EINVAL)'}`;
  }
  const a = alignDown(start, section);
  const b = alignUp(end, section);
  const pad = b - a - (end - start);
  return (
    `${variant} hot-plugs whole ${formatSize(section)} sections` +
    (pad
      ? `: padded to ${code(hex(a))}–${code(hex(b - 1))}, ${formatSize(pad)} of padding with memmap`
      : '')
  );
}

/** struct pages × sizeof(struct page), and the vmemmap pages they need (fewer with tail reuse). */
function memmapLine(k: ScenarioKernel, pages: number, m: MemmapPlace): string {
  const { g, features: f } = k;
  const bytes = pages * g.structPageSize;
  const plain = Math.ceil(pages / g.structPagesPerVmemmapPage);
  const shift = m.vmemmapShift ?? 0;
  const why = vmemmapOptimisation(f, g, shift, m.altmap);
  const vmemmap =
    why === 'optimised'
      ? `${count(Math.min(plain, Math.ceil(pages / 2 ** shift) * 2), 'vmemmap page')} with compound order ${shift} tail reuse (${plain.toLocaleString('en-US')} without)`
      : count(plain, 'vmemmap page');
  return `memmap: ${count(pages, 'struct page')} × ${g.structPageSize} B = ${formatSize(bytes)} → ${vmemmap}, in ${m.on}`;
}
