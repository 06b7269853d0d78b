import { addMemory, autoOnlineZone, memmapOnMemory, memmapOnMemoryMissing } from '../mm/ramHotplug';
import { formatSize, hex } from '../units';
import { byKeys, inPhysSpace, physRange } from './args';
import type { StepOpModule } from './stepOp';

const KEYS = ['node', 'start', 'size', 'memmap_on_memory'];

const step: StepOpModule<'add_memory'> = {
  doc:
    '`add_memory(nid, start, size)`: hot-add RAM (ACPI, virtio-mem, kmem): memory block ' +
    'devices, `arch_add_memory()`, pages stay offline. `memmap_on_memory: true` puts each ' +
    "block's memmap at its own start (v5.14: an add of one block only; v6.8: every block) " +
    'where the arch selects ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE (x86_64 and arm64 from v5.14, ' +
    'ppc64 radix v6.6, s390 v6.9, riscv v6.11).',
  keys: KEYS,
  read: (d, arg, op) =>
    byKeys(d, arg, op, KEYS, (f) => {
      const r = d.r;
      const node = r.integer(f.required('node', op), 'node', 0, 1023);
      const { start, size } = physRange(r, f, op);
      const memmapOnMemory = f.has('memmap_on_memory')
        ? r.boolean(f.value('memmap_on_memory'), 'memmap_on_memory')
        : false;
      const ok = node !== undefined && start !== undefined && size && memmapOnMemory !== undefined;
      return inPhysSpace(r, f, op, ok ? { node, start, size, memmapOnMemory } : undefined);
    }),
  *run(s, step) {
    const { k, x } = s;
    if (!k.state.nodes[step.node]) return s.fail(`node ${step.node} does not exist`, 'node');
    let vmemmapPages: number | undefined;
    if (step.memmapOnMemory) {
      const missing = memmapOnMemoryMissing(x);
      if (missing) return s.fail(missing, 'memmap_on_memory');
      const on = memmapOnMemory(x, step.size);
      if ('why' in on) s.report('memmap-on-memory-unused', on.why, 'memmap_on_memory');
      else vmemmapPages = on.pages;
    }
    const auto = autoOnlineZone(x);
    if ('error' in auto) return s.fail(auto.error);
    const err = yield* addMemory(
      x,
      step.node,
      step.start,
      step.size,
      'System RAM',
      vmemmapPages,
      auto.zone,
    );
    return err
      ? `add_memory(${hex(step.start)}, ${formatSize(step.size)}) failed: ${err}`
      : undefined;
  },
};

export default step;
