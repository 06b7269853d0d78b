import { parentPort } from 'node:worker_threads';
import type { CalibrateRequest, FromWorker, QueryRequest, RunRequest, ToWorker } from '../protocol/worker';
import { calibrateRequest } from './worker/calibrateRequest';
import { WorkerState } from './worker/workerState';

/**
 * The run worker: emulation off the extension host thread. Requests are served in order, one per
 * turn of the event loop, so a cancel that arrives while a run is still queued drops it.
 */
const state = new WorkerState();
const queue: (RunRequest | QueryRequest | CalibrateRequest)[] = [];
let scheduled = false;

const post = (m: FromWorker) => parentPort!.postMessage(m);

parentPort!.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'cancel': {
      const i = queue.findIndex((q) => q.id === m.id);
      if (i >= 0) queue.splice(i, 1);
      return;
    }
    case 'run':
    case 'query':
    case 'calibrate':
      queue.push(m);
      schedule();
      return;
    default: {
      const never: never = m;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
});

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    const next = queue.shift();
    if (next) serve(next);
    if (queue.length) schedule();
  });
}

function serve(req: RunRequest | QueryRequest | CalibrateRequest): void {
  try {
    if (req.type === 'query') return post(state.query(req));
    post({ type: 'started', id: req.id });
    if (req.type === 'calibrate') return post(calibrateRequest(req));
    post({ type: 'done', id: req.id, payload: state.run(req) });
  } catch (e) {
    post({ type: 'failed', id: req.id, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
}
