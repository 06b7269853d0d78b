import {
  VIEW_KINDS,
  type FromWebview,
  type SavedState,
  type ViewKind,
  type ViewRequest,
} from '../../protocol/webview';
import { isKernelName } from '../../engine/kernel/presets';

/**
 * A webview is untrusted input (its page could be driven by whatever a run prints): every
 * message is checked field by field before the host acts on it.
 */
type Obj = Record<string, unknown>;

const MAX_TEXT = 256;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isText = (x: unknown): x is string => typeof x === 'string' && x.length <= MAX_TEXT;
const isIndex = (x: unknown): x is number =>
  typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const optIndex = (x: unknown) => x === undefined || isIndex(x);

function parseRequest(x: unknown): ViewRequest | undefined {
  if (!isObj(x) || !isObj(x.args)) return undefined;
  const a = x.args;
  switch (x.name) {
    case 'spanDetails':
      return isIndex(a.spanId) ? { name: 'spanDetails', args: { spanId: a.spanId } } : undefined;
    case 'inspectPage':
      return isText(a.text) && optIndex(a.afterStep)
        ? {
            name: 'inspectPage',
            args: { text: a.text, afterStep: a.afterStep as number | undefined },
          }
        : undefined;
    case 'memoryMap':
      return optIndex(a.afterStep)
        ? { name: 'memoryMap', args: { afterStep: a.afterStep as number | undefined } }
        : undefined;
    case 'sectionDetail':
      return isIndex(a.section) && optIndex(a.afterStep)
        ? {
            name: 'sectionDetail',
            args: { section: a.section, afterStep: a.afterStep as number | undefined },
          }
        : undefined;
    case 'kmemP':
      return isText(a.text) && isIndex(a.count) && optIndex(a.afterStep)
        ? {
            name: 'kmemP',
            args: { text: a.text, count: a.count, afterStep: a.afterStep as number | undefined },
          }
        : undefined;
    default:
      return undefined;
  }
}

/** The message if it is one the protocol defines, with exactly its fields; undefined otherwise. */
export function parseFromWebview(x: unknown): FromWebview | undefined {
  if (!isObj(x)) return undefined;
  const type = x.type as FromWebview['type'];
  switch (type) {
    case 'ready':
      return { type };
    case 'request': {
      const request = parseRequest(x.request);
      return isIndex(x.id) && request ? { type, id: x.id, request } : undefined;
    }
    case 'revealStep':
      return isIndex(x.step) ? { type, step: x.step } : undefined;
    case 'openInspector':
      return isText(x.text) ? { type, text: x.text } : undefined;
    case 'compareVariants':
      return isText(x.a) && isText(x.b) ? { type, a: x.a, b: x.b } : undefined;
    default:
      return notAMessage(type);
  }
}

/** Compile-time: every message type is handled above. Run time: anything else is dropped. */
function notAMessage(_type: never): undefined {
  return undefined;
}

/**
 * The part of a saved state the host uses to restore a panel (document, variants, log); undefined
 * if it is not one. Saved state comes from the webview too, so it is checked like a message:
 * variants must be kernel presets or releases (whether a file may be read is the caller's call).
 */
export function parseSavedState(x: unknown, view: ViewKind): SavedState | undefined {
  if (
    !isObj(x) ||
    x.view !== view ||
    !VIEW_KINDS.includes(view) ||
    typeof x.uri !== 'string' ||
    x.uri.length > 4096
  )
    return undefined;
  const state: SavedState = { view, uri: x.uri };
  if (
    Array.isArray(x.variants) &&
    x.variants.length === 2 &&
    x.variants.every((v) => isText(v) && isKernelName(v))
  )
    state.variants = [x.variants[0], x.variants[1]];
  if (
    view === 'compare' &&
    typeof x.log === 'string' &&
    x.log.length <= 4096 &&
    /^[a-z][\w+.-]*:/i.test(x.log)
  )
    state.log = x.log;
  return state;
}
