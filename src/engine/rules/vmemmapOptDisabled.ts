import type { Problem } from '../scenario/model';
import { vmemmapOptimisation } from '../mm/sparseVmemmap';
import { deviceSpan, type Rule } from './rule';

const WHY = {
  altmap:
    'the memmap lives on the device (map=dev: an altmap), and tail reuse needs the memmap in RAM',
  'struct-page-size': 'sizeof(struct page) is not a power of two (memory debug options)',
  arch: 'the arch does not select ARCH_WANT_OPTIMIZE_VMEMMAP (v6.4+)',
} as const;

/** Compound devmaps without the vmemmap tail reuse: correct, but 4× (2 MiB) to 2048× (1 GiB) more memmap. */
const rule: Rule = {
  code: 'vmemmap-opt-disabled',
  severity: 'info',
  title: 'Compound device pages without the vmemmap optimisation',
  doc: 'vmemmap_can_optimize() is false: every struct page of each compound page gets its own vmemmap. Reasons: an altmap (map=dev), a struct page that is not a power of two, or (v6.4+) an arch that does not opt in.',
  source: 'mm/sparse-vmemmap.c: vmemmap_can_optimize(); include/linux/mm.h',
  check({ scenario, run }) {
    // Every pgmap the run made, once per device: a device reconfigured to kmem or removed had one.
    const out = new Map<string, Problem>();
    for (const pgmap of run.state.pgmaps) {
      const why = vmemmapOptimisation(
        run.features,
        run.geometry,
        pgmap.vmemmapShift,
        !!pgmap.altmap,
      );
      if (why !== 'altmap' && why !== 'struct-page-size' && why !== 'arch') continue;
      if (!out.has(pgmap.device))
        out.set(pgmap.device, {
          code: rule.code,
          severity: rule.severity,
          span: deviceSpan(scenario, pgmap.device, 'map')!,
          message: `${pgmap.device}: compound pages of order ${pgmap.vmemmapShift} without vmemmap tail reuse: ${WHY[why]}`,
        });
    }
    return [...out.values()];
  },
};
export default rule;
