import type { RunResult } from '../../engine/run/runScenario';
import { QUERIES } from '../../engine/views/queries';
import type { QueryAnswer, QueryRequest, RunPayload, RunRequest } from '../../protocol/worker';
import { analyseRequest } from './analyseRequest';

/** Full runs kept for queries; the oldest go first (a run of a 3 TiB machine is a few MB of ranges). */
const KEEP = 32;

/** What the worker holds: the latest full RunResult per (document, variant) key. */
export class WorkerState {
  private readonly results = new Map<string, RunResult>();

  run(req: RunRequest): RunPayload {
    const { payload, run } = analyseRequest(req);
    this.results.delete(req.key);
    if (run) this.results.set(req.key, run);
    for (const key of this.results.keys()) {
      if (this.results.size <= KEEP) break;
      this.results.delete(key);
    }
    return payload;
  }

  query(req: QueryRequest): QueryAnswer {
    const run = this.results.get(req.key);
    if (!run) return { type: 'answer', id: req.id, missing: true };
    const answer = (QUERIES[req.name] as (r: RunResult, args: unknown) => QueryAnswer['result'])(
      run,
      req.args,
    );
    return { type: 'answer', id: req.id, result: answer };
  }
}
