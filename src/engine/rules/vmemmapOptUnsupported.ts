import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'vmemmap-opt-unsupported',
  severity: 'error',
  title: 'Compound vmemmap optimisation on an arch without init_mm vmemmap',
  doc: 'v5.19 (4917f55b4ef9) to v6.3 applied the vmemmap tail-page reuse on every arch; ppc64 with the hash MMU maps the vmemmap with bolted hash entries, not init_mm page tables, so memmap_init_zone_device() faults in __init_single_page(). v6.4 (87a7ae75d738) made it arch opt-in. Use map=dev, align 4KiB, or a v6.4+ kernel.',
  source:
    'mm/sparse-vmemmap.c, mm/mm_init.c: compound_nr_pages(); lore: "mm/vmemmap/devdax: Fix kernel crash when probing devdax devices" (2023)',
  device: { field: 'align' },
});
