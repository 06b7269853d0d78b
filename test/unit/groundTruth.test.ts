import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run } from './helpers';
import { parseRecording } from '../kernel/recording';
import {
  groundTruth,
  type GroundTruth,
  type IomemEntry,
  type Snapshot,
} from '../kernel/groundTruth';
import type { RunResult } from '../../src/engine/run/runScenario';

// Ground truth: every recording of a real kernel (test/fixtures/kernels) is rebuilt as a scenario
// (test/kernel/groundTruth.ts) and the emulator must say what the kernel said: memmap_init_zone_device's
// page counts, the pfn/dax sizes and aligns ndctl lists, the pmem and hot-added RAM resources of
// /proc/iomem, the zone spans of /proc/zoneinfo, the memory blocks and their states, which commands
// the kernel refused, the kprobe hits of the traced experiments, and the dmesg lines of these paths
// in the kernel's words. Times never (TCG). Every expected value is read from the recording.
const dir = join(ROOT, 'test/fixtures/kernels');
const kernels = existsSync(dir) ? readdirSync(dir).sort() : [];

/** The kernel's lines on the paths the emulator models (the rest of dmesg is boot and tooling). */
const DMESG_PATHS = [
  /^memmap_init_zone_device initialised \d+ pages in \d+ms$/,
  /^node \d+ deferred pages initialised in \d+ms$/,
  /^x86\/mm: Memory block size: \d+MB$/,
  // nd_pfn_init()/nd_pfn_validate()'s dev_err() and the devdax align checks, per pfn/dax device
  /^(nd_pmem|dax_pmem) (pfn|dax)\d+\.\d+: /,
  // drivers/base/dd.c: the driver core's probe failure, in either release's words
  /^\S+: probe of \S+ failed with error -\d+$/,
  /^\S+ \S+: probe with driver \S+ failed with error -\d+$/,
  /^Misaligned /,
  /^Offlined Pages \d+$/,
  /^removing memory fails, because memory /,
];

/**
 * The kernel's lines on these paths that the emulator does not print, and why. Together with
 * DMESG_PATHS and OUTSIDE every line an experiment made the kernel print is accounted for.
 */
const NOT_MODELLED: { lines: RegExp[]; why: string }[] = [
  {
    lines: [
      /^Fallback order for Node \d+: [\d ]+$/,
      /^Built \d+ zonelists, mobility grouping \w+\.  Total pages: \d+$/,
      /^Policy zone: \w+$/,
    ],
    why:
      'online_pages()/offline_pages() rebuild the zonelists when a zone gains its first or loses its last present pages ' +
      '(build_all_zonelists()); the emulator keeps no zonelists and no count of managed pages to print',
  },
  {
    lines: [
      /^memory offlining \[mem \S+\] failed due to failure to isolate range$/,
      /^memory memory\d+: Offline failed\.$/,
      /^page: refcount:/,
      /^page dumped because: /,
      /^flags: 0x/,
      /^raw: /,
      /^page_type: /,
    ],
    why: 'an offline that fails on an unmovable page (dump_page()): the replayed scenario allocates nothing from hot-added memory (see the dimm-hotadd divergence)',
  },
];

/** What the experiments made the kernel print that is not about these paths: libnvdimm's bus, label and seed chatter, /init, tracing. */
const OUTSIDE = [
  /^(nvdimm|nfit|nd_bus|nd_region|nd|nd_pmem|nd_btt) \S+: /,
  /^nvdimm (in|out) /,
  /^(get_data|set_data|get_size)[0-9a-f]{8}: /,
  /^\s*(btt|pfn|dax)\d+\.\d+: trace$/,
  /^\s*$/,
  /^Run \/init as init process$/,
  /^\s+(with arguments:|with environment:|\/init|HOME=\/|TERM=linux)$/,
  /^random: crng init done$/,
  /^trace_kprobe: Could not probe notrace function \w+$/,
];

/**
 * Where the emulator is known to disagree with the kernel, and why it is not fixed yet. Each entry
 * must still be needed: a difference that went away fails the test until its entry goes.
 */
type KnownDifference = { what: string; why: string } &
  /** The kernel's text, in one experiment, as the emulator says it. */
  (
    | { kind: 'rename'; experiment: string; kernel: string; emulator: string }
    /** After a snapshot the run goes another way: later steps and snapshots are not compared; dmesg is, less one emulated line per pattern. */
    | {
        kind: 'diverges';
        experiment: string;
        release: string;
        after: string;
        emulatorOnly: RegExp[];
      }
  );
const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    kind: 'rename',
    experiment: 'misaligned-start',
    what: "pfn0.0's refusal names namespace0.0 where the kernel says namespace0.1",
    why:
      'the scenario language has no raw namespaces (the raw namespace0.0 before it takes no id) and no way for two devices ' +
      'to claim one namespace (pfn0.0, then dax0.0, claim namespace0.1): the scenario has namespace0.0 (pfn) and namespace0.1 (dax)',
    kernel: 'nd_pmem pfn0.0: namespace0.1: ',
    emulator: 'nd_pmem pfn0.0: namespace0.0: ',
  },
  {
    kind: 'diverges',
    experiment: 'dimm-hotadd',
    release: '6.12.',
    after: 'online',
    what:
      'the kernel refuses to offline memory64 (EBUSY: "unmovable page", "failure to isolate range"), so the DIMM is never removed; ' +
      'the emulator offlines every block and removes the DIMM',
    why:
      'auto_online_blocks=online put the DIMM in ZONE_NORMAL and the kernel allocated unmovable memory from it; the replayed ' +
      'scenario allocates nothing from hot-added memory (where the kernel put its slab page is known only from this log; ' +
      'examples/offline-unmovable.memmap.yaml states it with alloc_pages)',
    emulatorOnly: [/^Offlined Pages \d+$/],
  },
];

const stamp = /^\[\s*\d+\.\d+\] /;
const untimed = (line: string): string => line.replace(stamp, '').replace(/ in \d+ms$/, ' in …ms');

function renames(gt: GroundTruth): Extract<KnownDifference, { kind: 'rename' }>[] {
  return KNOWN_DIFFERENCES.flatMap((d) =>
    d.kind === 'rename' && d.experiment === gt.experiment ? [d] : [],
  );
}

function divergence(gt: GroundTruth): Extract<KnownDifference, { kind: 'diverges' }> | undefined {
  return KNOWN_DIFFERENCES.flatMap((d) =>
    d.kind === 'diverges' && d.experiment === gt.experiment && gt.release.startsWith(d.release)
      ? [d]
      : [],
  )[0];
}

/** The kernel's text as the emulator is known to say it. */
function asEmulated(gt: GroundTruth, text: string): string {
  return renames(gt).reduce((t, d) => t.split(d.kernel).join(d.emulator), text);
}

/**
 * The device-dax instance (the chardev) of a devdax namespace: drivers/dax/pmem.c
 * __dax_pmem_probe() sscanf()s "namespace%d.%d" for the dax region's id and the instance's, so
 * namespace0.1's chardev is dax0.1 whatever the nd_dax device (dax0.0) is called.
 */
function chardev(nsName: string): string {
  return nsName.replace(/^namespace/, 'dax');
}

/** Emulated System RAM outside the machine's boot RAM: what add_memory steps added. */
function hotRam(r: RunResult): IomemEntry[] {
  const boot = r.state.nodes.flatMap((n) => n.ram);
  return r.state.resources
    .filter(
      (e) => e.name === 'System RAM' && !boot.some((b) => e.start >= b.start && e.end <= b.end),
    )
    .map((e) => ({ start: e.start, end: e.end, name: e.name }))
    .sort((a, b) => a.start - b.start);
}

/**
 * The /proc/iomem resources under "Persistent Memory" that the emulator's namespace layout implies:
 * an fsdax namespace's whole range under the namespace's name (drivers/nvdimm/pmem.c
 * pmem_attach_disk()); a devdax one's info block and memmap reserve under the namespace's name
 * (drivers/dax/pmem.c __dax_pmem_probe()) and the data under the chardev's (drivers/dax/bus.c
 * alloc_dev_dax_range()), or, once kmem has it, the RAM it added under the chardev's
 * (drivers/dax/kmem.c dev_dax_kmem_probe()).
 */
function emulatedPmem(r: RunResult): IomemEntry[] {
  const out: IomemEntry[] = [];
  const ram = hotRam(r);
  for (const d of r.devices) {
    if (d.spec.kind !== 'namespace' || !d.layout) continue;
    const { start, end } = d.placed[0];
    const data = d.layout.rangeStart + d.layout.offset;
    const kmem = ram.find((e) => e.start >= start && e.end <= end);
    if (d.state === 'live' && d.spec.mode === 'fsdax') out.push({ name: d.nsName!, start, end });
    else if (d.state === 'live')
      out.push(
        { name: d.nsName!, start, end: data },
        { name: chardev(d.nsName!), start: data, end: d.layout.rangeEnd },
      );
    else if (kmem)
      out.push(
        { name: d.nsName!, start, end: data },
        { name: chardev(d.nsName!), start: kmem.start, end: kmem.end },
      );
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * The emulator's memory blocks, one entry per block, with the zone an online block shows in
 * valid_zones: its zone, or "none" when it spans two (drivers/base/memory.c valid_zones_show()).
 * An offline block lists the zones it could go to, which the emulator does not model.
 */
function emulatedBlocks(
  r: RunResult,
): { block: number; state: string; node: number; zone?: string }[] {
  return r.state.memoryBlocks.current.all().flatMap((run) =>
    Array.from({ length: run.end - run.start }, (_, i) => ({
      block: run.start + i,
      state: run.value.state,
      node: run.value.node,
      zone: run.value.state === 'online' ? (run.value.zone ?? 'none') : undefined,
    })),
  );
}

type Args = Record<string, string | number | undefined>;
/**
 * The kprobes of the trace-* experiments whose hits the emulator's spans of the same name
 * reproduce one to one, each read as the pfn range it works on. Not compared one to one:
 * memmap_init_zone_device (its arguments are the whole pgmap range, the span's the pages it
 * initialised, which dmesg checks), sparse_add_section and vmemmap_populate (one call per section
 * in the kernel, one span per range in the emulator: compared as totals), add_memory_driver_managed
 * (kmem's; the scenario adds kmem's range with add_memory).
 */
const KPROBE_SPANS: Record<
  string,
  { kernel: (a: Record<string, string>, page: number) => Args; emulator: (a: Args) => Args }
> = {
  memremap_pages: { kernel: (a) => ({ nid: Number(a.nid) }), emulator: (a) => ({ nid: a.node }) },
  arch_add_memory: {
    kernel: (a, page) => ({ pfn: Number(a.start) / page, pages: Number(a.size) / page }),
    emulator: pfnRange,
  },
  __add_pages: {
    kernel: (a) => ({ pfn: Number(a.pfn), pages: Number(a.nr_pages) }),
    emulator: pfnRange,
  },
  move_pfn_range_to_zone: {
    kernel: (a) => ({ pfn: Number(a.start_pfn), pages: Number(a.nr_pages) }),
    emulator: pfnRange,
  },
  online_pages: {
    kernel: (a) => ({ pfn: Number(a.pfn), pages: Number(a.nr_pages) }),
    emulator: pfnRange,
  },
  offline_pages: {
    kernel: (a) => ({ pfn: Number(a.start_pfn), pages: Number(a.nr_pages) }),
    emulator: pfnRange,
  },
  __remove_pages: {
    kernel: (a) => ({ pfn: Number(a.pfn), pages: Number(a.nr_pages) }),
    emulator: pfnRange,
  },
};

function pfnRange(a: Args): Args {
  return { pfn: a.pfn, pages: a.pages };
}

const byText = (a: unknown, b: unknown): number =>
  JSON.stringify(a).localeCompare(JSON.stringify(b));

/** The traced steps' kprobe hits against the emulator's spans, and the memmap they populated. */
function checkTrace(
  gt: GroundTruth,
  r: RunResult,
  steps: { startNs?: number; endNs?: number }[],
): void {
  const where = `${gt.release}/${gt.experiment} trace`;
  const trace = gt.trace!;
  const inWindow = (a: Args) =>
    typeof a.step === 'number' && a.step >= trace.from && a.step < trace.to;
  const spans = r.trace.spans.filter((sp) => inWindow(sp.args as Args));
  const fns = Object.keys(KPROBE_SPANS).filter((fn) => trace.taken.includes(fn));
  const kernel = trace.hits
    .filter((h) => fns.includes(h.fn))
    .map((h) => ({ fn: h.fn, ...KPROBE_SPANS[h.fn].kernel(h.args, r.geometry.pageSize) }));
  const emulated = spans
    .filter(
      (sp) => fns.includes(sp.name) && (sp.args.pfn !== undefined || sp.name === 'memremap_pages'),
    )
    .map((sp) => ({ fn: sp.name, ...KPROBE_SPANS[sp.name].emulator(sp.args as Args) }));
  equal(emulated.sort(byText), kernel.sort(byText), `${where}: kprobe hits on ${fns.join(', ')}`);
  if (trace.taken.includes('sparse_add_section')) {
    const hits = trace.hits.filter((h) => h.fn === 'sparse_add_section');
    const mine = spans.filter((sp) => sp.name === 'sparse_add_section');
    equal(
      {
        sections: mine.reduce((n, sp) => n + Number(sp.args.sections), 0),
        pages: mine.reduce((n, sp) => n + Number(sp.args.pages), 0),
      },
      { sections: hits.length, pages: hits.reduce((n, h) => n + Number(h.args.nr_pages), 0) },
      `${where}: sparse_add_section, sections and pages`,
    );
  }
  if (trace.taken.includes('vmemmap_populate')) {
    const from = steps[trace.from]?.startNs ?? Infinity;
    const to = steps[trace.to - 1]?.endNs ?? -Infinity;
    const last = new Map<string, number>();
    let populated = 0;
    for (const c of r.trace.counters) {
      if (c.name !== 'vmemmapBytesAltmap' && c.name !== 'vmemmapBytesDram') continue;
      if (c.t >= from && c.t <= to) populated += Math.max(0, c.value - (last.get(c.name) ?? 0));
      last.set(c.name, c.value);
    }
    const bytes = trace.hits
      .filter((h) => h.fn === 'vmemmap_populate')
      .reduce((n, h) => n + Number(BigInt(h.args.end) - BigInt(h.args.start)), 0);
    equal(populated, bytes, `${where}: memmap bytes vmemmap_populate mapped`);
  }
}

let assertions = 0;
function equal<T>(actual: T, expected: T, message: string): void {
  assertions++;
  assert.deepEqual(actual, expected, message);
}

function checkSnapshot(gt: GroundTruth, snap: Snapshot, r: RunResult): void {
  const at = `${gt.release}/${gt.experiment} @ ${snap.label}`;
  const pageSize = r.geometry.pageSize;
  // ndctl list: each pfn/dax namespace's size (the data after info block and memmap), align, mode
  for (const ns of snap.ndctl) {
    const d = r.devices.find((x) => x.nsName === asEmulated(gt, ns.dev));
    assert.ok(d?.layout && d.spec.kind === 'namespace', `${at}: no emulated device for ${ns.dev}`);
    const size = d.layout.npfns * pageSize;
    equal(
      { dev: d.nsName, mode: d.spec.mode, map: d.spec.map, size, align: d.spec.align },
      { dev: asEmulated(gt, ns.dev), mode: ns.mode, map: ns.map, size: ns.size, align: ns.align },
      `${at}: ndctl list of ${ns.dev}`,
    );
    if (ns.daxregion) {
      equal(
        {
          size,
          align: d.spec.align,
          devices: [{ chardev: chardev(d.nsName!), size, align: d.spec.align }],
        },
        {
          size: ns.daxregion.size,
          align: ns.daxregion.align,
          devices: ns.daxregion.devices.map((x) => ({
            chardev: x.chardev,
            size: x.size,
            align: x.align,
          })),
        },
        `${at}: dax region of ${ns.dev}`,
      );
    }
  }
  const listed = r.devices.filter(
    (d) => d.state === 'live' || emulatedPmem(r).some((e) => e.name === chardev(d.nsName ?? '')),
  );
  equal(
    listed.map((d) => d.nsName).sort(),
    snap.ndctl.map((n) => asEmulated(gt, n.dev)).sort(),
    `${at}: the pfn/dax namespaces ndctl lists`,
  );
  // /proc/iomem: the resources over the scenario's namespaces (raw namespaces are not in it), and hot-added RAM
  const ours = (e: IomemEntry) =>
    gt.devices.some((d) => e.start < d.start + d.size && d.start < e.end);
  equal(
    emulatedPmem(r),
    snap.pmem.filter(ours).map((e) => ({ ...e, name: asEmulated(gt, e.name) })),
    `${at}: /proc/iomem under Persistent Memory`,
  );
  equal(
    hotRam(r).map(({ start, end }) => ({ start, end })),
    snap.hotRam.map(({ start, end }) => ({ start, end })),
    `${at}: hot-added System RAM in /proc/iomem`,
  );
  // /proc/zoneinfo: the spans of the zones hot-plug grows and shrinks (boot's DMA zones follow the firmware's holes)
  const zones = snap.zones.filter((z) => ['Normal', 'Movable', 'Device'].includes(z.zone));
  equal(
    zones.map((z) => {
      const e = r.state.zones.get(`${z.node}:${z.zone}`);
      const spanned = e ? e.end - e.start : 0;
      return {
        node: z.node,
        zone: z.zone,
        spanned,
        startPfn: z.startPfn === undefined ? undefined : e?.start,
      };
    }),
    zones,
    `${at}: /proc/zoneinfo spans`,
  );
  // /sys/devices/system/memory: every block, its state and node, and an online block's zone
  equal(
    emulatedBlocks(r),
    snap.blocks.map((b) => ({
      block: b.block,
      state: b.state,
      node: b.node,
      zone: b.state === 'online' ? b.zones : undefined,
    })),
    `${at}: memory blocks`,
  );
}

function check(gt: GroundTruth): void {
  const where = `${gt.release}/${gt.experiment}`;
  const full = run(gt.scenario, { dyndbg: true });
  const diverges = divergence(gt);
  const stop = diverges ? gt.snapshots.find((s) => s.label === diverges.after)!.steps : Infinity;
  const emulatedDmesg = full.summary.dmesg.map(untimed);
  const initPages = emulatedDmesg
    .flatMap((l) => /^memmap_init_zone_device initialised (\d+) pages/.exec(l)?.[1] ?? [])
    .map(Number);
  equal(initPages, gt.initPages, `${where}: memmap_init_zone_device page counts`);
  // The kernel said yes or no to each command that made a step; the emulator's step must agree.
  const answered = gt.steps.flatMap((s, i) =>
    s.ok !== undefined && i < stop ? [{ i, command: s.command, ok: s.ok }] : [],
  );
  equal(
    answered.map((s) => ({ ...s, ok: full.summary.steps[s.i].outcome === 'ok' })),
    answered,
    `${where}: the kernel's answers`,
  );

  for (const snap of gt.snapshots.filter((s) => s.steps <= stop)) {
    const r =
      snap.steps === full.summary.steps.length
        ? full.run!
        : run(gt.scenario, { dyndbg: true, untilStep: snap.steps - 1 }).run!;
    checkSnapshot(gt, snap, r);
  }

  if (gt.trace) checkTrace(gt, full.run!, full.summary.steps);
  const kernelDmesg = gt.dmesg
    .filter((l) => DMESG_PATHS.some((p) => p.test(l)))
    .map((l) => asEmulated(gt, untimed(l)));
  const compared = [...emulatedDmesg];
  for (const p of diverges?.emulatorOnly ?? []) {
    const i = compared.findIndex((l) => p.test(l));
    assert.ok(i >= 0, `${where}: no emulated line ${p} for "${diverges!.what}"`);
    compared.splice(i, 1);
  }
  equal(compared.sort(), kernelDmesg.sort(), `${where}: dmesg of these paths (times aside)`);
  stillNeeded(gt, full.run!, emulatedDmesg);
}

/** Each known difference that applies here must still show. */
function stillNeeded(gt: GroundTruth, r: RunResult, emulatedDmesg: string[]): void {
  const where = `${gt.release}/${gt.experiment}`;
  for (const d of renames(gt)) {
    assertions++;
    assert.ok(
      gt.dmesg.some((l) => l.includes(d.kernel)) &&
        emulatedDmesg.some((l) => l.includes(d.emulator)),
      `${where}: "${d.what}" no longer shows; drop its entry`,
    );
  }
  const diverges = divergence(gt);
  if (diverges) {
    assertions++;
    assert.throws(
      () => checkSnapshot(gt, gt.snapshots.at(-1)!, r),
      assert.AssertionError,
      `${where}: "${diverges.what}" no longer shows; drop its entry`,
    );
  }
}

const recordings: GroundTruth[] = kernels.flatMap((release) =>
  readdirSync(join(dir, release))
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => groundTruth(parseRecording(readFileSync(join(dir, release, f), 'utf8')))),
);

test('ground truth: recordings of both release lines', () => {
  assert.ok(
    kernels.some((k) => k.startsWith('6.1.')) && kernels.some((k) => k.startsWith('6.12.')),
    `recordings in ${dir}`,
  );
  for (const d of KNOWN_DIFFERENCES)
    assert.ok(
      recordings.some((gt) => gt.experiment === d.experiment),
      `known difference for a recording that is gone: ${d.what}`,
    );
});

test('ground truth: every line an experiment made the kernel print is compared, or listed as not modelled or outside', () => {
  const used = new Set<RegExp>();
  for (const gt of recordings) {
    const experiment = gt.dmesg.slice(gt.dmesg.findIndex((l) => l.startsWith('Run /init')));
    for (const line of experiment) {
      if (DMESG_PATHS.some((p) => p.test(line))) continue;
      const listed = NOT_MODELLED.flatMap((n) => n.lines).find((p) => p.test(line));
      if (listed) used.add(listed);
      else
        assert.ok(
          OUTSIDE.some((p) => p.test(line)),
          `${gt.release}/${gt.experiment}: a kernel line nobody compares: ${JSON.stringify(line)}`,
        );
    }
  }
  for (const p of NOT_MODELLED.flatMap((n) => n.lines))
    assert.ok(used.has(p), `no recording prints ${p} any more: drop it from NOT_MODELLED`);
});

for (const gt of recordings) {
  test(`ground truth ${gt.release}: ${gt.experiment}`, () => check(gt));
}

test('ground truth: assertions made', () => {
  // node:test runs the tests above first; the count is the tier's size.
  assert.ok(assertions > 0);
  console.log(`# ground truth: ${recordings.length} recordings, ${assertions} assertions`);
});
