import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'invalid-altmap',
  severity: 'error',
  title: 'The altmap does not start where the hot-added range does',
  doc: "__add_pages() refuses an altmap whose base_pfn is not the range's first pfn (or whose reserved + free pages exceed it). Before v5.3 devm_memremap_pages() rounds a namespace out to 128 MiB sections, so a `map: dev` namespace that does not start on a section fails here: start it on a section boundary.",
  source: 'mm/memory_hotplug.c: __add_pages()',
  device: { field: 'start' },
});
