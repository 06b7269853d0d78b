import { parentPort } from 'node:worker_threads';
import type {
  CalibrateRequest,
  FromWorker,
  ImportRequest,
  ParseRequest,
  QueryRequest,
  RunRequest,
  ToWorker,
} from '../protocol/worker';
import { parseScenario } from '../engine/parse/parseScenario';
import { calibrateRequest } from './worker/calibrateRequest';
import { importRequest } from './worker/importRequest';
import { WorkerState } from './worker/workerState';

/**
 * The run worker: parsing, emulation and log imports off the extension host thread. Runs, queries
 * and calibrations are served in order, one per turn of the event loop, so a cancel that arrives
 * while one is still queued drops it. Parses go first: they take milliseconds, and the editor's
 * diagnostics, lenses and hovers wait for them, not for the runs queued before them. An import starts at once and awaits each chunk it reads, so the
 * others are served between its chunks, and a cancel for it aborts it at the next one.
 */
const state = new WorkerState();
const queue: (RunRequest | QueryRequest | CalibrateRequest)[] = [];
const parses: ParseRequest[] = [];
let scheduled = false;
/** Imports under way, by request id. */
const imports = new Map<number, AbortController>();

const post = (m: FromWorker) => parentPort!.postMessage(m);

parentPort!.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'cancel': {
      for (const q of [queue, parses]) {
        const i = q.findIndex((r) => r.id === m.id);
        if (i >= 0) q.splice(i, 1);
      }
      imports.get(m.id)?.abort();
      return;
    }
    case 'import':
      return startImport(m);
    case 'parse':
      parses.push(m);
      schedule();
      return;
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
    const next = parses.shift() ?? queue.shift();
    if (next) serve(next);
    if (queue.length || parses.length) schedule();
  });
}

function serve(req: RunRequest | ParseRequest | QueryRequest | CalibrateRequest): void {
  try {
    if (req.type === 'parse')
      return post({ type: 'parsed', id: req.id, result: parseScenario(req.text) });
    if (req.type === 'query') return post(state.query(req));
    post({ type: 'started', id: req.id });
    if (req.type === 'calibrate') return post(calibrateRequest(req));
    post({ type: 'done', id: req.id, payload: state.run(req) });
  } catch (e) {
    failed(req.id, e);
  }
}

function startImport(req: ImportRequest): void {
  const abort = new AbortController();
  imports.set(req.id, abort);
  importRequest(req, abort.signal, post)
    .then(post, (e: unknown) => failed(req.id, e))
    .finally(() => imports.delete(req.id));
}

/** An engine bug: the stack goes to the host's output channel. */
function failed(id: number, e: unknown): void {
  post({ type: 'failed', id, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
