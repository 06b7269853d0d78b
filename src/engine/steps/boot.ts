import { boot } from '../mm/boot';
import type { KThread } from '../sim/scheduler';
import type { StepOpModule } from './stepOp';

const step: StepOpModule<'boot'> = {
  doc:
    'Boot: memblock memmap for RAM (early sections), then deferred struct page init per node ' +
    '(`pgdatinit`, or padata jobs).',
  keys: [],
  read: () => ({ args: {}, fields: {} }),
  *run(s) {
    const th = yield {
      kind: 'spawn',
      name: 'swapper/0',
      node: 0,
      body: (t) => boot({ ...s.x, t }),
    };
    yield { kind: 'join', threads: [th as KThread] };
    return undefined;
  },
};

export default step;
