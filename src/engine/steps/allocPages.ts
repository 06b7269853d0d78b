import { allocPages } from '../mm/pageAlloc';
import { GFPS } from '../scenario/model';
import { readPfnRef } from '../scenario/pfnRef';
import { byKeys, count } from './args';
import type { StepOpModule } from './stepOp';

const KEYS = ['pfn', 'pages', 'gfp'];

const step: StepOpModule<'alloc_pages'> = {
  doc:
    '`alloc_pages(gfp)` handing out the free pages `pfn`+`pages` with one reference each: ' +
    '`GFP_KERNEL` (slab, page tables: unmovable, never from ZONE_MOVABLE) or ' +
    '`GFP_HIGHUSER_MOVABLE` (a user page on the LRU, which offline migrates).',
  keys: KEYS,
  read: (d, arg, op) =>
    byKeys(d, arg, op, KEYS, (f) => {
      const r = d.r;
      const pfn = readPfnRef(r, f.required('pfn', op), undefined);
      const pages = count(r, f, 'pages');
      const gfp = r.oneOf(f.required('gfp', op), GFPS, 'gfp');
      return pfn && pages && gfp ? { pfn, pages, gfp } : undefined;
    }),
  *run(s, step) {
    const refused = yield* allocPages(s.x, step.pfn.value, step.pages, step.gfp);
    return refused && s.fail(refused.why, refused.field);
  },
};

export default step;
