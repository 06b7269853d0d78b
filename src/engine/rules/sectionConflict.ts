import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'section-conflict',
  severity: 'error',
  title: 'Another pgmap already covers this section',
  doc: 'memremap_pages() found a dev_pagemap at the start or end of the range: before v5.3 hotplug claimed whole 128 MiB sections, so two mappings could not share one; later only a real overlap conflicts. The probe fails with -ENOMEM.',
  source: 'mm/memremap.c: memremap_pages() (kernel/memremap.c before v5.0)',
  device: {},
});
