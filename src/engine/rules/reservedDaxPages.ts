import type { Problem } from '../scenario/model';
import { deviceSpan, type Rule } from './rule';

/** The "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap" (2018) thread's PageReserved debate: KVM treats reserved pfns as MMIO and will not refcount them. */
const rule: Rule = {
  code: 'reserved-dax-pages',
  severity: 'info',
  title: 'DAX pages carry PG_reserved',
  doc: 'memmap_init_zone_device() sets PG_reserved on every device page. kvm_is_reserved_pfn() then treats DAX memory as MMIO: guests backed by it lose refcounting and dirty tracking (the PageReserved debate in the review of "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap" (2018)).',
  source: 'mm/mm_init.c: __init_zone_device_page(); virt/kvm/kvm_main.c',
  check({ scenario, run }) {
    if (!run.features.devicePagesReserved) return [];
    const out: Problem[] = [];
    for (const d of run.devices) {
      if (d.spec.kind !== 'namespace' || !d.pgmap || !d.layout) continue;
      out.push({
        code: rule.code,
        severity: rule.severity,
        span: deviceSpan(scenario, d.spec.name, 'mode')!,
        message: `${d.spec.name}: ${d.layout.npfns} ${d.spec.mode} pages are PG_reserved; KVM will treat them as MMIO`,
      });
    }
    return out;
  },
};
export default rule;
