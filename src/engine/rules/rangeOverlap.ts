import type { Problem } from '../scenario/model';
import { overlaps } from '../run/layout';
import { deviceSpan, type Rule } from './rule';

const rule: Rule = {
  code: 'range-overlap',
  severity: 'error',
  title: 'Two devices claim the same physical memory',
  doc: 'Device ranges overlap: the second memremap_pages() finds the first pgmap ("Conflicting mapping in same section") or the namespaces cannot both exist in the region.',
  source: 'drivers/nvdimm/namespace_devs.c; mm/memremap.c',
  check({ scenario, run }) {
    return overlaps(run.devices).map(([a, b]): Problem => ({
      code: rule.code,
      severity: rule.severity,
      message: `${b.spec.name} overlaps ${a.spec.name}`,
      span: deviceSpan(scenario, b.spec.name, 'start') ?? b.spec.span,
      related: [{ message: `${a.spec.name} is here`, span: a.spec.span }],
    }));
  },
};
export default rule;
