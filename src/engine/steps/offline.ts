import { offlineMemory } from '../mm/ramHotplug';
import { byKeys, rangeArgs } from './args';
import type { StepOpModule } from './stepOp';
import { rangeFailed } from './stepRun';

const KEYS = ['start', 'size'];

const step: StepOpModule<'offline'> = {
  doc:
    '`offline_pages()`: isolate, migrate and take the pages out of the buddy allocator. An ' +
    'unmovable page (a `GFP_KERNEL` allocation outside ZONE_MOVABLE) fails isolation with ' +
    '-EBUSY; a page with an extra reference (`get_page`) fails migration on every pass, and ' +
    'the write blocks until a signal (-EINTR).',
  keys: KEYS,
  read: (d, arg, op) => byKeys(d, arg, op, KEYS, (f) => rangeArgs(d.r, f, op)),
  *run(s, step) {
    return rangeFailed(step, yield* offlineMemory(s.x, step.start, step.size));
  },
};

export default step;
