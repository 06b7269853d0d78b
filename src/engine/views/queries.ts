import type { RunResult } from '../run/runScenario';
import { inspectPfn, pfnHistory, type PageInfo } from '../run/inspect';
import { resolvePfn } from '../run/execute';
import { parseAddress } from '../units';
import { memoryMap, type MemoryMapModel } from './memoryMap';
import { sectionDetail, type SectionDetail } from './sectionDetail';
import { pageModel, type PageAnswer } from './pageModel';

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
}

export type QueryName = keyof Queries;

export const QUERIES: { [K in QueryName]: (run: RunResult, args: Queries[K]['args']) => Queries[K]['result'] } = {
  inspect: (run, { pfn, afterStep }) => inspectPfn(run, pfn, afterStep),
  history: (run, { pfn }) => pfnHistory(run, pfn),
  resolvePfn: (run, { text }) => parsePfnQuery(run, text),
  memoryMap: (run, { afterStep }) => memoryMap(run, afterStep),
  sectionDetail: (run, { section, afterStep }) => sectionDetail(run, section, afterStep),
  inspectPage: (run, { text, afterStep }) => {
    const { pfn, error } = parsePfnQuery(run, text);
    return pfn === undefined ? { text, error: error ?? `'${text}' is not a pfn` } : pageModel(run, text, pfn, afterStep);
  },
};

/** "0x6c00200", "113246720", or "pmem0+0x1000" (offset from the device's first data pfn). */
export function parsePfnQuery(run: RunResult, text: string): { pfn?: number; error?: string } {
  const t = text.trim();
  const m = /^([\w.-]+)\s*\+\s*(\S+)$/.exec(t);
  if (m) {
    const dev = run.devices.find((d) => d.spec.name === m[1]);
    if (!dev) return { error: `no device named '${m[1]}' (devices: ${run.devices.map((d) => d.spec.name).join(', ') || 'none'})` };
    const offset = parseAddress(m[2]);
    if (offset === undefined) return { error: `'${m[2]}' is not a number` };
    return { pfn: resolvePfn(run.geometry, { device: dev.spec.name, relative: true, value: offset }, dev) };
  }
  const pfn = parseAddress(t);
  return pfn === undefined ? { error: `'${text}' is not a pfn (decimal, 0x hex, or device+offset)` } : { pfn };
}
