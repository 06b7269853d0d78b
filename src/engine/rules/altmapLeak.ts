import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'altmap-leak',
  severity: 'warning',
  title: 'Altmap pages still allocated at teardown',
  doc: 'memunmap_pages() found vmemmap pages still allocated from the device altmap after removing the ranges.',
  source: 'mm/memremap.c: memunmap_pages()',
  device: {},
});
