import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'zero-refcount-get-page',
  severity: 'error',
  title: 'get_page()/put_page() on a page whose refcount is zero',
  doc: 'ZONE_DEVICE pages mapped through insert_pfn() can sit at refcount 0 (the pgmap reference keeps the memmap alive); any get_page() then hits VM_BUG_ON_PAGE (VM_BUG_ON_FOLIO from v5.16; both exist only with CONFIG_DEBUG_VM, which the model assumes) (lore: "mm: remove extra ZONE_DEVICE struct page refcount" (RFC v3, 2020)). The task dies; later steps do not run.',
  source:
    'include/linux/mm.h: get_page(); lore: "mm: remove extra ZONE_DEVICE struct page refcount" (RFC v3, 2020)',
});
