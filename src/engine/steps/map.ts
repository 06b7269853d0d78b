import type { Node } from 'yaml';
import { mapPages } from '../mm/pageOps';
import type { DeviceNames } from '../scenario/deviceNames';
import { readPfnRef } from '../scenario/pfnRef';
import type { Pgmap } from '../state/machine';
import { hex } from '../units';
import { byKeys, count } from './args';
import type { StepOf, StepOpModule, StepRead } from './stepOp';
import { resolvePfn, type StepRun } from './stepRun';
import type { Path } from '../runtime/context';

const KEYS = ['device', 'pfn', 'pages'];

const step: StepOpModule<'map'> = {
  doc:
    'Map device pages into a process: `insert_pfn()`/`vmf_insert_mixed()` for fs-dax, ' +
    '`zone_device_page_init()` for PRIVATE/COHERENT.',
  keys: KEYS,
  read: readMapping,
  run: runMapping,
};

/** `map` and `unmap` take the same arguments: the device, its first pfn, how many pages. */
export function readMapping(
  d: DeviceNames,
  arg: Node | null,
  op: 'map' | 'unmap',
): StepRead<'map' | 'unmap'> | undefined {
  return byKeys(d, arg, op, KEYS, (f) => {
    const device = d.read(f.required('device', op), 'device');
    const pfn = readPfnRef(d.r, f.required('pfn', op), device);
    const pages = count(d.r, f, 'pages');
    return device !== undefined && pfn && pages ? { device, pfn, pages } : undefined;
  });
}

/** `map` and `unmap` run one path (mm/pageOps.ts: mapPages), on the device's initialised pages. */
export function* runMapping(s: StepRun, step: StepOf<'map' | 'unmap'>): Path<string | undefined> {
  const d = s.live(step.device);
  if (typeof d === 'string') return d;
  const pfn = resolvePfn(s.k.g, step.pfn, d.dev);
  const bad = outsideDevicePages(s, d.pgmap, pfn, step.pages);
  if (bad) return s.fail(`${step.op}: ${bad}`, 'pfn', 'pfn-out-of-range');
  yield* mapPages(s.on(step.device, d.dev), d.dev, d.pgmap, pfn, step.pages, step.op === 'unmap');
  return undefined;
}

function outsideDevicePages(
  s: StepRun,
  pgmap: Pgmap,
  pfn: number,
  pages: number,
): string | undefined {
  const r = pgmap.ranges.find((r) => pfn >= r.start && pfn < r.end);
  if (!r || pfn < pgmap.pfnFirst) return `pfn ${hex(pfn)} is not a data page of ${pgmap.device}`;
  if (pfn + pages > r.end)
    return `pfns ${hex(pfn)}+${pages} run past the end of ${pgmap.device} (${hex(r.end - 1)})`;
  if (!s.k.state.pages.get(pfn)) return `pfn ${hex(pfn)} has no initialised struct page`;
  return undefined;
}

export default step;
