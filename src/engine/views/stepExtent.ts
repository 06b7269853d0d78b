import type { Trace } from '../trace/model';

/**
 * When a scenario step ran: from its first span's start to the end of the last span it caused
 * (async probes included), in ns. Undefined when the step left no span (it failed before doing
 * anything, or the run stopped earlier). "Run to here" shows the run up to this point.
 */
export function stepExtent(trace: Trace, step: number): [number, number] | undefined {
  let start = Infinity;
  let end = -Infinity;
  for (const s of trace.spans) {
    if (s.args.step !== step) continue;
    start = Math.min(start, s.start);
    end = Math.max(end, s.end);
  }
  return start <= end ? [start, end] : undefined;
}
