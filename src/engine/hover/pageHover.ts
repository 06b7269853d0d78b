import type { PageInfo } from '../run/inspect';
import { formatNs, hex } from '../units';
import { markdownText } from '../printable';

/** One struct page from a run, for a hover on a pfn: what the kernel holds there. */
export function pageMarkdown(p: PageInfo): string {
  const when =
    p.afterStep !== undefined ? `after step ${p.afterStep}` : 'at the end of the last run';
  const s = p.section;
  const sectionFlags =
    [
      s.present && 'present',
      s.valid && 'has-mem-map',
      s.online && 'online',
      s.early && 'early',
      s.taintZoneDevice && 'taint-zone-device',
    ]
      .filter(Boolean)
      .join(', ') || 'not present';
  const lines = [
    `**struct page of \`${hex(p.pfn)}\`** ${when}: memmap ${p.memmap}`,
    `section ${s.nr} (${sectionFlags}), sub-section ${s.subsection} ${s.subsectionActive ? 'active' : 'inactive'} · pfn_valid ${p.pfnValid} · pfn_to_online_page ${p.pfnToOnlinePage ? 'page' : 'NULL'}`,
  ];
  if (p.memmap === 'initialised') {
    lines.push(
      `flags \`${p.flags.join('|') || '0'}\` · refcount ${p.refcount} · mapcount ${p.mapcount} · zone ${p.zone} · nid ${p.nid}` +
        (p.pgmap ? ` · pgmap ${markdownText(p.pgmap.device)} (${p.pgmap.type})` : '') +
        (p.compound
          ? ` · compound order ${p.compound.order}, head \`${hex(p.compound.head)}\``
          : ''),
    );
    lines.push(
      `initialised by ${p.initialisedBy} at ${formatNs(p.initialisedAtNs ?? 0)} (step ${p.initialisedStep})`,
    );
  }
  if (p.vmemmap)
    lines.push(
      `vmemmap: struct page at \`${p.vmemmap.address}\` on ${p.vmemmap.on === 'altmap' ? `${markdownText(p.vmemmap.device ?? '')}'s altmap` : p.vmemmap.on === 'boot' ? 'boot memory' : 'node RAM'} of node ${p.vmemmap.node}`,
    );
  return lines.join('\n\n');
}
