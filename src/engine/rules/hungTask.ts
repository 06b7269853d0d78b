import type { Problem } from '../scenario/model';
import { formatNs } from '../units';
import { fallbackSpan, stepSpan, type Rule } from './rule';

/** A task blocked for good on something other than a pgmap (a lock held by a task that oopsed). */
const rule: Rule = {
  code: 'hung-task',
  severity: 'error',
  title: 'A task never finished',
  doc: 'A task waited for a lock or a completion that nobody will ever release — typically a lock held by a task that died in an oops.',
  source: 'kernel/hung_task.c',
  check({ scenario, run }) {
    const out: Problem[] = [];
    for (const b of run.blocked) {
      if (b.on === 'pgmap->done' || b.on.startsWith('join')) continue;
      out.push({
        code: rule.code, severity: rule.severity,
        message: `INFO: task ${b.thread} blocked for more than 120 seconds (waiting on ${b.on} since ${formatNs(b.since)})`,
        span: stepSpan(scenario, b.step) ?? fallbackSpan(scenario),
      });
    }
    return out;
  },
};
export default rule;
