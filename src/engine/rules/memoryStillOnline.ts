import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'memory-still-online',
  severity: 'error',
  title: 'remove_memory() on blocks that are still online',
  doc: 'Every memory block of the range must be offlined before remove_memory(): the kernel prints "removing memory fails, because memory [...] is onlined" and refuses with -EBUSY (v5.2+); before v5.2 it calls BUG().',
  source: 'mm/memory_hotplug.c: try_remove_memory()',
});
