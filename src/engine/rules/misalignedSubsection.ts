import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'misaligned-subsection',
  severity: 'error',
  title: 'Range not aligned to the hotplug unit',
  doc: 'check_pfn_span() refuses a start pfn or page count that is not a multiple of PAGES_PER_SUBSECTION (2 MiB) — of a whole section before v5.3 — and __add_pages() fails with -EINVAL. Align the range to 2 MiB.',
  source: 'mm/memory_hotplug.c: check_pfn_span()',
  device: { field: 'start' },
});
