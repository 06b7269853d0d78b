import type { Trace } from '../trace/model';
import { hex } from '../units';

/** A cost term summed over the span (a span's loop may add the same term per chunk). */
export interface CostLine {
  name: string;
  count: number;
  ns: number;
}

/** What the timeline shows for a clicked span. */
export interface SpanDetails {
  id: number;
  /** The kernel function. */
  name: string;
  thread: string;
  node?: number;
  device?: string;
  /** First and last pfn, as the kernel prints them. */
  pfnRange?: [string, string];
  pages?: number;
  startNs: number;
  durationNs: number;
  /** Time not spent in child spans. */
  selfNs: number;
  cost: CostLine[];
  /** The cost terms' sum; differs from selfNs by lock waits and queueing. */
  costNs: number;
  step?: number;
  /** The enclosing spans, outermost first: the call path. */
  path: string[];
  /** Other arguments the kernel path recorded (zone, sections, refs, ...). */
  extra: [string, string][];
}

const SHOWN = new Set(['node', 'device', 'pfn', 'pages', 'step', 'cost']);

/** Details of one span; undefined when the id is not in the trace. */
export function spanDetails(trace: Trace, id: number): SpanDetails | undefined {
  const s = trace.spans[id];
  if (!s || s.id !== id) return undefined;
  const cost = new Map<string, CostLine>();
  for (const term of s.args.cost ?? []) {
    const line = cost.get(term.name) ?? { name: term.name, count: 0, ns: 0 };
    line.count += term.count;
    line.ns += term.ns;
    cost.set(term.name, line);
  }
  let childNs = 0;
  const path: string[] = [];
  for (let p = s.parent; p !== undefined; p = trace.spans[p].parent)
    path.unshift(trace.spans[p].name);
  // Children are recorded after their parent.
  for (let i = id + 1; i < trace.spans.length; i++) {
    if (trace.spans[i].parent === id) childNs += trace.spans[i].end - trace.spans[i].start;
  }
  const lines = [...cost.values()].sort((a, b) => b.ns - a.ns);
  const { pfn, pages } = s.args;
  return {
    id,
    name: s.name,
    thread: trace.threads[s.thread]?.name ?? `thread ${s.thread}`,
    node: s.args.node,
    device: s.args.device,
    pfnRange: pfn !== undefined && pages ? [hex(pfn), hex(pfn + pages - 1)] : undefined,
    pages,
    startNs: s.start,
    durationNs: s.end - s.start,
    selfNs: s.end - s.start - childNs,
    cost: lines,
    costNs: lines.reduce((n, l) => n + l.ns, 0),
    step: s.args.step,
    path,
    extra: Object.entries(s.args)
      .filter(([k, v]) => !SHOWN.has(k) && v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  };
}
