import type { Problem } from '../scenario/model';
import { formatNs } from '../units';
import { deviceSpan, fallbackSpan, stepSpan, type Rule } from './rule';
import type { BlockedTask, RunResult } from '../run/runScenario';
import type { DeviceRuntime } from '../runtime/device';

/**
 * memunmap_pages() waits for pgmap->done, which fires when the last reference is put; a reference
 * never put (get_dev_pagemap without put_dev_pagemap, a mapping never unmapped, a page still held)
 * makes teardown hang forever — the hung-task detector reports it two minutes later.
 */
const rule: Rule = {
  code: 'leaked-pgmap-ref',
  severity: 'error',
  title: 'pgmap references still held at memunmap_pages()',
  doc: 'Teardown waits in wait_for_completion(&pgmap->done) until every reference to the dev_pagemap is dropped. A get_dev_pagemap() without put_dev_pagemap(), a mapping not unmapped, or a page still held keeps one, and the remove never completes.',
  source: 'mm/memremap.c: memunmap_pages(), dev_pagemap_percpu_release()',
  check({ scenario, run }) {
    const out: Problem[] = [];
    for (const b of run.blocked) {
      const dev = leakBehind(run, b);
      if (!dev?.pgmap) continue;
      const held = dev.pgmap.ref.count;
      const related = dev.heldRefs.flatMap((h) => {
        const span = stepSpan(scenario, h.step);
        return span
          ? [{ message: `${h.count} reference(s) taken by ${h.by} here and never put`, span }]
          : [];
      });
      // The hung-task detector's own line, as the kernel prints it.
      const hung =
        run.trace.instants.find((e) => e.code === 'hung-task' && e.step === b.step)?.text ??
        `INFO: task ${b.thread} blocked for more than 120 seconds.`;
      out.push({
        code: rule.code,
        severity: rule.severity,
        related,
        message:
          `memunmap_pages() of ${dev.spec.name} waits forever for pgmap->done: ${held} reference(s) never put` +
          ` (${hung} It is blocked since ${formatNs(b.since)})`,
        span:
          stepSpan(scenario, b.step) ??
          deviceSpan(scenario, dev.spec.name) ??
          fallbackSpan(scenario),
      });
    }
    return out;
  },
};
export default rule;

/** The device whose leaked references keep a blocked task waiting (not an underflow's hang). */
export function leakBehind(run: RunResult, b: BlockedTask): DeviceRuntime | undefined {
  if (b.on !== 'pgmap->done') return undefined;
  const dev = run.devices.find((d) => d.state === 'removing');
  return dev?.pgmap && dev.pgmap.ref.count >= 0 ? dev : undefined;
}
