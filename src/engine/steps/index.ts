import type { Step, StepOp } from '../scenario/model';
import type { Path } from '../runtime/context';
import type { StepOpModule } from './stepOp';
import type { StepRun } from './stepRun';
import addMemory from './addMemory';
import allocPages from './allocPages';
import boot from './boot';
import getDevPagemap from './getDevPagemap';
import getPage from './getPage';
import map from './map';
import offline from './offline';
import online from './online';
import probe from './probe';
import putDevPagemap from './putDevPagemap';
import putPage from './putPage';
import reconfigure from './reconfigure';
import remove from './remove';
import removeMemory from './removeMemory';
import unmap from './unmap';

/** Every step op, by the name a scenario writes (the order completion offers them in). */
export const STEPS: { readonly [Op in StepOp]: StepOpModule<Op> } = {
  boot,
  probe,
  remove,
  get_dev_pagemap: getDevPagemap,
  put_dev_pagemap: putDevPagemap,
  map,
  unmap,
  get_page: getPage,
  put_page: putPage,
  add_memory: addMemory,
  online,
  offline,
  remove_memory: removeMemory,
  reconfigure,
  alloc_pages: allocPages,
};

export const STEP_OPS = Object.keys(STEPS) as StepOp[];

/** What a step does in kernel terms (hovers, completion); undefined for a name that is no op. */
export function stepDoc(name: string): string | undefined {
  return Object.hasOwn(STEPS, name) ? STEPS[name as StepOp].doc : undefined;
}

/** The module of one op, typed by it (a lookup by a union op would lose the link to its step). */
export function stepOp<Op extends StepOp>(op: Op): StepOpModule<Op> {
  return STEPS[op];
}

/** Runs one step by its op's module. */
export function runStep(s: StepRun, step: Step): Path<string | undefined> {
  return stepOp(step.op).run(s, step);
}
