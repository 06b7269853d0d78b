import type { DeviceSpec } from '../scenario/model';
import type { NamespaceLayout } from '../state/namespace';
import type { Pgmap } from '../state/machine';

/** A scenario device at run time. */
export interface DeviceRuntime {
  spec: DeviceSpec;
  /** dev_name() of the pfn/dax device (pfn0.0, dax0.1) or the raw pgmap device. */
  devName: string;
  /** dev_name() of the namespace a pfn/dax device claims (namespace0.0). */
  nsName?: string;
  layout?: NamespaceLayout;
  /** Byte ranges before layout (namespace placement or raw ranges). */
  placed: { start: number; end: number }[];
  pgmap?: Pgmap;
  /** `system-ram`: a devdax namespace handed to kmem (daxctl reconfigure-device). */
  state: 'idle' | 'probing' | 'live' | 'failed' | 'removing' | 'removed' | 'system-ram';
  /** Pgmap references taken by get_dev_pagemap/map and not yet put, per step that took them. */
  heldRefs: { step: number; count: number; by: string }[];
}
