import type { RunResult } from './runScenario';

/** Spans that initialise struct pages for a device: the work the published figures measure. */
export const DEVICE_INIT_SPANS = new Set([
  'memmap_init_zone',
  'memmap_init_range',
  'memmap_init_zone_device',
  'for_each_device_pfn',
]);

interface DeviceMeasures {
  initNs: number;
  probeNs?: number;
  zoneDevicePages: number;
  pfnLoopPages: number;
}
interface Measures {
  devices: Map<string, DeviceMeasures>;
  deferredNs: Map<number, number>;
}

/** One pass over a run's spans, kept per run: a summary of 4096 devices must not scan every span per device. */
const measured = new WeakMap<RunResult, Measures>();

function measures(run: RunResult): Measures {
  const known = measured.get(run);
  if (known) return known;
  const m: Measures = { devices: new Map(), deferredNs: new Map() };
  for (const s of run.trace.spans) {
    if (
      s.name === 'deferred_init_memmap' &&
      s.args.node !== undefined &&
      !m.deferredNs.has(s.args.node)
    )
      m.deferredNs.set(s.args.node, s.end - s.start);
    const device = s.args.device;
    if (device === undefined) continue;
    let d = m.devices.get(device);
    if (!d) m.devices.set(device, (d = { initNs: 0, zoneDevicePages: 0, pfnLoopPages: 0 }));
    if (DEVICE_INIT_SPANS.has(s.name)) d.initNs += s.end - s.start;
    if (
      d.probeNs === undefined &&
      s.depth === 0 &&
      run.trace.threads[s.thread].name.startsWith('probe/')
    )
      d.probeNs = s.end - s.start;
    if (s.name === 'memmap_init_zone_device') d.zoneDevicePages += s.args.pages ?? 0;
    if (s.name === 'for_each_device_pfn') d.pfnLoopPages += s.args.pages ?? 0;
  }
  measured.set(run, m);
  return m;
}

/**
 * Time spent initialising a device's struct pages, lock waits excluded: under the lock, outside
 * it, and v4.18's second per-page pass.
 */
export function deviceInitNs(run: RunResult, device: string): number {
  return measures(run).devices.get(device)?.initNs ?? 0;
}

/** Wall time of a device's probe, lock waits included. */
export function deviceProbeNs(run: RunResult, device: string): number {
  return measures(run).devices.get(device)?.probeNs ?? 0;
}

/** A node's deferred struct page init (pgdatinit thread). */
export function deferredInitNs(run: RunResult, node: number): number {
  return measures(run).deferredNs.get(node) ?? 0;
}

/** Pages of a device whose struct pages its init wrote. */
export function devicePages(run: RunResult, device: string): number {
  const d = measures(run).devices.get(device);
  return d ? d.zoneDevicePages || d.pfnLoopPages : 0;
}
