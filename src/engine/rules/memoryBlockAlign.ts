import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'misaligned-memory-block',
  severity: 'error',
  title: 'RAM hotplug range not aligned to the memory block size',
  doc: 'add_memory()/online/offline/remove_memory() work in whole memory blocks (/sys/devices/system/memory/block_size_bytes: 128 MiB, or 2 GiB on x86 bare metal with 64 GiB or more). add_memory() returns -EINVAL; remove_memory() hits BUG_ON().',
  source: 'mm/memory_hotplug.c: check_hotplug_memory_range()',
});
