import { inspectPfn, type PageInfo } from '../engine/run/inspect';
import type { RunResult } from '../engine/run/runScenario';
import { kmemP } from '../engine/views/kmemP';
import { formatKmemP } from '../engine/views/kmemPText';
import { parseAddress, formatNs, hex, MAX_PHYS_BYTES } from '../engine/units';
import { UsageError, type Args } from './args';
import { EXIT } from './exitCodes';
import { analyseFile } from './runCommand';

/** memmap-lab inspect <scenario> --pfn N [--after-step N] [--raw [--count N]] [--json] */
export function inspectCommand(args: Args, out: (s: string) => void): number {
  const file = args.positional[0];
  const pfnText = args.options.get('--pfn')!;
  const after = args.options.get('--after-step');
  if (after !== undefined && !/^\d+$/.test(after))
    throw new UsageError(`--after-step ${after}: expected a step number (0 is the first step)`);
  if (args.options.has('--count') && !args.flags.has('--raw'))
    throw new UsageError('--count: only with --raw (one struct page per row, as crash kmem -p)');
  if (args.flags.has('--raw')) return kmemPCommand(args, file, pfnText, after, out);
  const pfn = parseAddress(pfnText);
  if (pfn === undefined) throw new UsageError(`--pfn ${pfnText}: not a number`);
  const run = analyseFile(file, args).run!;
  // A pfn is a physical address over the page size; the scenario's machine lives below 2^52 bytes.
  const pfns = MAX_PHYS_BYTES / run.geometry.pageSize;
  if (pfn >= pfns)
    throw new UsageError(
      `--pfn ${pfnText}: beyond the ${Math.log2(MAX_PHYS_BYTES)}-bit physical address space (pfns below ${hex(pfns)} on ${run.geometry.arch})`,
    );
  checkStep(run, after);
  const info = inspectPfn(run, pfn, after === undefined ? undefined : Number(after));
  out(args.flags.has('--json') ? JSON.stringify(info, null, 2) : formatPage(info));
  return EXIT.ok.code;
}

/** --raw: crash's kmem -p for --count struct pages from --pfn (bare numbers are hex, as in crash). */
function kmemPCommand(
  args: Args,
  file: string,
  pfnText: string,
  after: string | undefined,
  out: (s: string) => void,
): number {
  const countText = args.options.get('--count') ?? '1';
  if (!/^\d+$/.test(countText))
    throw new UsageError(`--count ${countText}: expected a number of struct pages`);
  const run = analyseFile(file, args).run!;
  checkStep(run, after);
  const m = kmemP(run, pfnText, Number(countText), after === undefined ? undefined : Number(after));
  if ('error' in m) throw new UsageError(`--pfn ${pfnText} --count ${countText}: ${m.error}`);
  out(
    args.flags.has('--json')
      ? JSON.stringify(m, null, 2)
      : `${formatKmemP(m)}\n\n${m.notes.join('\n')}`,
  );
  return EXIT.ok.code;
}

function checkStep(run: RunResult, after: string | undefined): void {
  if (after !== undefined && Number(after) >= run.steps.length)
    throw new UsageError(
      `--after-step ${after}: the scenario has ${run.steps.length} steps (0 to ${run.steps.length - 1})`,
    );
}

export function formatPage(p: PageInfo): string {
  const lines = [
    `pfn ${hex(p.pfn)} (phys ${p.phys})${p.afterStep !== undefined ? ` after step ${p.afterStep}` : ''}`,
  ];
  const s = p.section;
  lines.push(
    `  section ${s.nr}: ${[s.present && 'present', s.valid && 'has-mem-map', s.online && 'online', s.early && 'early', s.taintZoneDevice && 'taint-zone-device'].filter(Boolean).join(', ') || 'not present'}; sub-section ${s.subsection} ${s.subsectionActive ? 'active' : 'inactive'} (${s.subsectionsPopulated}/${s.subsectionsPerSection} populated)`,
  );
  lines.push(
    `  pfn_valid: ${p.pfnValid}   pfn_to_online_page: ${p.pfnToOnlinePage ? 'page' : 'NULL'}`,
  );
  lines.push(`  memmap: ${p.memmap}`);
  if (p.memmap === 'initialised') {
    lines.push(
      `  flags: ${p.flags.join('|') || '(none)'}  refcount: ${p.refcount}  mapcount: ${p.mapcount}`,
    );
    lines.push(`  zone: ${p.zone}  nid: ${p.nid}  migratetype: ${p.migratetype}`);
    if (p.compound)
      lines.push(
        `  compound: order ${p.compound.order}, head ${hex(p.compound.head)}${p.compound.isHead ? ' (this page)' : ''}`,
      );
    if (p.pgmap)
      lines.push(
        `  pgmap: ${p.pgmap.device} (${p.pgmap.type}) ${p.pgmap.range[0]}-${p.pgmap.range[1]}, vmemmap_shift ${p.pgmap.vmemmapShift}`,
      );
    lines.push(
      `  initialised by ${p.initialisedBy} at ${formatNs(p.initialisedAtNs ?? 0)} (step ${p.initialisedStep})`,
    );
  }
  if (p.vmemmap) {
    const v = p.vmemmap;
    lines.push(
      `  vmemmap: struct page at ${v.address}, on ${v.on === 'altmap' ? `${v.device}'s altmap (pmem)` : v.on === 'boot' ? 'boot memblock memory' : 'node RAM'} of node ${v.node}; ${v.structPagesPerVmemmapPage} struct pages per vmemmap page` +
        (v.sharedTail
          ? `; shared tail page mapped by ${v.sharedTail.ptes} PTEs for ${v.sharedTail.structPages} struct pages`
          : ''),
    );
  }
  return lines.join('\n');
}
