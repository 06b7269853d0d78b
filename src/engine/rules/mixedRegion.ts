import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'mixed-region',
  severity: 'error',
  title: 'Device range intersects System RAM',
  doc: 'region_intersects() says the range (padded to sections before v5.3) overlaps System RAM; memremap_pages() WARNs and returns -ENXIO.',
  source: 'mm/memremap.c: memremap_pages()',
  device: {},
});
