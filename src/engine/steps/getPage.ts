import type { Node } from 'yaml';
import { getPage } from '../mm/pageOps';
import type { Ctx } from '../runtime/context';
import type { DeviceNames } from '../scenario/deviceNames';
import { readPfnRef } from '../scenario/pfnRef';
import { byKeys, count } from './args';
import type { StepOf, StepOpModule, StepRead } from './stepOp';
import { resolvePfn, type StepRun } from './stepRun';

const KEYS = ['device', 'pfn', 'count'];

const step: StepOpModule<'get_page'> = {
  doc: '`get_page()` on a struct page (a `VM_BUG_ON_PAGE`, from v5.16 `VM_BUG_ON_FOLIO`, if its refcount is 0).',
  keys: KEYS,
  read: readPageRef,
  *run(s, step) {
    const p = pageOf(s, step);
    if (typeof p === 'string') return p;
    yield* getPage(p.x, p.pfn, step.count);
    return undefined;
  },
};

/** `get_page` and `put_page` take the same arguments: a pfn (of a device, if named), a count. */
export function readPageRef(
  d: DeviceNames,
  arg: Node | null,
  op: 'get_page' | 'put_page',
): StepRead<'get_page' | 'put_page'> | undefined {
  return byKeys(d, arg, op, KEYS, (f) => {
    const device = f.has('device') ? d.read(f.value('device'), 'device') : undefined;
    const pfn = readPfnRef(d.r, f.required('pfn', op), device);
    const n = count(d.r, f, 'count');
    return pfn && n ? { device, pfn, count: n } : undefined;
  });
}

/** The page a `get_page`/`put_page` step names, and where its path runs; or the step's error. */
export function pageOf(
  s: StepRun,
  step: StepOf<'get_page' | 'put_page'>,
): { x: Ctx; pfn: number } | string {
  const dev = step.device ? s.device(step.device) : undefined;
  if (step.device && !dev) return s.fail(`no device named '${step.device}'`, 'device');
  return { x: s.on(step.device, dev), pfn: resolvePfn(s.k.g, step.pfn, dev) };
}

export default step;
