import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'devdax-align',
  severity: 'error',
  title: 'device-dax alignment not supported or size not a multiple of it',
  doc: 'device-dax supports PAGE_SIZE, PMD and PUD alignments (x86: 4 KiB, 2 MiB, 1 GiB) and its size must be a multiple of the alignment.',
  source: 'drivers/dax/bus.c: dev_dax_validate_align()',
  device: { field: 'align' },
});
