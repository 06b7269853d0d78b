import { getDevPagemap } from '../mm/pageOps';
import { readPfnRef } from '../scenario/pfnRef';
import { hex } from '../units';
import { byKeys, count } from './args';
import type { StepOpModule } from './stepOp';
import { resolvePfn } from './stepRun';

const KEYS = ['device', 'pfn', 'count'];

const step: StepOpModule<'get_dev_pagemap'> = {
  doc:
    '`get_dev_pagemap(pfn)`: find the pgmap covering the pfn and take `count` references on its ' +
    'percpu_ref.',
  keys: KEYS,
  read: (d, arg, op) =>
    byKeys(d, arg, op, KEYS, (f) => {
      const device = d.read(f.required('device', op), 'device');
      const pfn = readPfnRef(d.r, f.required('pfn', op), device);
      const n = count(d.r, f, 'count');
      return device !== undefined && pfn && n ? { device, pfn, count: n } : undefined;
    }),
  *run(s, step) {
    const d = s.live(step.device);
    if (typeof d === 'string') return d;
    const pfn = resolvePfn(s.k.g, step.pfn, d.dev);
    if (s.k.state.pgmapAt(pfn) !== d.pgmap)
      return s.fail(`pfn ${hex(pfn)} is not in ${step.device}'s pgmap`, 'pfn', 'pfn-out-of-range');
    const ok = yield* getDevPagemap(s.on(step.device, d.dev), d.dev, d.pgmap, step.count);
    return ok ? undefined : `get_dev_pagemap returned NULL: ${step.device} is being torn down`;
  },
};

export default step;
