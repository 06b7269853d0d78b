import { removeMemory } from '../mm/ramHotplug';
import { byKeys, rangeArgs } from './args';
import type { StepOpModule } from './stepOp';
import { rangeFailed } from './stepRun';

const KEYS = ['start', 'size'];

const step: StepOpModule<'remove_memory'> = {
  doc:
    '`remove_memory()`/`try_remove_memory()`: every block must be offline; ' +
    '`arch_remove_memory()` frees the memmap.',
  keys: KEYS,
  read: (d, arg, op) => byKeys(d, arg, op, KEYS, (f) => rangeArgs(d.r, f, op)),
  *run(s, step) {
    return rangeFailed(step, yield* removeMemory(s.x, step.start, step.size));
  },
};

export default step;
