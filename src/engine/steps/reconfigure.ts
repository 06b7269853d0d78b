import { kmemMemmapRefused, kmemProbe, kmemRemove } from '../nvdimm/kmem';
import { byKeys } from './args';
import type { StepOpModule } from './stepOp';

const KEYS = ['device', 'mode', 'online', 'memmap_on_memory'];

const step: StepOpModule<'reconfigure'> = {
  doc:
    '`daxctl reconfigure-device --mode=system-ram|devdax`: unbind device_dax ' +
    '(`memunmap_pages()`) and hand the range, memory-block aligned inward, to kmem ' +
    '(`add_memory_driver_managed()`, then online as `online:` says, movable by default as ' +
    'daxctl does); or back: `remove_memory()` (every block offline) and device_dax maps it ' +
    "again. `memmap_on_memory: true` writes the dax device's `memmap_on_memory` attribute " +
    "first (v6.9+): each block's memmap on its own first pages.",
  keys: KEYS,
  read: (d, arg, op) =>
    byKeys(d, arg, op, KEYS, (f) => {
      const r = d.r;
      const device = d.read(f.required('device', op), 'device');
      const mode = r.oneOf(f.required('mode', op), ['system-ram', 'devdax'] as const, 'mode');
      const online = f.has('online')
        ? r.oneOf(f.value('online'), ['movable', 'normal', 'none'] as const, 'online')
        : 'movable';
      const memmapOnMemory = f.has('memmap_on_memory')
        ? r.boolean(f.value('memmap_on_memory'), 'memmap_on_memory')
        : false;
      return device !== undefined && mode && online && memmapOnMemory !== undefined
        ? { device, mode, online, memmapOnMemory }
        : undefined;
    }),
  *run(s, step) {
    const { k } = s;
    const dev = s.device(step.device);
    if (!dev) return s.fail(`no device named '${step.device}'`, 'device');
    if (dev.spec.kind !== 'namespace' || dev.spec.mode !== 'devdax')
      return s.fail(
        `device '${step.device}' is not a devdax namespace: only device-dax can be reconfigured`,
        'device',
      );
    if (k.f.kmem === 'none')
      return s.fail(
        `${k.f.version} has no kmem driver (drivers/dax/kmem.c came in v5.1, c221c0b0308f)`,
        'mode',
      );
    if (step.mode === 'system-ram') {
      if (dev.state !== 'live')
        return s.fail(
          `device '${step.device}' is not probed as devdax (its state is ${dev.state})`,
          'device',
          'invalid-step',
          s.failed(dev),
        );
      const refused = step.memmapOnMemory ? kmemMemmapRefused(s.x) : undefined;
      if (refused) return s.fail(refused, 'memmap_on_memory');
      return yield* kmemProbe(s.on(step.device, dev), dev, step.online, step.memmapOnMemory);
    }
    if (dev.state !== 'system-ram')
      return s.fail(
        `device '${step.device}' is not in system-ram mode (its state is ${dev.state})`,
        'device',
      );
    return yield* kmemRemove(s.on(step.device, dev), dev);
  },
};

export default step;
