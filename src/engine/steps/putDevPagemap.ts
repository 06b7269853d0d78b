import { putDevPagemap } from '../mm/pageOps';
import { byKeys, count } from './args';
import type { StepOpModule } from './stepOp';

const KEYS = ['device', 'count'];

const step: StepOpModule<'put_dev_pagemap'> = {
  doc:
    '`put_dev_pagemap()`: drop `count` pgmap references; teardown waits until every one is ' +
    'dropped.',
  keys: KEYS,
  read: (d, arg, op) =>
    byKeys(d, arg, op, KEYS, (f) => {
      const device = d.read(f.required('device', op), 'device');
      const n = count(d.r, f, 'count');
      return device !== undefined && n ? { device, count: n } : undefined;
    }),
  *run(s, step) {
    const d = s.live(step.device);
    if (typeof d === 'string') return d;
    yield* putDevPagemap(s.on(step.device, d.dev), d.dev, d.pgmap, step.count);
    return undefined;
  },
};

export default step;
