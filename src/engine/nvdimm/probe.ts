import type { Ctx, Path } from '../runtime/context';
import { span } from '../runtime/context';
import { info } from '../runtime/printk';
import type { DeviceRuntime } from '../runtime/device';
import { isSystemRam, type Pgmap } from '../state/machine';
import { Completion } from '../sim/scheduler';
import { hex, log2 } from '../units';
import { layoutNamespace } from '../state/namespace';
import { memremapPages } from '../mm/memremap';
import { percpuRefInit } from '../mm/percpuRef';
import type { DiagnosticCode } from '../trace/diagnosticCodes';

function logErr(x: Ctx, code: DiagnosticCode, text: string): void {
  x.k.rec.printk({
    level: 'warn',
    code,
    text,
    step: x.step,
    device: x.device,
    node: x.t.node,
    thread: x.t.id,
  });
}

/**
 * The release function of the device's pgmap reference. Before v5.3 each driver brought its own
 * percpu_ref: pmem the request queue's (the preset's `pgmapRefRelease`), device-dax its own, in the
 * dax_pmem module (%ps prints the module: seen in a 4.10 report, test/fixtures/logs).
 */
function refRelease(preset: string, spec: DeviceRuntime['spec']): string {
  const driverRefs = preset === 'blk_queue_usage_counter_release';
  return driverRefs && spec.kind === 'namespace' && spec.mode === 'devdax'
    ? 'dax_pmem_percpu_release [dax_pmem]'
    : preset;
}

/**
 * The driver probe of one device: libnvdimm's namespace layout (nd_pfn_init / nd_dax), then
 * devm_memremap_pages(). Runs on its own per-node worker (async probe).
 */
export function* probeDevice(x: Ctx, dev: DeviceRuntime): Path<boolean> {
  const { g, f, state } = x.k;
  const spec = dev.spec;
  const name =
    spec.kind === 'namespace'
      ? spec.mode === 'fsdax'
        ? 'nd_pmem_probe'
        : 'dev_dax_probe'
      : 'devm_memremap_pages';
  return yield* span(x, name, { node: spec.node }, function* () {
    if (spec.kind === 'namespace') {
      const placed = dev.placed[0];
      const result = layoutNamespace(g, {
        devName: dev.nsName ?? dev.devName,
        start: placed.start,
        size: placed.end - placed.start,
        align: spec.align,
        map: spec.map,
        sectionUnit: f.hotplugUnit === 'section',
        compatCheck: f.compatAlignCheck,
        neighbours: neighbours(dev, [...x.k.devices.values()], state.resources),
      });
      if (!result.ok) {
        // dev_err() from nd_pfn_init() while the driver probes: the bound driver names the line.
        const driver = spec.mode === 'fsdax' ? 'nd_pmem' : 'dax_pmem';
        logErr(x, result.code, `${driver} ${dev.devName}: ${result.message}`);
        // drivers/base/dd.c: -ENXIO (unsatisfiable alignment) is a silent "rejects match"; -EINVAL is reported.
        if (result.code !== 'namespace-align-unsatisfiable') {
          logErr(
            x,
            'probe-failed',
            f.probeFailLog === 'dev-err'
              ? `${driver} ${dev.devName}: probe with driver ${driver} failed with error -22`
              : `${driver}: probe of ${dev.devName} failed with error -22`,
          );
        }
        return false;
      }
      for (const m of result.messages) info(x, `nd_pfn ${dev.devName}: ${m}`);
      const layout = (dev.layout = result.layout);
      if (spec.mode === 'devdax') {
        const ok = g.devdaxAlignments;
        if (!ok.includes(spec.align)) {
          logErr(
            x,
            'devdax-align',
            `${dev.devName}: align ${hex(spec.align)} is not one of the supported alignments (${ok.map(hex).join(' ')})`,
          );
          return false;
        }
        if ((layout.npfns * g.pageSize) % spec.align !== 0) {
          logErr(
            x,
            'devdax-align',
            `${dev.devName}: size ${hex(layout.npfns * g.pageSize)} is not a multiple of align ${hex(spec.align)}`,
          );
          return false;
        }
      }
    }
    const err = yield* memremapPages(x, newPgmap(x, dev));
    if (err) {
      logErr(
        x,
        'probe-failed',
        `${dev.devName}: probe failed: devm_memremap_pages returned ${err}`,
      );
      return false;
    }
    return true;
  });
}

/**
 * The device's struct dev_pagemap, fresh for each devm_memremap_pages(): a namespace's from its
 * layout (the whole range, the altmap with map=dev), a pgmap device's from its ranges.
 */
export function newPgmap(x: Ctx, dev: DeviceRuntime): Pgmap {
  const { g, f, state } = x.k;
  const spec = dev.spec;
  const base = {
    id: state.pgmaps.length,
    device: spec.name,
    node: spec.node,
    claim: [],
    live: false,
    ref: percpuRefInit(refRelease(f.pgmapRefRelease, spec)),
    done: new Completion('pgmap->done'),
  };
  let pgmap: Pgmap;
  if (spec.kind === 'namespace') {
    const layout = dev.layout!;
    const start = layout.rangeStart / g.pageSize;
    pgmap = {
      ...base,
      type: spec.mode === 'fsdax' ? 'fsdax' : 'generic',
      ranges: [{ start, end: layout.rangeEnd / g.pageSize }],
      vmemmapShift: spec.mode === 'devdax' && f.compoundDevmap ? log2(spec.align / g.pageSize) : 0,
      altmap: layout.altmap,
      pfnFirst: layout.altmap ? start + layout.altmap.reserve + layout.altmap.free : start,
    };
  } else {
    const ranges = spec.ranges.map((r) => ({
      start: Math.floor(r.start / g.pageSize),
      end: Math.ceil((r.start + r.size) / g.pageSize),
    }));
    pgmap = {
      ...base,
      type: spec.type,
      ranges,
      vmemmapShift: f.compoundDevmap ? spec.vmemmapShift : 0,
      pfnFirst: ranges[0].start,
    };
  }
  state.pgmaps.push(pgmap);
  dev.pgmap = pgmap;
  return pgmap;
}

/** Byte ranges that may share a section with the device: other devices of its node, and RAM. */
function neighbours(
  dev: DeviceRuntime,
  all: DeviceRuntime[],
  resources: { start: number; end: number; name: string }[],
): [number, number][] {
  const out: [number, number][] = [];
  for (const d of all) if (d !== dev) for (const p of d.placed) out.push([p.start, p.end]);
  for (const r of resources) if (isSystemRam(r)) out.push([r.start, r.end]);
  return out;
}
