/**
 * The one protocol between the extension host and the four webviews (timeline, locks, inspector,
 * compare). Both sides import it; every message is discriminated on `type` and carries plain,
 * JSON-safe data. A webview posts `ready` once it listens; the host answers with the view's model.
 */
import type { CompareModel } from '../engine/views/compareModel';
import type { LockModel } from '../engine/views/lockModel';
import type { KmemPAnswer } from '../engine/views/kmemPText';
import type { MemoryMapModel } from '../engine/views/memoryMap';
import type { PageAnswer } from '../engine/views/pageModel';
import type { SectionDetail } from '../engine/views/sectionDetail';
import type { SpanDetails } from '../engine/views/spanDetails';
import type { TimelineModel } from '../engine/views/timelineModel';
import type { Queries, QueryName } from '../engine/views/queries';

export type {
  CompareModel,
  KmemPAnswer,
  LockModel,
  MemoryMapModel,
  PageAnswer,
  SectionDetail,
  SpanDetails,
  TimelineModel,
};

export type ViewKind = 'timeline' | 'locks' | 'inspector' | 'compare';

export const VIEW_KINDS: readonly ViewKind[] = ['timeline', 'locks', 'inspector', 'compare'];

/** A scenario step as the inspector's scrubber lists it. */
export interface StepItem {
  index: number;
  op: string;
  outcome: string;
  /** 1-based line of the step in the scenario. */
  line?: number;
}

/** What the inspector opens with: the map at the end of the run, and the pfn to select, if any. */
export interface InspectorModel {
  title: string;
  steps: StepItem[];
  map: MemoryMapModel;
  /** `0x6c00200` or `pmem0+0x1000`, as the command or CodeLens gave it. */
  pfnText?: string;
  /** The step to start at: the probe that made `pfnText`'s device live, if it names one. */
  afterStep?: number;
}

/** What the timeline brings into view first. */
export interface TimelineFocus {
  /** A device's spans (CodeLens "Show in timeline"). */
  device?: string;
  /** A time window, ns (an imported log's records, far from boot; the run up to a step). */
  window?: [number, number];
  /** Markers A and B, ns (a step's start and end, so the view reads its duration). */
  markers?: [number, number];
}

/** The run questions the inspector asks: the host forwards them to the run's worker as they are. */
export const INSPECTOR_QUERIES = [
  'inspectPage',
  'memoryMap',
  'sectionDetail',
  'kmemP',
] as const satisfies readonly QueryName[];
export type InspectorQuery = (typeof INSPECTOR_QUERIES)[number];

/** Questions a webview asks the host, with the answers' types (request/reply over postMessage). */
export type ViewRequests = Pick<Queries, InspectorQuery> & {
  /** A clicked span's function, pfn range, duration and cost terms. */
  spanDetails: { args: { spanId: number }; result: SpanDetails | undefined };
};

export type RequestName = keyof ViewRequests;
export type ViewRequest = {
  [K in RequestName]: { name: K; args: ViewRequests[K]['args'] };
}[RequestName];
export type ViewReply = {
  [K in RequestName]: { name: K; result: ViewRequests[K]['result'] };
}[RequestName];

// ─── host → webview ────────────────────────────────────────────────────────────────────────────

/** The run to draw in the timeline, and what to bring into view first. */
export interface TimelineMessage {
  type: 'timeline';
  uri: string;
  model: TimelineModel;
  focus?: TimelineFocus;
}

/** Bring something into view in an already open timeline. */
export interface FocusMessage {
  type: 'focus';
  focus: TimelineFocus;
}

/** The lock hold durations of a run. */
export interface LocksMessage {
  type: 'locks';
  uri: string;
  model: LockModel;
}

/** The inspector's map and step list (and the pfn to select, when opened on one). */
export interface InspectorMessage {
  type: 'inspector';
  uri: string;
  model: InspectorModel;
}

/** Select a pfn in an already open inspector (`0x6c00200` or `pmem0+0x1000`). */
export interface InspectMessage {
  type: 'inspect';
  text: string;
  /** The step to go to first: the probe that made `text`'s device live, if it names one. */
  afterStep?: number;
}

/** Two runs (or a run and a kernel log, `model.log`) side by side, and the variants the user may pick instead. */
export interface CompareMessage {
  type: 'compare';
  uri: string;
  model: CompareModel;
  variants: string[];
}

/** Nothing to draw yet, or why not (the run is under way, the scenario does not parse). */
export interface StatusMessage {
  type: 'status';
  uri: string;
  state: 'running' | 'failed';
  message: string;
}

/** The answer to a `request`, or why there is none. */
export interface ReplyMessage {
  type: 'reply';
  id: number;
  reply?: ViewReply;
  error?: string;
}

type Common = StatusMessage | ReplyMessage;

/** Messages each view receives. */
export interface ToView {
  timeline: TimelineMessage | FocusMessage | Common;
  locks: LocksMessage | Common;
  inspector: InspectorMessage | InspectMessage | Common;
  compare: CompareMessage | Common;
}

export type ToWebview = ToView[ViewKind];

// ─── webview → host ────────────────────────────────────────────────────────────────────────────

/** The webview has loaded and listens: send it the model. */
export interface ReadyMessage {
  type: 'ready';
}

/** A question only the host (or the run's worker) can answer; answered by a `reply` with the same id. */
export interface RequestMessage {
  type: 'request';
  id: number;
  request: ViewRequest;
}

/** Open the scenario at a step's line ("Reveal in scenario"). */
export interface RevealStepMessage {
  type: 'revealStep';
  step: number;
}

/** Open the inspector on a pfn (from a span's details). */
export interface OpenInspectorMessage {
  type: 'openInspector';
  text: string;
}

/** Compare two other variants of the scenario. */
export interface CompareVariantsMessage {
  type: 'compareVariants';
  a: string;
  b: string;
}

export type FromWebview =
  ReadyMessage | RequestMessage | RevealStepMessage | OpenInspectorMessage | CompareVariantsMessage;

/** The timeline's details pane as the user left it. */
export interface DetailsPaneState {
  open: boolean;
  /** CSS px; undefined: a share of the view's width. */
  width?: number;
}

/** What a webview keeps with `setState`; a serializer gets it back after a window reload. */
export interface SavedState {
  view: ViewKind;
  uri: string;
  /** The timeline's visible window. */
  window?: [number, number];
  search?: string;
  /** The timeline's selected span: its trace id, and its function to check the id still names it. */
  selected?: { id: number; name: string };
  details?: DetailsPaneState;
  /** The timeline's lane groups the user folded (by key) and the threads pinned to the top (by name). */
  lanes?: { folded: string[]; pinned: string[] };
  /** The locks view's histogram (lock class and mode). */
  lock?: string;
  /** The inspector's pfn and step. */
  pfnText?: string;
  afterStep?: number;
  /** The compare view's variants. */
  variants?: [string, string];
  /** The compare view's kernel log (its URI), when side B is a log rather than a variant. */
  log?: string;
}
