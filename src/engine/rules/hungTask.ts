import type { Problem } from '../scenario/model';
import { leakBehind } from './leakedPgmapRef';
import { fallbackSpan, stepSpan, type Rule } from './rule';

/**
 * kernel/hung_task.c: a task blocked for hung_task_timeout_secs. A leaked pgmap reference is told
 * by leaked-pgmap-ref (which quotes this line); any other hang (an underflow's teardown, a lock a
 * dead task held) is told here, at the step that hung, in the detector's words.
 */
const rule: Rule = {
  code: 'hung-task',
  severity: 'error',
  title: 'A task blocked forever',
  doc: 'The hung-task detector found a task blocked for more than 120 seconds: the step never completes, and the steps after it never run.',
  source: 'kernel/hung_task.c: check_hung_task()',
  check({ scenario, run }) {
    const out: Problem[] = [];
    for (const b of run.blocked) {
      if (leakBehind(run, b)) continue;
      const line = run.trace.instants.find(
        (e) => e.code === 'hung-task' && e.step === b.step && e.text.includes(`task ${b.thread}:`),
      );
      if (!line) continue;
      out.push({
        code: rule.code,
        severity: rule.severity,
        message: `${line.text} (${b.thread} waits on ${b.on})`,
        span: stepSpan(scenario, b.step) ?? fallbackSpan(scenario),
      });
    }
    return out;
  },
};
export default rule;
