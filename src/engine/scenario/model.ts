import type { AutoOnline, OnlinePolicy } from '../state/machine';
import type { DiagnosticCode } from '../trace/diagnosticCodes';
import type { KernelFeatures } from '../kernel/features';
import type { CostName } from '../cost/profile';
import type { PgmapType } from '../state/machine';

/** A place in the scenario text: 1-based lines and columns, 0-based offsets, end exclusive. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  offset: number;
  endOffset: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** Every problem the parser, the rules or a run reports. */
export interface Problem {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  span: Span;
  /** A replacement the user probably meant (nearest key, preset, aligned value). */
  suggestion?: string;
  /** Other places that explain it (the step that took a leaked reference). */
  related?: { message: string; span: Span }[];
}

export interface NodeSpec {
  ram: number;
  cpus: number;
  pmem: number;
  span: Span;
}

export interface RangeSpec {
  node: number;
  start: number;
  size: number;
  span: Span;
}

interface DeviceBase {
  name: string;
  node: number;
  span: Span;
  /** Spans of individual fields, for hovers and quick fixes. */
  fields: Partial<Record<string, Span>>;
}

/** A libnvdimm namespace, as `ndctl create-namespace` makes one (drivers/nvdimm/pfn_devs.c lays it out). */
export interface NamespaceDevice extends DeviceBase {
  kind: 'namespace';
  mode: 'fsdax' | 'devdax';
  map: 'dev' | 'mem';
  /** Undefined: the rest of the node's pmem region. */
  size?: number;
  align: number;
  /** Undefined: placed after the previous namespace of the region. */
  start?: number;
}

/** A raw dev_pagemap a driver registers itself (GPU, CXL, P2P BARs). */
export interface PgmapDevice extends DeviceBase {
  kind: 'pgmap';
  type: PgmapType;
  ranges: { start: number; size: number; span: Span }[];
  vmemmapShift: number;
}

export type DeviceSpec = NamespaceDevice | PgmapDevice;

/** What an `alloc_pages` step allocates: a kernel allocation, or a user page on the LRU. */
export const GFPS = ['GFP_KERNEL', 'GFP_HIGHUSER_MOVABLE'] as const;
export type Gfp = (typeof GFPS)[number];

/** A page reference: absolute pfn, or `+offset` from the device's first data pfn. */
export interface PfnRef {
  device?: string;
  relative: boolean;
  value: number;
}

export type StepSpec =
  | { op: 'boot' }
  | { op: 'probe'; devices: string[] }
  | { op: 'remove'; devices: string[] }
  | { op: 'get_dev_pagemap'; device: string; pfn: PfnRef; count: number }
  | { op: 'put_dev_pagemap'; device: string; count: number }
  | { op: 'map'; device: string; pfn: PfnRef; pages: number }
  | { op: 'unmap'; device: string; pfn: PfnRef; pages: number }
  | { op: 'get_page'; device?: string; pfn: PfnRef; count: number }
  | { op: 'put_page'; device?: string; pfn: PfnRef; count: number }
  | { op: 'add_memory'; node: number; start: number; size: number; memmapOnMemory: boolean }
  | { op: 'online'; start: number; size: number; zone: 'movable' | 'normal' }
  | {
      op: 'reconfigure';
      device: string;
      mode: 'system-ram' | 'devdax';
      online: 'movable' | 'normal' | 'none';
      memmapOnMemory: boolean;
    }
  | { op: 'alloc_pages'; pfn: PfnRef; pages: number; gfp: Gfp }
  | { op: 'offline'; start: number; size: number }
  | { op: 'remove_memory'; start: number; size: number };

export type StepOp = StepSpec['op'];

export type Step = StepSpec & { index: number; span: Span; fields: Partial<Record<string, Span>> };

export type Expectation = { span: Span; index: number } & (
  | { kind: 'diagnostic'; code: string; present: boolean }
  | {
      kind: 'lock';
      name: string;
      maxHoldBelow?: number;
      maxWaitBelow?: number;
      contentionsAtMost?: number;
    }
  | {
      kind: 'page';
      pfn: PfnRef;
      /** Check the page as it was after this step (0-based), not at the end of the run. */
      afterStep?: number;
      refcount?: number;
      mapcount?: number;
      flags?: string[];
      zone?: string;
      initialised?: boolean;
    }
  | { kind: 'time'; device?: string; node?: number; below?: number; above?: number }
);

export interface KernelChoice {
  /** A preset (`v4.20-missing-ref`) or a release as the user wrote it (`6.12`, `6.1.0-56-amd64`). */
  name: string;
  overrides: Partial<KernelFeatures>;
  span: Span;
}

export interface CostChoice {
  /** A built-in profile name, or a workspace-relative path to a `*.cost.json` profile. */
  profile: string;
  overrides: Partial<Record<CostName, number>>;
  span: Span;
}

export interface Scenario {
  name: string;
  arch: { name: string; span: Span };
  kernel: KernelChoice;
  cost: CostChoice;
  machine: {
    nodes: NodeSpec[];
    ram?: RangeSpec[];
    pmem?: RangeSpec[];
    structPageSize: number;
    /** /sys/devices/system/memory/auto_online_blocks (memhp_default_state=): what add_memory() does with new blocks. */
    autoOnline: AutoOnline;
    /** memory_hotplug.online_policy=: contig-zones, or auto-movable (v5.15). */
    onlinePolicy: OnlinePolicy;
    span: Span;
  };
  devices: DeviceSpec[];
  steps: Step[];
  expect: Expectation[];
  options: {
    longLockThresholdNs: number;
    /** Who set the threshold: the scenario's `options.long-lock-threshold`, the editor's setting, or nobody. */
    longLockThresholdFrom: 'scenario' | 'setting' | 'default';
    /** Diagnostic codes the author has read and does not want repeated (infos and warnings only). */
    quiet?: { code: string; span: Span }[];
  };
}

/** The long-hold rule's threshold when neither the scenario nor a setting names one. */
export const DEFAULT_LONG_LOCK_THRESHOLD_NS = 1e9;
