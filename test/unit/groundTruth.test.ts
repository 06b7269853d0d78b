import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run } from './helpers';
import { parseRecording } from '../kernel/recording';
import { groundTruth, type GroundTruth, type IomemEntry } from '../kernel/groundTruth';
import type { RunResult } from '../../src/engine/run/runScenario';

// Ground truth: every recording of a real kernel (test/fixtures/kernels) that the scenario language
// can express is rebuilt as a scenario (test/kernel/groundTruth.ts) and the emulator must say what
// the kernel said: memmap_init_zone_device's page counts, the pfn/dax sizes and aligns ndctl
// lists, the pmem resources of /proc/iomem, and the dmesg lines of these paths — refusals in the
// kernel's words included. Times never (TCG). Every expected value is read from the recording.
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
];

/**
 * Where the emulator is known to disagree with the kernel. Each entry rewrites the kernel's text
 * into the emulator's for one experiment, says why it is not fixed, and must still be needed:
 * a fixed difference fails the test until its entry goes.
 */
interface KnownDifference {
  experiment: string;
  what: string;
  why: string;
  kernel: string;
  emulator: string;
}
const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    experiment: 'misaligned-start',
    what: "pfn0.0's refusal names namespace0.0 where the kernel says namespace0.1",
    why: 'the scenario language has no raw namespaces (the raw namespace0.0 before it takes no id) and no way for two devices ' +
      'to claim one namespace (pfn0.0, then dax0.0, claim namespace0.1): the scenario has namespace0.0 (pfn) and namespace0.1 (dax)',
    kernel: 'nd_pmem pfn0.0: namespace0.1: ',
    emulator: 'nd_pmem pfn0.0: namespace0.0: ',
  },
];

/** Experiments the scenario language cannot express yet, and why. */
const NOT_EXPRESSIBLE = new Set(['kmem', 'kmem-online-normal', 'trace-kmem', 'dimm-hotadd']);

const stamp = /^\[\s*\d+\.\d+\] /;
const untimed = (line: string): string => line.replace(stamp, '').replace(/ in \d+ms$/, ' in …ms');

function differences(gt: GroundTruth): KnownDifference[] {
  return KNOWN_DIFFERENCES.filter((d) => d.experiment === gt.experiment);
}

/** The kernel's text as the emulator is known to say it. */
function asEmulated(gt: GroundTruth, text: string): string {
  return differences(gt).reduce((t, d) => t.split(d.kernel).join(d.emulator), text);
}

/**
 * The device-dax instance (the chardev) of a devdax namespace: drivers/dax/pmem.c
 * __dax_pmem_probe() sscanf()s "namespace%d.%d" for the dax region's id and the instance's, so
 * namespace0.1's chardev is dax0.1 whatever the nd_dax device (dax0.0) is called.
 */
function chardev(nsName: string): string {
  return nsName.replace(/^namespace/, 'dax');
}

/**
 * The /proc/iomem resources the emulator's namespace layout implies: an fsdax namespace's whole
 * range under the namespace's name (drivers/nvdimm/pmem.c pmem_attach_disk()); a devdax one's
 * info block and memmap reserve under the namespace's name and the data under the chardev's
 * (drivers/dax/pmem.c __dax_pmem_probe(), drivers/dax/bus.c alloc_dev_dax_range()).
 */
function emulatedIomem(r: RunResult): IomemEntry[] {
  const out: IomemEntry[] = [];
  for (const d of r.devices) {
    if (d.state !== 'live' || d.spec.kind !== 'namespace' || !d.layout) continue;
    const { start, end } = d.placed[0];
    const data = d.layout.rangeStart + d.layout.offset;
    if (d.spec.mode === 'fsdax') out.push({ name: d.nsName!, start, end });
    else out.push({ name: d.nsName!, start, end: data }, { name: chardev(d.nsName!), start: data, end: d.layout.rangeEnd });
  }
  return out.sort((a, b) => a.start - b.start);
}

let assertions = 0;
function equal<T>(actual: T, expected: T, message: string): void {
  assertions++;
  assert.deepEqual(actual, expected, message);
}

function check(gt: GroundTruth): void {
  const where = `${gt.release}/${gt.experiment}`;
  const full = run(gt.scenario, { dyndbg: true });
  const emulatedDmesg = full.summary.dmesg.map(untimed);
  const initPages = emulatedDmesg.flatMap((l) => /^memmap_init_zone_device initialised (\d+) pages/.exec(l)?.[1] ?? []).map(Number);
  equal(initPages, gt.initPages, `${where}: memmap_init_zone_device page counts`);

  for (const snap of gt.snapshots) {
    const r = snap.steps === full.summary.steps.length ? full.run! : run(gt.scenario, { dyndbg: true, untilStep: snap.steps - 1 }).run!;
    const pageSize = r.geometry.pageSize;
    const at = `${where} @ ${snap.label}`;
    // ndctl list: each pfn/dax namespace's size (the data after info block and memmap), align, mode
    for (const ns of snap.ndctl) {
      const d = r.devices.find((x) => x.nsName === asEmulated(gt, ns.dev));
      assert.ok(d?.layout && d.spec.kind === 'namespace', `${at}: no emulated device for ${ns.dev}`);
      const size = d.layout.npfns * pageSize;
      equal({ dev: d.nsName, mode: d.spec.mode, map: d.spec.map, size, align: d.spec.align },
        { dev: asEmulated(gt, ns.dev), mode: ns.mode, map: ns.map, size: ns.size, align: ns.align }, `${at}: ndctl list of ${ns.dev}`);
      if (ns.daxregion) {
        equal({ size, align: d.spec.align, devices: [{ chardev: chardev(d.nsName!), size, align: d.spec.align }] },
          { size: ns.daxregion.size, align: ns.daxregion.align, devices: ns.daxregion.devices.map((x) => ({ chardev: asEmulated(gt, x.chardev), size: x.size, align: x.align })) },
          `${at}: dax region of ${ns.dev}`);
      }
    }
    const live = r.devices.filter((d) => d.state === 'live').map((d) => d.nsName);
    equal(live.sort(), snap.ndctl.map((n) => asEmulated(gt, n.dev)).sort(), `${at}: the pfn/dax namespaces ndctl lists are the emulator's live devices`);
    // /proc/iomem: the resources over the scenario's namespaces (raw namespaces are not in it)
    const ours = (e: IomemEntry) => gt.devices.some((d) => e.start < d.start + d.size && d.start < e.end);
    equal(emulatedIomem(r), snap.iomem.filter(ours).map((e) => ({ ...e, name: asEmulated(gt, e.name) })), `${at}: /proc/iomem under Persistent Memory`);
  }

  const kernelDmesg = gt.dmesg.filter((l) => DMESG_PATHS.some((p) => p.test(l))).map((l) => asEmulated(gt, untimed(l)));
  equal([...emulatedDmesg].sort(), kernelDmesg.sort(), `${where}: dmesg of these paths (times aside)`);
  for (const d of differences(gt)) {
    assertions++;
    assert.ok(gt.dmesg.some((l) => l.includes(d.kernel)) && emulatedDmesg.some((l) => l.includes(d.emulator)),
      `${where}: known difference "${d.what}" no longer shows; drop its entry`);
  }
}

const recordings: GroundTruth[] = kernels.flatMap((release) =>
  readdirSync(join(dir, release)).filter((f) => f.endsWith('.txt')).sort()
    .map((f) => groundTruth(parseRecording(readFileSync(join(dir, release, f), 'utf8')))));

test('ground truth: recordings of both release lines, each expressible or listed as not', () => {
  assert.ok(kernels.some((k) => k.startsWith('6.1.')) && kernels.some((k) => k.startsWith('6.12.')), `recordings in ${dir}`);
  for (const gt of recordings) assert.equal(gt.unsupported !== undefined, NOT_EXPRESSIBLE.has(gt.experiment), `${gt.release}/${gt.experiment}: ${gt.unsupported ?? 'expressible'}`);
});

for (const gt of recordings.filter((g) => !g.unsupported)) {
  test(`ground truth ${gt.release}: ${gt.experiment}`, () => check(gt));
}

test('ground truth: assertions made', () => {
  // node:test runs the tests above first; the count is the tier's size in the report.
  assert.ok(assertions > 0);
  console.log(`# ground truth: ${recordings.filter((g) => !g.unsupported).length} recordings, ${assertions} assertions`);
});
