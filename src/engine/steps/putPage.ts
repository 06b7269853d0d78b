import { putPage } from '../mm/pageOps';
import { pageOf, readPageRef } from './getPage';
import type { StepOpModule } from './stepOp';

const step: StepOpModule<'put_page'> = {
  doc:
    '`put_page()` on a struct page; ZONE_DEVICE pages go back to their driver (`page_free`) at ' +
    'the idle count.',
  keys: ['device', 'pfn', 'count'],
  read: readPageRef,
  *run(s, step) {
    const p = pageOf(s, step);
    if (typeof p === 'string') return p;
    yield* putPage(p.x, p.pfn, step.count);
    return undefined;
  },
};

export default step;
