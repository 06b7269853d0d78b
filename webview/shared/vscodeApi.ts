import type {
  FromWebview,
  ReplyMessage,
  RequestName,
  SavedState,
  StatusMessage,
  ToView,
  ViewKind,
  ViewRequests,
} from '../../src/protocol/webview';
import { PendingReplies } from '../../src/protocol/replies';
import { showStatus } from './status';

/** What a view's own handler gets: replies and run status are handled here, the same for all views. */
type ViewMessage<V extends ViewKind> = Exclude<ToView[V], ReplyMessage | StatusMessage>;

/** The object VS Code injects into a webview; typed to our protocol by `connect`. */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** A view's side of the protocol. */
export interface ViewChannel<V extends ViewKind> {
  post(message: FromWebview): void;
  /** Asks the host; resolves with its answer, rejects with its error. */
  request<K extends RequestName>(
    name: K,
    args: ViewRequests[K]['args'],
  ): Promise<ViewRequests[K]['result']>;
  /** Says `ready`: call once the view listens, the host then sends the model. */
  ready(handler: (message: ViewMessage<V>) => void): void;
  /** The state saved before a reload or while hidden. */
  saved(): Partial<SavedState>;
  /** Merges into the saved state (VS Code keeps it across hide/show and window reloads). */
  save(patch: Partial<SavedState>): void;
}

export function connect<V extends ViewKind>(view: V): ViewChannel<V> {
  const api = acquireVsCodeApi();
  // The reply's result type follows from the request's name; one map of ids cannot carry that.
  const pending = new PendingReplies<unknown>();
  let handler: ((message: ViewMessage<V>) => void) | undefined;
  const saved = (): Partial<SavedState> => {
    const s = api.getState();
    return typeof s === 'object' && s !== null && (s as SavedState).view === view
      ? (s as SavedState)
      : {};
  };
  window.addEventListener('message', (event: MessageEvent<ToView[V]>) => {
    const message = event.data;
    if (typeof message !== 'object' || message === null || typeof message.type !== 'string') return;
    if (message.type === 'reply') {
      const reply = message as ReplyMessage;
      if (reply.reply) pending.resolve(reply.id, reply.reply.result);
      else pending.reject(reply.id, new Error(reply.error ?? 'no answer'));
      return;
    }
    if (message.type === 'status') {
      showStatus(message as StatusMessage);
      return;
    }
    handler?.(message as ViewMessage<V>);
  });
  return {
    post: (message) => api.postMessage(message),
    request(name, args) {
      const { id, reply } = pending.open();
      api.postMessage({ type: 'request', id, request: { name, args } } as FromWebview);
      return reply as Promise<ViewRequests[typeof name]['result']>;
    },
    ready(h) {
      handler = h;
      api.postMessage({ type: 'ready' } satisfies FromWebview);
    },
    saved,
    save: (patch) => api.setState({ ...saved(), ...patch, view }),
  };
}
