import { inspectPfn, type PageInfo } from '../engine/run/inspect';
import { parseAddress, formatNs, hex } from '../engine/units';
import type { Args } from './args';
import { CliError } from './io';
import { analyseFile } from './runCommand';

/** memmap-lab inspect <scenario> --pfn N [--after-step N] [--json] */
export function inspectCommand(args: Args, out: (s: string) => void): number {
  const file = args.positional[0];
  const pfnText = args.options.get('--pfn');
  if (!file || !pfnText) throw new CliError('usage: memmap-lab inspect <scenario> --pfn <dec|0xhex> [--after-step N] [--json]');
  const pfn = parseAddress(pfnText);
  if (pfn === undefined) throw new CliError(`--pfn ${pfnText}: not a number`);
  const after = args.options.get('--after-step');
  const analysis = analyseFile(file, args);
  const info = inspectPfn(analysis.run!, pfn, after === undefined ? undefined : Number(after));
  out(args.flags.has('--json') ? JSON.stringify(info, null, 2) : formatPage(info));
  return 0;
}

export function formatPage(p: PageInfo): string {
  const lines = [`pfn ${hex(p.pfn)} (phys ${p.phys})${p.afterStep !== undefined ? ` after step ${p.afterStep}` : ''}`];
  const s = p.section;
  lines.push(`  section ${s.nr}: ${[s.present && 'present', s.valid && 'has-mem-map', s.online && 'online', s.early && 'early', s.taintZoneDevice && 'taint-zone-device'].filter(Boolean).join(', ') || 'not present'}; sub-section ${s.subsection} ${s.subsectionActive ? 'active' : 'inactive'} (${s.subsectionsPopulated}/${s.subsectionsPerSection} populated)`);
  lines.push(`  pfn_valid: ${p.pfnValid}   pfn_to_online_page: ${p.pfnToOnlinePage ? 'page' : 'NULL'}`);
  lines.push(`  memmap: ${p.memmap}`);
  if (p.memmap === 'initialised') {
    lines.push(`  flags: ${p.flags.join('|') || '(none)'}  refcount: ${p.refcount}  mapcount: ${p.mapcount}`);
    lines.push(`  zone: ${p.zone}  nid: ${p.nid}  migratetype: ${p.migratetype}`);
    if (p.compound) lines.push(`  compound: order ${p.compound.order}, head ${hex(p.compound.head)}${p.compound.isHead ? ' (this page)' : ''}`);
    if (p.pgmap) lines.push(`  pgmap: ${p.pgmap.device} (${p.pgmap.type}) ${p.pgmap.range[0]}-${p.pgmap.range[1]}, vmemmap_shift ${p.pgmap.vmemmapShift}`);
    lines.push(`  initialised by ${p.initialisedBy} at ${formatNs(p.initialisedAtNs ?? 0)} (step ${p.initialisedStep})`);
  }
  if (p.vmemmap) {
    const v = p.vmemmap;
    lines.push(`  vmemmap: struct page at ${v.address}, on ${v.on === 'altmap' ? `${v.device}'s altmap (pmem)` : v.on === 'boot' ? 'boot memblock memory' : 'node RAM'} of node ${v.node}; ${v.structPagesPerVmemmapPage} struct pages per vmemmap page` +
      (v.sharedTail ? `; shared tail page mapped by ${v.sharedTail.ptes} PTEs for ${v.sharedTail.structPages} struct pages` : ''));
  }
  return lines.join('\n');
}
