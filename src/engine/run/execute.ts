import type { Ctx, Kernel, Path } from '../runtime/context';
import { span } from '../runtime/context';
import type { PfnRef, Step } from '../scenario/model';
import type { DeviceRuntime } from '../runtime/device';
import type { Pgmap } from '../state/machine';
import type { Body, KThread } from '../sim/scheduler';
import { boot } from '../mm/boot';
import { probeDevice } from '../nvdimm/probe';
import { memunmapPages } from '../mm/memremap';
import { getDevPagemap, getPage, mapPages, putDevPagemap, putPage } from '../mm/pageOps';
import { addMemory, autoOnlineZone, memmapOnMemory, memmapOnMemoryMissing, offlineMemory, onlineMemory, removeMemory } from '../mm/ramHotplug';
import { kmemMemmapRefused, kmemProbe, kmemRemove } from '../nvdimm/kmem';
import { allocPages } from '../mm/pageAlloc';
import { formatSize, hex } from '../units';
import type { Geometry } from '../arch/presets';
import type { DiagnosticCode } from '../trace/diagnosticCodes';

export type StepOutcome = 'ok' | 'failed' | 'blocked' | 'killed' | 'not-run';

export interface StepStatus {
  index: number;
  op: string;
  start?: number;
  end?: number;
  outcome: StepOutcome;
  /** Why it failed, in the user's terms. */
  error?: string;
  /** A probe step's devices that did not probe. */
  devicesFailed?: string[];
}

/** A mistake in a step found while running it (no such device, pfn outside it). */
export interface StepProblem {
  step: number;
  code: DiagnosticCode;
  message: string;
  field?: string;
  /** The step could not run because this device's probe had failed earlier: a consequence, not a mistake of its own. */
  notProbed?: string;
}

/** The scenario's own process: runs the steps in order, as a user at a shell would. */
export function* runSteps(k: Kernel, t: KThread, steps: Step[], status: StepStatus[], problems: StepProblem[]): Body {
  // steps are a prefix of the scenario's, so positions match `status` even if indices had gaps.
  let booted = false;
  const lastBoot = steps.map((s) => s.op).lastIndexOf('boot');
  for (const [i, step] of steps.entries()) {
    const st = status[i];
    st.start = k.sched.now;
    st.outcome = 'blocked';
    const x: Ctx = { k, t, step: step.index };
    // A scenario that boots does everything else after booting, once (one may leave boot out).
    const order = step.op === 'boot' ? (booted ? 'the machine has booted already' : undefined)
      : !booted && i < lastBoot ? 'this step runs before the machine boots (boot comes later)' : undefined;
    if (step.op === 'boot') booted = true;
    const error = order
      ? (problems.push({ step: step.index, code: 'invalid-step', message: order }), order)
      : yield* span(x, step.op, { step: step.index }, () => runStep(x, step, problems, st));
    st.end = k.sched.now;
    st.outcome = error ? 'failed' : 'ok';
    st.error = error;
  }
}

function* runStep(x: Ctx, step: Step, problems: StepProblem[], status: StepStatus): Path<string | undefined> {
  const { k } = x;
  const fail = (message: string, field?: string, code: DiagnosticCode = 'invalid-step', notProbed?: string) => {
    problems.push({ step: step.index, code, message, field, notProbed });
    return message;
  };
  /** A device whose probe failed: later steps on it fail as a consequence. */
  const failed = (dev: DeviceRuntime) => (dev.state === 'failed' ? dev.spec.name : undefined);
  const device = (name: string): DeviceRuntime | undefined => k.devices.get(name);
  const live = (name: string): { dev: DeviceRuntime; pgmap: Pgmap } | string => {
    const dev = device(name);
    if (!dev) return fail(`no device named '${name}'`, 'device');
    if (!dev.pgmap || dev.state !== 'live') return fail(`device '${name}' is not probed (its state is ${dev.state})`, 'device', 'invalid-step', failed(dev));
    return { dev, pgmap: dev.pgmap };
  };
  switch (step.op) {
    case 'boot': {
      const th = yield { kind: 'spawn', name: 'swapper/0', node: 0, body: (t) => boot({ ...x, t }) };
      yield { kind: 'join', threads: [th as KThread] };
      return undefined;
    }
    case 'probe': {
      // Check every device before starting any probe: a bad name must not leave workers running.
      for (const [i, name] of step.devices.entries()) {
        const dev = device(name);
        if (!dev) return fail(`no device named '${name}'`);
        if (step.devices.indexOf(name) !== i) return fail(`device '${name}' is listed twice`);
        if (dev.state !== 'idle' && dev.state !== 'removed') return fail(`device '${name}' is already ${dev.state}`, undefined, 'invalid-step', failed(dev));
        // include/linux/memremap.h: MEMORY_DEVICE_COHERENT arrived in v6.0 (f25cbb7a95a2).
        if (dev.spec.kind === 'pgmap' && dev.spec.type === 'coherent' && !k.f.coherentPgmap) {
          return fail(`device '${name}': MEMORY_DEVICE_COHERENT pgmaps exist from v6.0; ${k.f.version} has none`);
        }
        // mm/Kconfig: ZONE_DEVICE depends on the arch (ARCH_HAS_ZONE_DEVICE, then ARCH_HAS_PTE_DEVMAP).
        if (!k.f.zoneDevice) {
          return fail(`device '${name}': ${k.g.arch} has no ZONE_DEVICE in ${k.f.version} (mm/Kconfig: ZONE_DEVICE depends on ARCH_HAS_ZONE_DEVICE / ARCH_HAS_PTE_DEVMAP, which ${k.g.arch} does not select)`);
        }
      }
      const threads: KThread[] = [];
      for (const name of step.devices) {
        const dev = device(name)!;
        dev.state = 'probing';
        threads.push((yield {
          kind: 'spawn', name: `probe/${dev.spec.node}:${name}`, node: dev.spec.node,
          body: function* (t) {
            const ok = yield* probeDevice({ k, t, step: step.index, device: name, devName: dev.devName }, dev);
            dev.state = ok ? 'live' : 'failed';
          },
        }) as KThread);
      }
      yield { kind: 'join', threads };
      // A probe worker killed by an oops never reported back.
      for (const n of step.devices) if (device(n)?.state === 'probing') device(n)!.state = 'failed';
      const notProbed = step.devices.filter((n) => device(n)?.state === 'failed');
      if (notProbed.length) status.devicesFailed = notProbed;
      return notProbed.length ? `probe failed: ${notProbed.join(', ')}` : undefined;
    }
    case 'remove': {
      for (const name of step.devices) {
        const d = live(name);
        if (typeof d === 'string') return d;
        d.dev.state = 'removing';
        yield* memunmapPages({ ...x, device: name, devName: d.dev.devName }, d.pgmap);
        d.dev.state = 'removed';
      }
      return undefined;
    }
    case 'get_dev_pagemap':
    case 'put_dev_pagemap': {
      const d = live(step.device);
      if (typeof d === 'string') return d;
      const dx = { ...x, device: step.device, devName: d.dev.devName };
      if (step.op === 'put_dev_pagemap') {
        yield* putDevPagemap(dx, d.dev, d.pgmap, step.count);
        return undefined;
      }
      const pfn = resolvePfn(x.k.g, step.pfn, d.dev);
      if (x.k.state.pgmapAt(pfn) !== d.pgmap) return fail(`pfn ${hex(pfn)} is not in ${step.device}'s pgmap`, 'pfn', 'pfn-out-of-range');
      const ok = yield* getDevPagemap(dx, d.dev, d.pgmap, step.count);
      return ok ? undefined : `get_dev_pagemap returned NULL: ${step.device} is being torn down`;
    }
    case 'map':
    case 'unmap': {
      const d = live(step.device);
      if (typeof d === 'string') return d;
      const pfn = resolvePfn(x.k.g, step.pfn, d.dev);
      const bad = outsideDevicePages(x, d.pgmap, pfn, step.pages);
      if (bad) return fail(`${step.op}: ${bad}`, 'pfn', 'pfn-out-of-range');
      yield* mapPages({ ...x, device: step.device, devName: d.dev.devName }, d.dev, d.pgmap, pfn, step.pages, step.op === 'unmap');
      return undefined;
    }
    case 'get_page':
    case 'put_page': {
      const dev = step.device ? device(step.device) : undefined;
      if (step.device && !dev) return fail(`no device named '${step.device}'`, 'device');
      const pfn = resolvePfn(x.k.g, step.pfn, dev);
      const px = { ...x, device: step.device, devName: dev?.devName };
      yield* (step.op === 'get_page' ? getPage(px, pfn, step.count) : putPage(px, pfn, step.count));
      return undefined;
    }
    case 'add_memory': {
      if (!k.state.nodes[step.node]) return fail(`node ${step.node} does not exist`, 'node');
      let vmemmapPages: number | undefined;
      if (step.memmapOnMemory) {
        const missing = memmapOnMemoryMissing(x);
        if (missing) return fail(missing, 'memmap_on_memory');
        const on = memmapOnMemory(x, step.size);
        if ('why' in on) problems.push({ step: step.index, code: 'memmap-on-memory-unused', message: on.why, field: 'memmap_on_memory' });
        else vmemmapPages = on.pages;
      }
      const auto = autoOnlineZone(x);
      if ('error' in auto) return fail(auto.error);
      const err = yield* addMemory(x, step.node, step.start, step.size, 'System RAM', vmemmapPages, auto.zone);
      return err ? `add_memory(${hex(step.start)}, ${formatSize(step.size)}) failed: ${err}` : undefined;
    }
    case 'reconfigure': {
      const dev = device(step.device);
      if (!dev) return fail(`no device named '${step.device}'`, 'device');
      if (dev.spec.kind !== 'namespace' || dev.spec.mode !== 'devdax') return fail(`device '${step.device}' is not a devdax namespace: only device-dax can be reconfigured`, 'device');
      if (k.f.kmem === 'none') return fail(`${k.f.version} has no kmem driver (drivers/dax/kmem.c came in v5.1, c221c0b0308f)`, 'mode');
      if (step.mode === 'system-ram') {
        if (dev.state !== 'live') return fail(`device '${step.device}' is not probed as devdax (its state is ${dev.state})`, 'device', 'invalid-step', failed(dev));
        const refused = step.memmapOnMemory ? kmemMemmapRefused(x) : undefined;
        if (refused) return fail(refused, 'memmap_on_memory');
        return yield* kmemProbe({ ...x, device: step.device, devName: dev.devName }, dev, step.online, step.memmapOnMemory);
      }
      if (dev.state !== 'system-ram') return fail(`device '${step.device}' is not in system-ram mode (its state is ${dev.state})`, 'device');
      return yield* kmemRemove({ ...x, device: step.device, devName: dev.devName }, dev);
    }
    case 'alloc_pages': {
      const refused = yield* allocPages(x, step.pfn.value, step.pages, step.gfp);
      return refused && fail(refused.why, refused.field);
    }
    case 'online':
    case 'offline':
    case 'remove_memory': {
      const err = step.op === 'online'
        ? yield* onlineMemory(x, step.start, step.size, step.zone)
        : step.op === 'offline' ? yield* offlineMemory(x, step.start, step.size) : yield* removeMemory(x, step.start, step.size);
      return err ? `${step.op} ${hex(step.start)} (${formatSize(step.size)}) failed: ${err}` : undefined;
    }
  }
}

/** `+offset` counts from the device's byte 0 (its first data pfn); otherwise an absolute pfn. */
export function resolvePfn(g: Geometry, ref: PfnRef, dev: DeviceRuntime | undefined): number {
  if (!ref.relative || !dev) return ref.value;
  const base = dev.layout ? dev.layout.dataPfn : Math.floor(dev.placed[0].start / g.pageSize);
  return base + ref.value;
}

function outsideDevicePages(x: Ctx, pgmap: Pgmap, pfn: number, pages: number): string | undefined {
  const r = pgmap.ranges.find((r) => pfn >= r.start && pfn < r.end);
  if (!r || pfn < pgmap.pfnFirst) return `pfn ${hex(pfn)} is not a data page of ${pgmap.device}`;
  if (pfn + pages > r.end) return `pfns ${hex(pfn)}+${pages} run past the end of ${pgmap.device} (${hex(r.end - 1)})`;
  if (!x.k.state.pages.get(pfn)) return `pfn ${hex(pfn)} has no initialised struct page`;
  return undefined;
}
