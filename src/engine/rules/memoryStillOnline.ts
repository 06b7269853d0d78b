import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'memory-still-online',
  severity: 'error',
  title: 'remove_memory() on blocks that are still online',
  doc: 'Every memory block of the range must be offlined before remove_memory(); the kernel refuses with -EBUSY.',
  source: 'mm/memory_hotplug.c: try_remove_memory()',
});
