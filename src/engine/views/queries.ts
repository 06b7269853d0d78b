import type { RunResult } from '../run/runScenario';
import { inspectPfn, pfnHistory, type PageInfo } from '../run/inspect';
import { resolvePfn } from '../steps/stepRun';
import { MAX_PHYS_BYTES, parseAddress } from '../units';
import { memoryMap, type MemoryMapModel } from './memoryMap';
import { sectionDetail, type SectionDetail } from './sectionDetail';
import { pageModel, type PageAnswer } from './pageModel';
import { kmemP } from './kmemP';
import type { KmemPAnswer } from './kmemPText';

/**
 * Questions a view asks about a run that only the full run state can answer (the extension keeps
 * runs in a worker; these are what it can be asked). Each is pure: run + args → plain data.
 */
export interface Queries {
  inspect: { args: { pfn: number; afterStep?: number }; result: PageInfo };
  history: { args: { pfn: number }; result: PageInfo[] };
  resolvePfn: { args: { text: string }; result: { pfn?: number; error?: string } };
  /** The inspector's map: nodes → zones → section runs, after a step. */
  memoryMap: { args: { afterStep?: number }; result: MemoryMapModel };
  /** One section's sub-sections, pageblocks, page runs and memmap backing, after a step. */
  sectionDetail: { args: { section: number; afterStep?: number }; result: SectionDetail };
  /** A pfn typed as the user types it (pfn or device+offset): its struct page and history. */
  inspectPage: { args: { text: string; afterStep?: number }; result: PageAnswer };
  /** crash's `kmem -p` for `count` struct pages from `text` (hex pfn, page address, device+offset). */
  kmemP: { args: { text: string; count: number; afterStep?: number }; result: KmemPAnswer };
}

export type QueryName = keyof Queries;

export const QUERIES: {
  [K in QueryName]: (run: RunResult, args: Queries[K]['args']) => Queries[K]['result'];
} = {
  inspect: (run, { pfn, afterStep }) =>
    inspectPfn(run, within(run, 'pfn', pfn), step(run, afterStep)),
  history: (run, { pfn }) => pfnHistory(run, within(run, 'pfn', pfn)),
  resolvePfn: (run, { text }) => parsePfnQuery(run, text),
  memoryMap: (run, { afterStep }) => memoryMap(run, step(run, afterStep)),
  sectionDetail: (run, { section, afterStep }) =>
    sectionDetail(run, within(run, 'section', section), step(run, afterStep)),
  inspectPage: (run, { text, afterStep }) => {
    const { pfn, error } = parsePfnQuery(run, text);
    if (pfn === undefined) return { text, error: error ?? `'${text}' is not a pfn` };
    const outside = outsideOf(run, 'pfn', pfn);
    return outside ? { text, error: outside } : pageModel(run, text, pfn, step(run, afterStep));
  },
  kmemP: (run, { text, count, afterStep }) => kmemP(run, text, count, step(run, afterStep)),
};

/**
 * A pfn or section number a view asks about, checked against the run's address space: past
 * 2^52 bytes the page arithmetic leaves the exact integers and a walk over it never ends.
 */
function within(run: RunResult, what: 'pfn' | 'section', n: number): number {
  const outside = outsideOf(run, what, n);
  if (outside) throw new RangeError(outside);
  return n;
}

function outsideOf(run: RunResult, what: 'pfn' | 'section', n: number): string | undefined {
  const limit =
    MAX_PHYS_BYTES / (what === 'pfn' ? run.geometry.pageSize : run.geometry.sectionSize);
  return Number.isSafeInteger(n) && n >= 0 && n < limit
    ? undefined
    : `${what} ${n} is outside the 52-bit physical address space (${what}s below ${limit} on ${run.geometry.arch})`;
}

/** A step the run has (undefined: the end of the run). */
function step(run: RunResult, afterStep: number | undefined): number | undefined {
  if (
    afterStep !== undefined &&
    !(Number.isSafeInteger(afterStep) && afterStep >= 0 && afterStep < run.steps.length)
  ) {
    throw new RangeError(`step ${afterStep} is not one of the run's ${run.steps.length} steps`);
  }
  return afterStep;
}

/** "pmem0+0x1000": the device and the offset as written, if the text names a device. */
export function deviceOffset(text: string): { device: string; offset: string } | undefined {
  const m = /^([\w.-]+)\s*\+\s*(\S+)$/.exec(text.trim());
  return m ? { device: m[1], offset: m[2] } : undefined;
}

/** "0x6c00200", "113246720", or "pmem0+0x1000" (offset from the device's first data pfn). */
export function parsePfnQuery(run: RunResult, text: string): { pfn?: number; error?: string } {
  const t = text.trim();
  const named = deviceOffset(t);
  if (named) {
    const dev = run.devices.find((d) => d.spec.name === named.device);
    if (!dev)
      return {
        error: `no device named '${named.device}' (devices: ${run.devices.map((d) => d.spec.name).join(', ') || 'none'})`,
      };
    const offset = parseAddress(named.offset);
    if (offset === undefined) return { error: `'${named.offset}' is not a number` };
    return {
      pfn: resolvePfn(run.geometry, { device: dev.spec.name, relative: true, value: offset }, dev),
    };
  }
  const pfn = parseAddress(t);
  return pfn === undefined
    ? { error: `'${text}' is not a pfn (decimal, 0x hex, or device+offset)` }
    : { pfn };
}
