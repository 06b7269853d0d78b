import type { Ctx, Kernel } from '../runtime/context';
import { span } from '../runtime/context';
import type { Step } from '../scenario/model';
import type { Body, KThread } from '../sim/scheduler';
import { runStep } from '../steps';
import { StepRun, type StepProblem, type StepStatus } from '../steps/stepRun';

/** The scenario's own process: runs the steps in order, as a user at a shell would. */
export function* runSteps(
  k: Kernel,
  t: KThread,
  steps: Step[],
  status: StepStatus[],
  problems: StepProblem[],
): Body {
  // steps are a prefix of the scenario's, so positions match `status` even if indices had gaps.
  let booted = false;
  const lastBoot = steps.map((s) => s.op).lastIndexOf('boot');
  for (const [i, step] of steps.entries()) {
    const st = status[i];
    st.start = k.sched.now;
    st.outcome = 'blocked';
    const x: Ctx = { k, t, step: step.index };
    // A scenario that boots does everything else after booting, once (one may leave boot out).
    const order =
      step.op === 'boot'
        ? booted
          ? 'the machine has booted already'
          : undefined
        : !booted && i < lastBoot
          ? 'this step runs before the machine boots (boot comes later)'
          : undefined;
    if (step.op === 'boot') booted = true;
    const error = order
      ? (problems.push({ step: step.index, code: 'invalid-step', message: order }), order)
      : yield* span(
          x,
          step.op,
          { step: step.index },
          () => runStep(new StepRun(x, step, problems, st), step),
          'step',
        );
    st.end = k.sched.now;
    st.outcome = error ? 'failed' : 'ok';
    st.error = error;
  }
}
