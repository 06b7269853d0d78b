import type { Problem } from '../scenario/model';
import { formatNs } from '../units';
import { deviceSpan, fallbackSpan, stepSpan, type Rule } from './rule';

/** "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap" (2018): memmap init under mem_hotplug_lock serialises every node behind one lock. */
const rule: Rule = {
  code: 'long-hotplug-lock-hold',
  severity: 'warning',
  title: 'mem_hotplug_lock held longer than the threshold',
  doc: 'Everything done between mem_hotplug_begin() and mem_hotplug_done() excludes every other hotplug operation and every get_online_mems() reader; with per-page memmap init under it (v4.18), nodes initialise one after another. The threshold is `options.long-lock-threshold` (default 1s).',
  source:
    'mm/memory_hotplug.c: mem_hotplug_begin(); lore: "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap" (2018)',
  check({ scenario, run }) {
    const out: Problem[] = [];
    const threshold = run.options.longLockThresholdNs;
    const { spans, threads, locks } = run.trace;
    for (const l of locks) {
      if (l.lock !== 'mem_hotplug_lock' || l.acquired === undefined || l.released === undefined)
        continue;
      const hold = l.released - l.acquired;
      if (hold <= threshold) continue;
      const outer = spans.find(
        (s) =>
          s.thread === l.thread && s.depth === 0 && s.start <= l.acquired! && s.end >= l.released!,
      );
      const inner = spans.find(
        (s) =>
          s.thread === l.thread &&
          s.args.device !== undefined &&
          s.start <= l.acquired! &&
          s.end >= l.released!,
      );
      const device = inner?.args.device;
      const waiters = locks.filter(
        (w) =>
          w.lock === l.lock &&
          w !== l &&
          w.acquired !== undefined &&
          w.requested < l.released! &&
          w.acquired >= l.released!,
      );
      const waited = waiters.length ? `; ${waiters.length} task(s) waited behind it` : '';
      out.push({
        code: rule.code,
        severity: rule.severity,
        message: `mem_hotplug_lock held for ${l.mode} for ${formatNs(hold)} by ${threads[l.thread].name} (threshold ${formatNs(threshold)})${waited}`,
        span:
          deviceSpan(scenario, device) ??
          stepSpan(scenario, outer?.args.step ?? inner?.args.step) ??
          fallbackSpan(scenario),
      });
    }
    return out;
  },
};
export default rule;
