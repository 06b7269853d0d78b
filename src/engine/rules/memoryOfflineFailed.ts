import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'memory-offline-failed',
  severity: 'error',
  title: 'offline_pages() stopped at a page it cannot move',
  doc: 'A memory block with an unmovable page (a kernel allocation outside ZONE_MOVABLE) cannot be isolated: offline fails with -EBUSY ("failure to isolate range"); a page with an extra reference fails migration on every pass, and the write to memoryN/state blocks until a signal (-EINTR, "signal backoff"). From v5.0 the kernel dumps the page ("unmovable page", "migration failure").',
  source: 'mm/memory_hotplug.c: offline_pages(), mm/page_isolation.c: set_migratetype_isolate()',
});
