import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'struct-page-too-big',
  severity: 'error',
  title: 'struct page too large for a memmap on pmem',
  doc: 'libnvdimm reserves 64 bytes per page on the media for map=dev; memory debug options (KMSAN, page owner in flags, WANT_PAGE_VIRTUAL) make struct page larger, and the namespace refuses to put its memmap on pmem. Use map=mem.',
  source: 'drivers/nvdimm/pfn_devs.c: nd_pfn_init()',
  device: { field: 'map' },
});
