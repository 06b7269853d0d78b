/**
 * A deliberately simple per-page reference model of the kernel paths the engine emulates
 * (DOMAIN.md; the kernel where DOMAIN is silent). Every struct page is an object in a Map, every
 * section a record with a boolean per sub-section, every kernel path a plain loop over pfns.
 * Usable only on small machines. Time, locks and concurrency are ignored: steps run one after the
 * other, and the devices of one probe step one after the other (the generator only groups devices
 * whose probes cannot interact).
 *
 * Shared with the engine on purpose: the parsed Scenario, the arch size table, the kernel presets
 * (feature sets) and libnvdimm's layout arithmetic (layoutNamespace, which has its own formula tests).
 */
import type { DeviceSpec, PfnRef, Scenario, Step } from '../../src/engine/scenario/model';
import { findArch, resolveGeometry, type Geometry } from '../../src/engine/arch/presets';
import { kernelFeatures } from '../../src/engine/kernel/presets';
import type { KernelFeatures } from '../../src/engine/kernel/features';
import { releaseOf } from '../../src/engine/kernel/version';
import {
  layoutNamespace,
  type Altmap,
  type NamespaceLayout,
} from '../../src/engine/state/namespace';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

export type VmemmapOn = 'boot' | 'dram' | 'altmap';

export interface RefPage {
  nid: number;
  zone: string;
  flags: string[];
  /** The folio's count lives in the head; tails stay 0 (as the kernel keeps them). */
  refcount: number;
  mapcount: number;
  pgmap?: string;
  head: number;
  order: number;
}

export interface RefSection {
  present: boolean;
  valid: boolean;
  online: boolean;
  early: boolean;
  taint: boolean;
  bits: boolean[];
  bootUsage: boolean;
}

interface Range {
  start: number;
  end: number;
}

export interface RefPgmap {
  id: number;
  device: string;
  type: string;
  node: number;
  ranges: Range[];
  claims: Range[];
  shift: number;
  altmap?: Altmap;
  pfnFirst: number;
  ref: number;
  killed: boolean;
  live: boolean;
  released: boolean;
}

export interface RefDevice {
  name: string;
  spec: DeviceSpec;
  placed: Range[];
  layout?: NamespaceLayout;
  pgmap?: RefPgmap;
  state: 'idle' | 'probing' | 'live' | 'failed' | 'removing' | 'removed' | 'system-ram';
}

interface VmemmapSlot {
  on: VmemmapOn;
  /** Optimised compound vmemmap: the compound page it belongs to. */
  compound?: string;
}

export type RefOutcome = 'ok' | 'failed' | 'blocked' | 'killed' | 'not-run';

/** Thrown inside a path: the scenario task dies (BUG) or hangs (wait_for_completion forever). */
class Halt extends Error {
  constructor(readonly outcome: 'blocked' | 'killed') {
    super(outcome);
  }
}

/** The probe worker died in an oops: the device is left as it was. */
class ProbeOops extends Error {}

class StepFailed extends Error {}

/** The first release with ZONE_DEVICE per arch. */
const ZONE_DEVICE_FROM: Record<string, number> = {
  x86_64: 418,
  'ppc64-radix': 418,
  'ppc64-hash': 418,
  arm64: 503,
  'arm64-64k': 503,
  riscv64: 611,
  loongarch64: 611,
  s390x: 617,
};

export class ReferenceModel {
  readonly f: KernelFeatures;
  readonly g: Geometry;
  readonly pages = new Map<number, RefPage>();
  readonly sections = new Map<number, RefSection>();
  readonly vmemmap = new Map<number, VmemmapSlot>();
  /** Users (populated pfns) and source of each vmemmap page (normal, non-optimised). */
  private readonly vmUsers = new Map<number, number>();
  private readonly vmSource = new Map<number, { on: VmemmapOn; altmap?: Altmap }>();
  private readonly compoundUsers = new Map<string, number>();
  /** ppc64 altmaps that had no room for a section: later sections take node RAM. */
  private readonly altmapsRunOut = new WeakSet<Altmap>();
  vmemmapPages = 0;
  vmemmapPeak = 0;
  readonly codes = new Set<string>();
  /** WARN/BUG lines (and driver errors) printed so far: a probe that fails without one prints only "probe failed". */
  private warned = 0;
  private mixedWarnedOnce = false;
  readonly devices = new Map<string, RefDevice>();
  readonly pgmaps: RefPgmap[] = [];
  readonly ram: { start: number; end: number; node: number }[] = [];
  readonly blocks = new Map<number, { state: 'online' | 'offline'; node: number }>();
  blockSize = 0;
  readonly outcomes: RefOutcome[];
  private readonly nodes: { ram: Range[]; pmem: Range[] }[];

  constructor(readonly s: Scenario) {
    const features = kernelFeatures(s.kernel.name, s.arch.name);
    if (!features) throw new Error(`unknown kernel ${s.kernel.name}`);
    this.f = { ...features, ...s.kernel.overrides };
    this.g = resolveGeometry(findArch(s.arch.name)!, releaseOf(this.f), s.machine.structPageSize);
    this.nodes = layoutNodes(s);
    this.placeDevices();
    this.outcomes = s.steps.map(() => 'not-run');
  }

  /** Runs every step; stops at a BUG (killed) or a hang (blocked), as the scenario task would. */
  run(): this {
    for (const step of this.s.steps) {
      try {
        this.outcomes[step.index] = this.step(step) ? 'ok' : 'failed';
      } catch (e) {
        if (e instanceof StepFailed) {
          this.outcomes[step.index] = 'failed';
          continue;
        }
        if (!(e instanceof Halt)) throw e;
        this.outcomes[step.index] = e.outcome;
        break;
      }
    }
    this.finish();
    return this;
  }

  /** Findings the rules derive from the end state. */
  private finish(): void {
    for (const dev of this.devices.values()) {
      const p = dev.pgmap;
      if (p && dev.spec.kind === 'namespace' && dev.layout && this.f.devicePagesReserved)
        this.codes.add('reserved-dax-pages');
      const padded =
        !!p && p.claims.some((c, i) => c.end - c.start !== p.ranges[i].end - p.ranges[i].start);
      if (this.f.hotplugUnit === 'section' && ((dev.layout?.collision ?? 0) > 0 || padded))
        this.codes.add('section-padding');
    }
  }

  // ---- placement (scenario semantics, not kernel) ----

  private placeDevices(): void {
    const next = new Map<number, number>();
    for (const spec of this.s.devices) {
      const node = this.nodes[spec.node];
      if (!node) {
        this.codes.add('scenario-schema');
        continue;
      }
      if (spec.kind === 'pgmap') {
        this.devices.set(spec.name, {
          name: spec.name,
          spec,
          state: 'idle',
          placed: spec.ranges.map((r) => ({ start: r.start, end: r.start + r.size })),
        });
        continue;
      }
      const region =
        spec.start !== undefined
          ? node.pmem.find((r) => spec.start! >= r.start && spec.start! < r.end)
          : node.pmem[0];
      if (!region) {
        this.codes.add('scenario-schema');
        continue;
      }
      const start = spec.start ?? next.get(spec.node) ?? region.start;
      const size = spec.size ?? region.end - start;
      if (start + size > region.end || size <= 0) {
        this.codes.add('scenario-schema');
        continue;
      }
      next.set(spec.node, start + size);
      this.devices.set(spec.name, {
        name: spec.name,
        spec,
        state: 'idle',
        placed: [{ start, end: start + size }],
      });
    }
    const list = [...this.devices.values()];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (
          list[i].placed.some((a) => list[j].placed.some((b) => a.start < b.end && b.start < a.end))
        )
          this.codes.add('range-overlap');
      }
    }
  }

  // ---- steps ----

  private booted = false;

  private step(step: Step): boolean {
    // Boot once, and first when the scenario boots at all.
    if (
      step.op === 'boot'
        ? this.booted
        : !this.booted && this.s.steps.some((s) => s.index > step.index && s.op === 'boot')
    )
      this.invalid('invalid-step');
    switch (step.op) {
      case 'boot':
        this.booted = true;
        this.boot();
        return true;
      case 'probe':
        return this.probeStep(step.devices);
      case 'remove':
        for (const name of step.devices)
          this.memunmapPages(this.live(name).pgmap!, this.live(name));
        return true;
      case 'get_dev_pagemap': {
        const dev = this.live(step.device);
        const pfn = this.resolvePfn(step.pfn, dev);
        if (this.pgmapAt(pfn) !== dev.pgmap) this.invalid('pfn-out-of-range');
        if (dev.pgmap!.killed || !dev.pgmap!.live) return false;
        dev.pgmap!.ref += step.count;
        return true;
      }
      case 'put_dev_pagemap':
        this.live(step.device).pgmap!.ref -= step.count;
        return true;
      case 'map':
      case 'unmap':
        this.mapPages(
          this.live(step.device),
          this.resolvePfn(step.pfn, this.live(step.device)),
          step.pages,
          step.op === 'unmap',
        );
        return true;
      case 'get_page':
      case 'put_page': {
        const dev = step.device === undefined ? undefined : this.devices.get(step.device);
        if (step.device !== undefined && !dev) this.invalid('invalid-step');
        const pfn = this.resolvePfn(step.pfn, dev);
        if (step.op === 'get_page') this.getPage(pfn, step.count);
        else this.putPage(pfn, step.count);
        return true;
      }
      case 'add_memory':
        if (!this.nodes[step.node]) this.invalid('invalid-step');
        return this.addMemory(step.node, step.start, step.size) === 0;
      case 'online':
        return this.forEachBlock(step.start, step.size, 'offline', (b, pfn, nr) =>
          this.onlinePages(b, pfn, nr, step.zone),
        );
      case 'offline':
        return this.forEachBlock(step.start, step.size, 'online', (_b, pfn, nr) =>
          this.offlinePages(pfn, nr),
        );
      case 'alloc_pages':
        return this.allocPages(step.pfn.value, step.pages, step.gfp);
      case 'remove_memory':
        return this.removeMemory(step.start, step.size);
      case 'reconfigure':
        return this.reconfigure(step.device, step.mode, step.online);
    }
  }

  /** daxctl reconfigure-device: device_dax hands the range, block-aligned inward, to kmem, or takes it back. */
  private reconfigure(
    name: string,
    mode: 'system-ram' | 'devdax',
    online: 'movable' | 'normal' | 'none',
  ): boolean {
    const dev = this.devices.get(name);
    if (
      !dev ||
      dev.spec.kind !== 'namespace' ||
      dev.spec.mode !== 'devdax' ||
      this.f.kmem === 'none'
    )
      this.invalid('invalid-step');
    const range = (): [number, number] | undefined => {
      const start = dev.layout!.dataPfn * this.g.pageSize;
      const lo = Math.ceil(start / this.blockSize) * this.blockSize;
      const hi =
        Math.floor((start + dev.layout!.npfns * this.g.pageSize) / this.blockSize) * this.blockSize;
      return lo < hi ? [lo, hi - lo] : undefined;
    };
    if (mode === 'system-ram') {
      const live = this.live(name);
      this.memunmapPages(live.pgmap!, live);
      live.pgmap = undefined;
      live.state = 'system-ram';
      const r = range();
      // v5.10+ kmem says "rejecting DAX region without any memory after alignment"; before, it prints nothing we model.
      if (!r && this.f.kmemLog === 'mapping') this.warn('probe-failed');
      if (!r || this.addMemory(dev.spec.node, r[0], r[1])) return false;
      if (online !== 'none')
        this.forEachBlock(r[0], r[1], 'offline', (b, pfn, nr) =>
          this.onlinePages(b, pfn, nr, online),
        );
      return true;
    }
    if (dev.state !== 'system-ram') this.invalid('invalid-step');
    if (this.f.kmem === 'add-only') return false;
    const r = range();
    if (r && !this.removeMemory(r[0], r[1])) return false;
    const ok = this.probeDevice(dev);
    dev.state = ok ? 'live' : 'failed';
    return ok;
  }

  /** A finding the kernel prints as a WARN, BUG or driver error line. */
  private warn(code: string): void {
    this.codes.add(code);
    this.warned++;
  }

  private invalid(code: string): never {
    this.codes.add(code);
    throw new StepFailed(code);
  }

  private live(name: string): RefDevice {
    const dev = this.devices.get(name);
    if (dev?.state === 'failed') this.stopped();
    if (!dev || dev.state !== 'live' || !dev.pgmap) this.invalid('invalid-step');
    return dev;
  }

  /** A step on a device whose probe failed: told on the probe's cause, no finding of its own. */
  private stopped(): never {
    throw new StepFailed('stopped');
  }

  /** `+offset` counts from the device's first data pfn (or its first byte before a layout exists). */
  private resolvePfn(ref: PfnRef, dev: RefDevice | undefined): number {
    if (!ref.relative || !dev) return ref.value;
    return (
      (dev.layout ? dev.layout.dataPfn : Math.floor(dev.placed[0].start / this.g.pageSize)) +
      ref.value
    );
  }

  // ---- sizes ----

  private sectionOf(pfn: number): number {
    return Math.floor(pfn / this.g.pagesPerSection);
  }

  private bitOf(pfn: number): number {
    return Math.floor((pfn % this.g.pagesPerSection) / this.g.pagesPerSubsection);
  }

  /** The vmemmap pages holding pfn's struct page (two when it straddles a page boundary). */
  private vmemmapIdx(pfn: number): number[] {
    const { structPageSize: sz, pageSize: ps } = this.g;
    const a = Math.floor((pfn * sz) / ps);
    const b = Math.floor(((pfn + 1) * sz - 1) / ps);
    return a === b ? [a] : [a, b];
  }

  pfnValid(pfn: number): boolean {
    const s = this.sections.get(this.sectionOf(pfn));
    if (!s || !s.valid) return false;
    return s.early || s.bits[this.bitOf(pfn)];
  }

  /** NULL unless online; from v5.12 also NULL unless the sub-section is active, and where a live pgmap covers the pfn. */
  pfnToOnlinePage(pfn: number): boolean {
    const s = this.sections.get(this.sectionOf(pfn));
    return (
      !!s &&
      s.online &&
      (!this.f.taintZoneDevice || (s.bits[this.bitOf(pfn)] && !this.pgmapAt(pfn)))
    );
  }

  pgmapAt(pfn: number): RefPgmap | undefined {
    return this.pgmaps.find((p) => p.live && p.claims.some((c) => pfn >= c.start && pfn < c.end));
  }

  /** Before v5.3 hotplug rounds ranges out to whole sections. */
  private padded(r: Range): Range {
    if (this.f.hotplugUnit === 'subsection') return r;
    const per = this.g.pagesPerSection;
    return { start: Math.floor(r.start / per) * per, end: Math.ceil(r.end / per) * per };
  }

  private section(nr: number): RefSection {
    let s = this.sections.get(nr);
    if (!s) {
      s = {
        present: false,
        valid: false,
        online: false,
        early: false,
        taint: false,
        bits: new Array<boolean>(this.g.subsectionsPerSection).fill(false),
        bootUsage: false,
      };
      this.sections.set(nr, s);
    }
    return s;
  }

  private bump(delta: number): void {
    this.vmemmapPages += delta;
    this.vmemmapPeak = Math.max(this.vmemmapPeak, this.vmemmapPages);
  }

  // ---- boot ----

  private boot(): void {
    const { g } = this;
    let bootBytes = 0;
    for (const [nid, node] of this.nodes.entries()) {
      for (const r of node.ram) {
        bootBytes += r.end - r.start;
        this.ram.push({ ...r, node: nid });
        const p0 = r.start / g.pageSize;
        const p1 = r.end / g.pageSize;
        for (let pfn = p0; pfn < p1; pfn++) {
          const s = this.section(this.sectionOf(pfn));
          Object.assign(s, {
            present: true,
            valid: true,
            online: true,
            early: true,
            bootUsage: true,
          });
          s.bits[this.bitOf(pfn)] = true;
          this.pages.set(pfn, {
            nid,
            zone: zoneOf(pfn * g.pageSize),
            flags: [],
            refcount: 0,
            mapcount: 0,
            head: pfn,
            order: 0,
          });
        }
        // memblock allocates the memmap of whole present sections.
        for (
          let pfn = this.sectionOf(p0) * g.pagesPerSection;
          pfn < (this.sectionOf(p1 - 1) + 1) * g.pagesPerSection;
          pfn++
        ) {
          if (this.vmemmap.get(pfn)?.on === 'boot') continue;
          this.vmemmap.set(pfn, { on: 'boot' });
          for (const i of this.vmemmapIdx(pfn)) {
            this.vmUsers.set(i, (this.vmUsers.get(i) ?? 0) + 1);
            if (!this.vmSource.has(i)) this.vmSource.set(i, { on: 'boot' });
          }
        }
      }
    }
    this.blockSize =
      g.arch !== 'x86_64' ? g.sectionSize : bootBytes >= 64 * GiB ? 2 * GiB : 128 * MiB;
    for (const r of this.ram) {
      for (let b = Math.floor(r.start / this.blockSize); b < Math.ceil(r.end / this.blockSize); b++)
        this.blocks.set(b, { state: 'online', node: r.node });
    }
  }

  // ---- vmemmap (mm/sparse-vmemmap.c) ----

  private canOptimize(pgmap: RefPgmap | undefined, altmap: Altmap | undefined): boolean {
    const { f, g } = this;
    if (!pgmap || !f.compoundDevmap || pgmap.shift === 0 || f.vmemmapOptimize === 'never' || altmap)
      return false;
    if (!isPow2(g.structPageSize)) return false;
    return f.vmemmapOptimize === 'any-arch' || f.archVmemmapOpt;
  }

  /** Populates pfns [s, e) of one section; false (-ENOMEM) when the altmap cannot hold it. */
  private populate(
    s: number,
    e: number,
    altmap: Altmap | undefined,
    pgmap: RefPgmap | undefined,
  ): boolean {
    const { g } = this;
    // Tail reuse only where a compound page's struct pages fill more than two vmemmap pages.
    if (this.canOptimize(pgmap, altmap) && 2 ** pgmap!.shift * g.structPageSize > 2 * g.pageSize) {
      // One head and one shared tail vmemmap page per compound page, counted from the range start.
      const nr = 2 ** pgmap!.shift;
      const range = pgmap!.ranges.find((r) => s >= this.padded(r).start && s < this.padded(r).end)!;
      const base = this.padded(range).start;
      for (let pfn = s; pfn < e; pfn++) {
        const key = `${pgmap!.id}:${base}:${Math.floor((pfn - base) / nr)}`;
        const users = this.compoundUsers.get(key) ?? 0;
        if (users === 0) this.bump(2);
        this.compoundUsers.set(key, users + 1);
        this.vmemmap.set(pfn, { on: 'dram', compound: key });
      }
      return true;
    }
    // x86 takes section-sized requests from the altmap, sub-section ones from node RAM; once a
    // ppc64 altmap ran out, the rest of the range is mapped from node RAM.
    const useAltmap = !!altmap && e - s >= g.pagesPerSection && !this.altmapsRunOut.has(altmap);
    const fresh = new Set<number>();
    for (let pfn = s; pfn < e; pfn++)
      for (const i of this.vmemmapIdx(pfn)) if (!this.vmUsers.get(i)) fresh.add(i);
    if (useAltmap) {
      if (altmap.alloc === 0 && altmap.align === 0) {
        const pmd = g.vmemmapBlock / g.pageSize;
        const next = altmap.basePfn + altmap.reserve;
        altmap.align = Math.ceil(next / pmd) * pmd - next;
      }
      if (altmap.align + altmap.alloc + fresh.size > altmap.free) {
        if (!g.altmapFallback) return false;
        this.altmapsRunOut.add(altmap);
        return this.populate(s, e, undefined, pgmap); // ppc64: from node RAM instead
      }
      altmap.alloc += fresh.size;
    }
    for (const i of fresh)
      this.vmSource.set(i, {
        on: useAltmap ? 'altmap' : 'dram',
        altmap: useAltmap ? altmap : undefined,
      });
    this.bump(fresh.size);
    for (let pfn = s; pfn < e; pfn++) {
      this.vmemmap.set(pfn, { on: useAltmap ? 'altmap' : 'dram' });
      for (const i of this.vmemmapIdx(pfn)) this.vmUsers.set(i, (this.vmUsers.get(i) ?? 0) + 1);
    }
    return true;
  }

  /** Frees the vmemmap of pfns [s, e): a vmemmap page goes when its last struct page does. */
  private depopulate(s: number, e: number): void {
    for (let pfn = s; pfn < e; pfn++) {
      const slot = this.vmemmap.get(pfn);
      if (!slot) continue;
      this.vmemmap.delete(pfn);
      if (slot.compound) {
        const users = this.compoundUsers.get(slot.compound)! - 1;
        this.compoundUsers.set(slot.compound, users);
        if (users === 0) this.bump(-2);
        continue;
      }
      for (const i of this.vmemmapIdx(pfn)) {
        const users = this.vmUsers.get(i)! - 1;
        this.vmUsers.set(i, users);
        if (users > 0) continue;
        const src = this.vmSource.get(i)!;
        this.vmSource.delete(i);
        if (src.on === 'boot') continue;
        if (src.altmap) src.altmap.alloc -= 1;
        this.bump(-1);
      }
    }
  }

  // ---- sections (mm/sparse.c, mm/memory_hotplug.c) ----

  /** __add_pages(): altmap sanity, check_pfn_span(), then sparse_add_section() per section. */
  private addPages(
    nid: number,
    start: number,
    nr: number,
    altmap?: Altmap,
    pgmap?: RefPgmap,
  ): number {
    const { g, f } = this;
    if (altmap && (altmap.basePfn !== start || altmap.reserve + altmap.free > nr)) {
      this.warn('invalid-altmap');
      return -22;
    }
    if (
      f.hotplugUnit === 'subsection' &&
      (start % g.pagesPerSubsection !== 0 || nr % g.pagesPerSubsection !== 0)
    ) {
      this.warn('misaligned-subsection');
      return -22;
    }
    for (let s = start; s < start + nr;) {
      const e = Math.min(start + nr, (this.sectionOf(s) + 1) * g.pagesPerSection);
      const err = this.sparseAddSection(nid, s, e, altmap, pgmap);
      if (err) return err;
      s = e;
    }
    return 0;
  }

  private sparseAddSection(
    _nid: number,
    s: number,
    e: number,
    altmap: Altmap | undefined,
    pgmap: RefPgmap | undefined,
  ): number {
    const { g } = this;
    const sec = this.sections.get(this.sectionOf(s));
    const bits = this.maskBits(s, e);
    if (sec && bits.some((b) => sec.bits[b])) return -17;
    // An early section only partly populated at boot already has a memmap for all of it.
    const reuse = e - s < g.pagesPerSection && !!sec?.early;
    if (!reuse && !this.populate(s, e, altmap, pgmap)) return -12;
    const section = this.section(this.sectionOf(s));
    section.present = true;
    section.valid = true;
    for (const b of bits) section.bits[b] = true;
    return 0;
  }

  private maskBits(s: number, e: number): number[] {
    const out: number[] = [];
    if (this.f.hotplugUnit === 'section')
      for (let b = 0; b < this.g.subsectionsPerSection; b++) out.push(b);
    else for (let pfn = s; pfn < e; pfn += this.g.pagesPerSubsection) out.push(this.bitOf(pfn));
    return out;
  }

  /** __remove_pages(): per section; a section whose bits are not all set WARNs and is skipped. */
  private removePages(start: number, nr: number): void {
    const { g, f } = this;
    if (
      f.hotplugUnit === 'subsection' &&
      (start % g.pagesPerSubsection !== 0 || nr % g.pagesPerSubsection !== 0)
    ) {
      this.warn('misaligned-subsection');
      return;
    }
    for (let s = start; s < start + nr;) {
      const e = Math.min(start + nr, (this.sectionOf(s) + 1) * g.pagesPerSection);
      // Before v5.3 the loop stops at the first section that fails (silently, no WARN).
      if (!this.sparseRemoveSection(s, e) && f.hotplugUnit === 'section') return;
      s = e;
    }
  }

  private sparseRemoveSection(s: number, e: number): boolean {
    const { g } = this;
    const nr = this.sectionOf(s);
    const sec = this.sections.get(nr);
    const bits = this.maskBits(s, e);
    if (!sec || bits.some((b) => !sec.bits[b])) {
      if (this.f.hotplugUnit === 'subsection') this.warn('section-already-deactivated');
      return false;
    }
    for (const b of bits) sec.bits[b] = false;
    const early = sec.early;
    if (!early) this.depopulate(s, e);
    for (let pfn = s; pfn < e; pfn++) this.pages.delete(pfn);
    if (sec.bits.some((b) => b)) return true;
    // An emptied section loses its memmap and flags; a boot-allocated usage block stays.
    if (early) this.depopulate(nr * g.pagesPerSection, (nr + 1) * g.pagesPerSection);
    if (sec.bootUsage)
      Object.assign(sec, {
        present: false,
        valid: false,
        online: false,
        early: false,
        taint: false,
      });
    else this.sections.delete(nr);
    return true;
  }

  // ---- memmap init (mm/mm_init.c) ----

  private initPage(
    pfn: number,
    page: Omit<RefPage, 'head' | 'order'> & { head?: number; order?: number },
  ): void {
    this.pages.set(pfn, { head: pfn, order: 0, ...page, flags: [...page.flags] });
  }

  private idleRefcount(pgmap: RefPgmap): number {
    // P2PDMA pages idle at 1 until the fs-dax refcount series (v6.15) took them to 0 with FS_DAX.
    if (pgmap.type === 'fsdax' || pgmap.type === 'p2pdma') return this.f.fsdaxRefcountBase;
    if (pgmap.type === 'generic') return 1;
    return this.f.deviceRefcountBase;
  }

  private perAllocation(pgmap: RefPgmap): boolean {
    return this.f.refPerAllocationTypes && (pgmap.type === 'private' || pgmap.type === 'coherent');
  }

  /** The first data pfn of a range: range 0 skips the altmap's reserve and memmap. */
  private firstDevicePfn(pgmap: RefPgmap, i: number): number {
    return i === 0 ? pgmap.pfnFirst : pgmap.ranges[i].start;
  }

  // ---- devices (mm/memremap.c, drivers/nvdimm) ----

  private probeStep(names: string[]): boolean {
    const seen = new Set<string>();
    for (const name of names) {
      const dev = this.devices.get(name);
      if (!dev || seen.has(name)) this.invalid('invalid-step');
      if (dev.state === 'failed') this.stopped();
      if (dev.state !== 'idle' && dev.state !== 'removed') this.invalid('invalid-step');
      // No COHERENT pgmaps before v6.0.
      if (dev.spec.kind === 'pgmap' && dev.spec.type === 'coherent' && releaseOf(this.f) < 600)
        this.invalid('invalid-step');
      // mm/Kconfig: ZONE_DEVICE needs ARCH_HAS_ZONE_DEVICE, then ARCH_HAS_PTE_DEVMAP (none from v6.17).
      if (releaseOf(this.f) < ZONE_DEVICE_FROM[this.s.arch.name]) this.invalid('invalid-step');
      seen.add(name);
    }
    let ok = true;
    let hung: Halt | undefined;
    for (const name of names) {
      const dev = this.devices.get(name)!;
      dev.state = 'probing';
      let live = false;
      const warned = this.warned;
      try {
        live = this.probeDevice(dev);
      } catch (e) {
        // A worker hung in memremap_pages()'s unwind: the step never returns, the others finish.
        if (e instanceof Halt) {
          hung = e;
          continue;
        }
        if (!(e instanceof ProbeOops)) throw e;
      }
      dev.state = live ? 'live' : 'failed';
      // A probe that failed without a WARN/BUG of its own: the driver's "probe failed" line is the finding.
      if (!live && this.warned === warned) this.codes.add('probe-failed');
      ok &&= live;
    }
    if (hung) throw hung;
    return ok;
  }

  private probeDevice(dev: RefDevice): boolean {
    const { g, f } = this;
    const spec = dev.spec;
    const base = {
      id: this.pgmaps.length,
      device: dev.name,
      node: spec.node,
      claims: [],
      ref: 1,
      killed: false,
      live: false,
      released: false,
    };
    let pgmap: RefPgmap;
    if (spec.kind === 'namespace') {
      const placed = dev.placed[0];
      const neighbours: [number, number][] = [];
      for (const d of this.devices.values())
        if (d !== dev) for (const p of d.placed) neighbours.push([p.start, p.end]);
      for (const r of this.ram) neighbours.push([r.start, r.end]);
      const result = layoutNamespace(g, {
        devName: dev.name,
        start: placed.start,
        size: placed.end - placed.start,
        align: spec.align,
        map: spec.map,
        sectionUnit: f.hotplugUnit === 'section',
        compatCheck: f.compatAlignCheck,
        neighbours,
      });
      if (!result.ok) {
        this.warn(result.code);
        return false;
      }
      const layout = (dev.layout = result.layout);
      if (spec.mode === 'devdax') {
        if (
          !g.devdaxAlignments.includes(spec.align) ||
          (layout.npfns * g.pageSize) % spec.align !== 0
        ) {
          this.warn('devdax-align');
          return false;
        }
      }
      const start = layout.rangeStart / g.pageSize;
      const altmap = layout.altmap && { ...layout.altmap };
      pgmap = {
        ...base,
        type: spec.mode === 'fsdax' ? 'fsdax' : 'generic',
        ranges: [{ start, end: layout.rangeEnd / g.pageSize }],
        shift:
          spec.mode === 'devdax' && f.compoundDevmap
            ? Math.round(Math.log2(spec.align / g.pageSize))
            : 0,
        altmap,
        pfnFirst: altmap ? start + altmap.reserve + altmap.free : start,
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
        shift: f.compoundDevmap ? spec.vmemmapShift : 0,
        pfnFirst: ranges[0].start,
      };
    }
    this.pgmaps.push(pgmap);
    dev.pgmap = pgmap;
    this.vmemmapOptReasons(dev.pgmap);
    return this.memremapPages(pgmap, dev);
  }

  /** The vmemmap-opt-disabled rule: compound pages that do not get tail reuse, and why. */
  private vmemmapOptReasons(pgmap: RefPgmap): void {
    const { f, g } = this;
    if (!f.compoundDevmap || pgmap.shift === 0 || f.vmemmapOptimize === 'never') return;
    if (
      pgmap.altmap ||
      !isPow2(g.structPageSize) ||
      (f.vmemmapOptimize === 'arch-opt-in' && !f.archVmemmapOpt)
    )
      this.codes.add('vmemmap-opt-disabled');
  }

  /** memremap_pages(): per range the conflict and RAM checks, then pagemap_range(); unwinds on failure. */
  private memremapPages(pgmap: RefPgmap, dev: RefDevice): boolean {
    const { g } = this;
    pgmap.live = true;
    for (let i = 0; i < pgmap.ranges.length; i++) {
      const claim = this.padded(pgmap.ranges[i]);
      if (this.pgmapAt(claim.start) || this.pgmapAt(claim.end - 1)) {
        this.warn('section-conflict');
        return this.failRemap(pgmap, dev, i);
      }
      if (
        this.ram.some((r) => r.start < claim.end * g.pageSize && claim.start * g.pageSize < r.end)
      ) {
        // WARN_ONCE(): a later device meets RAM in silence (the run still tells it, from the debug line).
        if (this.mixedWarnedOnce) this.codes.add('mixed-region');
        else this.warn('mixed-region');
        this.mixedWarnedOnce = true;
        return this.failRemap(pgmap, dev, i);
      }
      pgmap.claims.push(claim);
      if (!this.pagemapRange(pgmap, i)) return this.failRemap(pgmap, dev, i);
    }
    return true;
  }

  /** memremap_pages()'s error path: memunmap_pages() over the ranges already mapped. */
  private failRemap(pgmap: RefPgmap, dev: RefDevice, mapped: number): false {
    if (mapped > 0) this.memunmapPages(pgmap, dev, mapped);
    pgmap.live = false;
    return false;
  }

  private pagemapRange(pgmap: RefPgmap, i: number): boolean {
    const { f, g } = this;
    const r = pgmap.ranges[i];
    const hr = this.padded(r);
    const altmap = i === 0 ? pgmap.altmap : undefined;
    if (this.addPages(pgmap.node, hr.start, hr.end - hr.start, altmap, pgmap)) return false;
    // move_pfn_range_to_zone(): taint sections ZONE_DEVICE shares with other memory (~v5.12).
    if (f.taintZoneDevice) {
      if (hr.start % g.pagesPerSection !== 0) this.section(this.sectionOf(hr.start)).taint = true;
      if (hr.end % g.pagesPerSection !== 0) this.section(this.sectionOf(hr.end)).taint = true;
    }
    const reserved = (flag: boolean) => (flag ? ['reserved'] : []);
    const first = altmap && hr.start === altmap.basePfn ? hr.start + altmap.reserve : hr.start;
    if (f.zoneDeviceInit === 'under-lock-twice') {
      // v4.18: memmap_init_zone() of every page under the lock, then for_each_device_pfn().
      for (let pfn = first; pfn < hr.end; pfn++)
        this.initPage(pfn, {
          nid: pgmap.node,
          zone: 'Device',
          flags: ['reserved'],
          refcount: 1,
          mapcount: 0,
        });
      const start = this.firstDevicePfn(pgmap, i);
      for (let pfn = start; pfn < r.end; pfn++) this.pages.get(pfn)!.pgmap = pgmap.device;
      pgmap.ref += Math.max(0, r.end - start);
      return true;
    }
    if (altmap)
      for (let pfn = first; pfn < first + altmap.free; pfn++)
        this.initPage(pfn, {
          nid: pgmap.node,
          zone: 'Device',
          flags: ['reserved'],
          refcount: 1,
          mapcount: 0,
        });
    // memmap_init_zone_device(), outside the lock.
    const start =
      altmap && hr.start === altmap.basePfn ? hr.start + altmap.reserve + altmap.free : hr.start;
    if (hr.end > start && this.canOptimize(pgmap, altmap) && !g.vmemmapInInitMm) {
      this.warn('vmemmap-opt-unsupported');
      throw new ProbeOops();
    }
    const nr = 2 ** (f.compoundDevmap ? pgmap.shift : 0);
    const idle = this.idleRefcount(pgmap);
    for (let pfn = start; pfn < hr.end; pfn++) {
      const head = start + Math.floor((pfn - start) / nr) * nr;
      this.initPage(pfn, {
        nid: pgmap.node,
        zone: 'Device',
        flags: reserved(f.devicePagesReserved),
        refcount: head === pfn ? idle : 0,
        mapcount: 0,
        pgmap: pgmap.device,
        head,
        order: Math.log2(nr),
      });
    }
    if (f.zoneDeviceInit === 'deferred' && !this.perAllocation(pgmap))
      pgmap.ref += this.pfnLen(pgmap, i);
    return true;
  }

  /** pfn_len(): one reference per folio of the range's device pages. */
  private pfnLen(pgmap: RefPgmap, i: number): number {
    const shift = this.f.compoundDevmap ? pgmap.shift : 0;
    return Math.floor(
      Math.max(0, pgmap.ranges[i].end - this.firstDevicePfn(pgmap, i)) / 2 ** shift,
    );
  }

  /**
   * memunmap_pages(): kill the ref, drop the map-time references (put_page() per folio before
   * v5.18), wait for pgmap->done (forever unless the count is exactly zero), then unmap the ranges.
   */
  private memunmapPages(pgmap: RefPgmap, dev: RefDevice, nrRange = pgmap.ranges.length): void {
    const { f } = this;
    const remove = nrRange === pgmap.ranges.length;
    if (remove) dev.state = 'removing';
    pgmap.killed = true;
    pgmap.ref -= 1;
    if (f.teardownPut === 'per-page') {
      const step = 2 ** (f.compoundDevmap ? pgmap.shift : 0);
      for (let i = 0; i < nrRange; i++) {
        for (let pfn = this.firstDevicePfn(pgmap, i); pfn < pgmap.ranges[i].end; pfn += step) {
          const page = this.pages.get(pfn);
          if (!page) continue;
          page.refcount -= 1;
          if (page.refcount === 0) pgmap.ref -= 1;
        }
      }
    } else if (!this.perAllocation(pgmap)) {
      for (let i = 0; i < nrRange; i++) pgmap.ref -= this.pfnLen(pgmap, i);
    }
    if (pgmap.ref < 0) this.codes.add('pgmap-ref-underflow');
    if (pgmap.ref !== 0) {
      // wait_for_completion(&pgmap->done) never returns: a leak when a remove waits, else the hung-task line.
      if (pgmap.ref > 0 && remove) this.codes.add('leaked-pgmap-ref');
      else this.codes.add('hung-task');
      throw new Halt('blocked');
    }
    pgmap.released = true;
    for (let i = 0; i < nrRange; i++) {
      const hr = this.padded(pgmap.ranges[i]);
      this.removePages(hr.start, hr.end - hr.start);
    }
    if (pgmap.altmap && pgmap.altmap.alloc > 0) this.codes.add('altmap-leak');
    pgmap.live = false;
    if (remove) dev.state = 'removed';
  }

  // ---- page operations ----

  private folio(pfn: number): RefPage | undefined {
    const p = this.pages.get(pfn);
    return p && this.pages.get(p.head);
  }

  private getPage(pfn: number, count: number): void {
    const folio = this.folio(pfn);
    if (!folio || folio.refcount <= 0) {
      this.codes.add('zero-refcount-get-page');
      throw new Halt('killed');
    }
    folio.refcount += count;
  }

  /**
   * put_page(): reaching 0 frees a ZONE_DEVICE page. Before v5.18 that drops the pgmap reference;
   * from v5.18 the page returns to its idle count, except PRIVATE/COHERENT pages, which took a
   * pgmap reference per allocation (v6.1) and drop it (DOMAIN §7).
   */
  private putPage(pfn: number, count: number): void {
    const folio = this.folio(pfn);
    if (!folio || folio.refcount - count < 0) {
      this.codes.add('zero-refcount-get-page');
      throw new Halt('killed');
    }
    folio.refcount -= count;
    const pgmap = folio.pgmap === undefined ? undefined : this.devices.get(folio.pgmap)?.pgmap;
    if (!pgmap || folio.refcount !== 0) return;
    if (this.f.teardownPut === 'put-many' && !this.perAllocation(pgmap))
      folio.refcount = this.idleRefcount(pgmap);
    else pgmap.ref -= 1;
  }

  /** insert_pfn()/zap_pte_range() per pfn: a pgmap reference, or a folio reference and mapcount. */
  private mapPages(dev: RefDevice, pfn: number, pages: number, unmap: boolean): void {
    const pgmap = dev.pgmap!;
    const i = pgmap.ranges.findIndex((r) => pfn >= r.start && pfn < r.end);
    if (
      i < 0 ||
      pfn < this.firstDevicePfn(pgmap, i) ||
      pfn + pages > pgmap.ranges[i].end ||
      !this.pages.has(pfn)
    )
      this.invalid('pfn-out-of-range');
    const sign = unmap ? -1 : 1;
    const { f } = this;
    const privateLike = pgmap.type === 'private' || pgmap.type === 'coherent';
    const pageRefs = privateLike ? f.deviceRefcountBase === 0 : f.fsdaxMapRef === 'page';
    if (pageRefs) {
      for (let p = pfn; p < pfn + pages; p++) {
        const folio = this.folio(p);
        if (!folio) continue;
        folio.refcount += sign;
        folio.mapcount += sign;
      }
      if (privateLike) pgmap.ref += sign * pages;
      return;
    }
    pgmap.ref += sign * pages;
  }

  // ---- RAM hotplug ----

  private blockAligned(start: number, size: number): boolean {
    const bs = this.blockSize;
    if (bs > 0 && start % bs === 0 && size % bs === 0 && size > 0) return true;
    this.codes.add('misaligned-memory-block');
    return false;
  }

  private addMemory(nid: number, start: number, size: number): number {
    if (!this.blockAligned(start, size)) return -22;
    const err = this.addPages(nid, start / this.g.pageSize, size / this.g.pageSize);
    if (err) return err;
    this.ram.push({ start, end: start + size, node: nid });
    for (let b = start / this.blockSize; b < (start + size) / this.blockSize; b++)
      this.blocks.set(b, { state: 'offline', node: nid });
    return 0;
  }

  private forEachBlock(
    start: number,
    size: number,
    from: 'online' | 'offline',
    body: (b: { node: number }, pfn: number, nr: number) => void | false,
  ): boolean {
    if (!this.blockAligned(start, size)) return false;
    const per = this.blockSize / this.g.pageSize;
    let done = 0;
    for (let b = start / this.blockSize; b < (start + size) / this.blockSize; b++) {
      const block = this.blocks.get(b);
      if (!block || block.state !== from) continue;
      if (body(block, b * per, per) === false) return false;
      block.state = from === 'online' ? 'offline' : 'online';
      done++;
    }
    return done > 0;
  }

  private setOnline(pfn: number, nr: number, online: boolean): void {
    for (let s = this.sectionOf(pfn); s <= this.sectionOf(pfn + nr - 1); s++) {
      const sec = this.sections.get(s);
      if (sec) sec.online = online;
    }
  }

  /** online_pages(): memmap_init_range(), then generic_online_page() frees every page. */
  private onlinePages(
    block: { node: number },
    pfn: number,
    nr: number,
    zone: 'movable' | 'normal',
  ): void {
    for (let p = pfn; p < pfn + nr; p++)
      this.initPage(p, {
        nid: block.node,
        zone: zone === 'movable' ? 'Movable' : 'Normal',
        flags: [],
        refcount: 0,
        mapcount: 0,
      });
    this.setOnline(pfn, nr, true);
  }

  /** alloc_pages(): free online pages get one reference; GFP_KERNEL never from ZONE_MOVABLE. */
  private allocPages(pfn: number, nr: number, gfp: 'GFP_KERNEL' | 'GFP_HIGHUSER_MOVABLE'): boolean {
    for (let p = pfn; p < pfn + nr; p++) {
      const page = this.pages.get(p);
      if (!page || page.refcount !== 0 || page.flags.length || page.zone === 'Device')
        this.invalid('invalid-step');
      if (gfp === 'GFP_KERNEL' && page.zone === 'Movable') this.invalid('invalid-step');
    }
    for (let p = pfn; p < pfn + nr; p++) {
      const page = this.pages.get(p)!;
      page.refcount = 1;
      page.flags = gfp === 'GFP_KERNEL' ? [] : ['lru'];
    }
    return true;
  }

  /**
   * offline_pages(): an unmovable page (a reference, no LRU, outside ZONE_MOVABLE) fails isolation;
   * an LRU page with a second reference fails migration until a signal. Either is reported from v5.0.
   */
  private offlinePages(pfn: number, nr: number): void | false {
    for (let p = pfn; p < pfn + nr; p++) {
      const page = this.pages.get(p);
      if (!page || page.refcount === 0) continue;
      const lru = page.flags.includes('lru');
      if ((!lru && page.zone !== 'Movable') || (lru && page.refcount > 1)) {
        if (this.f.offlineFailureLog === 'reason') this.codes.add('memory-offline-failed');
        return false;
      }
    }
    for (let p = pfn; p < pfn + nr; p++) this.pages.delete(p);
    this.setOnline(pfn, nr, false);
  }

  /** remove_memory(): BUG_ON a range of partial blocks; an online block is a BUG() before v5.2, -EBUSY after. */
  private removeMemory(start: number, size: number): boolean {
    if (!this.blockAligned(start, size)) throw new Halt('killed');
    const b0 = start / this.blockSize;
    const b1 = (start + size) / this.blockSize;
    for (let b = b0; b < b1; b++) {
      if (this.blocks.get(b)?.state === 'online') {
        this.codes.add('memory-still-online');
        if (this.f.removeOnlineMemory === 'bug') throw new Halt('killed');
        return false;
      }
    }
    for (let b = b0; b < b1; b++) this.blocks.delete(b);
    this.removePages(start / this.g.pageSize, size / this.g.pageSize);
    const i = this.ram.findIndex((r) => r.start === start && r.end === start + size);
    if (i >= 0) this.ram.splice(i, 1);
    return true;
  }
}

function isPow2(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** x86-style zones of boot RAM. */
function zoneOf(addr: number): string {
  return addr < 16 * MiB ? 'DMA' : addr < 4 * GiB ? 'DMA32' : 'Normal';
}

/** Auto layout: per node its RAM, then its pmem, each at the next 1 GiB boundary; or the explicit lists. */
function layoutNodes(s: Scenario): { ram: Range[]; pmem: Range[] }[] {
  const nodes = s.machine.nodes.map(() => ({ ram: [] as Range[], pmem: [] as Range[] }));
  let cursor = 0;
  for (const [id, n] of s.machine.nodes.entries()) {
    if (!s.machine.ram && n.ram > 0) {
      nodes[id].ram.push({ start: cursor, end: cursor + n.ram });
      cursor = Math.ceil((cursor + n.ram) / GiB) * GiB;
    }
    if (!s.machine.pmem && n.pmem > 0) {
      nodes[id].pmem.push({ start: cursor, end: cursor + n.pmem });
      cursor = Math.ceil((cursor + n.pmem) / GiB) * GiB;
    }
  }
  for (const r of s.machine.ram ?? [])
    nodes[r.node]?.ram.push({ start: r.start, end: r.start + r.size });
  for (const r of s.machine.pmem ?? [])
    nodes[r.node]?.pmem.push({ start: r.start, end: r.start + r.size });
  return nodes;
}
