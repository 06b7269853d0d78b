import type { RunResult } from './runScenario';

/** Spans that initialise struct pages for a device: the work the published figures measure. */
export const DEVICE_INIT_SPANS = new Set(['memmap_init_zone', 'memmap_init_range', 'memmap_init_zone_device', 'for_each_device_pfn']);

/**
 * Time spent initialising a device's struct pages, lock waits excluded: under the lock, outside
 * it, and v4.18's second per-page pass.
 */
export function deviceInitNs(run: RunResult, device: string): number {
  let ns = 0;
  for (const s of run.trace.spans) if (s.args.device === device && DEVICE_INIT_SPANS.has(s.name)) ns += s.end - s.start;
  return ns;
}

/** Wall time of a device's probe, lock waits included. */
export function deviceProbeNs(run: RunResult, device: string): number {
  const probe = run.trace.spans.find((s) => s.args.device === device && s.depth === 0 && run.trace.threads[s.thread].name.startsWith('probe/'));
  return probe ? probe.end - probe.start : 0;
}

/** A node's deferred struct page init (pgdatinit thread). */
export function deferredInitNs(run: RunResult, node: number): number {
  const s = run.trace.spans.find((s) => s.name === 'deferred_init_memmap' && s.args.node === node);
  return s ? s.end - s.start : 0;
}

/** Pages of a device whose struct pages its init wrote. */
export function devicePages(run: RunResult, device: string): number {
  let pages = 0;
  for (const s of run.trace.spans) if (s.args.device === device && s.name === 'memmap_init_zone_device') pages += s.args.pages ?? 0;
  if (pages === 0) for (const s of run.trace.spans) if (s.args.device === device && s.name === 'for_each_device_pfn') pages += s.args.pages ?? 0;
  return pages;
}
