import { onlineMemory } from '../mm/ramHotplug';
import { byKeys, inPhysSpace, physRange } from './args';
import type { StepOpModule } from './stepOp';
import { rangeFailed } from './stepRun';

const KEYS = ['start', 'size', 'zone'];

const step: StepOpModule<'online'> = {
  doc:
    '`online_pages()` (`echo online_movable > /sys/devices/system/memory/memoryN/state`): the ' +
    'pages go to the buddy allocator.',
  keys: KEYS,
  read: (d, arg, op) =>
    byKeys(d, arg, op, KEYS, (f) => {
      const r = d.r;
      const { start, size } = physRange(r, f, op);
      const zone = f.has('zone')
        ? r.oneOf(f.value('zone'), ['movable', 'normal'] as const, 'zone')
        : 'movable';
      return inPhysSpace(
        r,
        f,
        op,
        start !== undefined && size && zone ? { start, size, zone } : undefined,
      );
    }),
  *run(s, step) {
    return rangeFailed(step, yield* onlineMemory(s.x, step.start, step.size, step.zone));
  },
};

export default step;
