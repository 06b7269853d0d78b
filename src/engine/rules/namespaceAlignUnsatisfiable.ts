import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'namespace-align-unsatisfiable',
  severity: 'error',
  title: 'No data left after the info block, memmap and alignment',
  doc: 'The data offset (8 KiB info block, 64 bytes of memmap per page with map=dev, rounded up to align) reaches past the end of the namespace.',
  source: 'drivers/nvdimm/pfn_devs.c: nd_pfn_init()',
  device: { field: 'align' },
});
