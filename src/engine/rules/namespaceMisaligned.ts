import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'namespace-misaligned',
  severity: 'error',
  title: 'Namespace start not aligned to memremap_compat_align()',
  doc: 'libnvdimm requires a pfn/dax namespace to start on the arch compat alignment (2 MiB; 16 MiB on ppc64 hash) so its memmap can be hot-added.',
  source: 'drivers/nvdimm/pfn_devs.c: nd_pfn_init()',
  device: { field: 'start' },
});
