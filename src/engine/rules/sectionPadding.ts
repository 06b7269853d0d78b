import type { Problem } from '../scenario/model';
import { formatSize } from '../units';
import { deviceSpan, type Rule } from './rule';

/** Pre-v5.3 hotplug works in whole sections: capacity is lost to padding and truncation (lore: "mm/sparsemem: introduce struct mem_section_usage" (2019)). */
const rule: Rule = {
  code: 'section-padding',
  severity: 'warning',
  title: 'Range padded to whole sections (pre-v5.3)',
  doc: 'Before sub-section hotplug (v5.3) devm_memremap_pages() rounded the range out to 128 MiB sections and libnvdimm truncated namespaces that shared a section ("alignment collision"): memmap for the padding is wasted and the truncated bytes are lost capacity. A firmware change that moves pmem then breaks the padding.',
  source:
    'kernel/memremap.c (v4.x), drivers/nvdimm/pfn_devs.c: trim_pfn_device(); lore: "mm/sparsemem: introduce struct mem_section_usage" (sub-section hotplug v10, 2019)',
  check({ scenario, run }) {
    if (run.features.hotplugUnit !== 'section') return [];
    const out: Problem[] = [];
    const page = run.geometry.pageSize;
    for (const d of run.devices) {
      const lost = d.layout?.collision ?? 0;
      const pgmap = d.pgmap;
      const padded = pgmap
        ? pgmap.claim.reduce(
            (n, c, i) => n + (c.end - c.start) - (pgmap.ranges[i].end - pgmap.ranges[i].start),
            0,
          ) * page
        : 0;
      if (lost + padded <= 0) continue;
      const parts = [];
      if (lost > 0)
        parts.push(`${formatSize(lost)} of ${d.spec.name} truncated (alignment collision)`);
      if (padded > 0)
        parts.push(`${formatSize(padded)} of section padding with memmap but no device behind it`);
      out.push({
        code: rule.code,
        severity: rule.severity,
        message: `${parts.join('; ')} — sub-section hotplug (v5.3+) needs neither`,
        span: deviceSpan(scenario, d.spec.name)!,
      });
    }
    return out;
  },
};
export default rule;
