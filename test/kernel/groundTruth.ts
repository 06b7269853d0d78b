/**
 * One kernel recording (recording.ts) turned into the scenario that builds the same machine and
 * namespaces, and the facts the real kernel reported that the emulator must reproduce. Every
 * figure comes from the recording: the QEMU command line (nodes, RAM), /proc/iomem (the pmem
 * region), the ndctl/daxctl commands of the `output` section and their JSON, the `script` (where
 * each snapshot was taken), and dmesg.
 */
import { sectionsNamed, type Recording } from './recording';

/** A namespace the experiment created with ndctl or bound through sysfs. */
export interface RecordedNamespace {
  /** The kernel's namespace name (namespace0.1). */
  namespace: string;
  mode: 'fsdax' | 'devdax' | 'raw';
  map: 'dev' | 'mem';
  start: number;
  /** The raw namespace's size (what `-s` asked for). */
  size: number;
  align: number;
}

/** A scenario device: a namespace the kernel was asked to probe as fsdax or devdax. */
export interface RecordedDevice extends RecordedNamespace {
  /** The scenario's name for it. */
  name: string;
  mode: 'fsdax' | 'devdax';
}

/** One child of "Persistent Memory" in /proc/iomem. */
export interface IomemEntry {
  name: string;
  start: number;
  /** Exclusive. */
  end: number;
}

/** What `ndctl list -NRD -v` said of a pfn/dax namespace. */
export interface NdctlNamespace {
  dev: string;
  mode: string;
  map: string;
  size: number;
  align: number;
  /** devdax: the dax region's size and its devices' sizes. */
  daxregion?: { size: number; align: number; devices: { chardev: string; size: number; align: number }[] };
}

export interface Snapshot {
  label: string;
  /** Scenario steps run when it was taken (boot included). */
  steps: number;
  iomem: IomemEntry[];
  ndctl: NdctlNamespace[];
}

export interface GroundTruth {
  release: string;
  experiment: string;
  /** Why the scenario language cannot express this experiment; undefined when it can. */
  unsupported?: string;
  scenario: string;
  devices: RecordedDevice[];
  snapshots: Snapshot[];
  /** `memmap_init_zone_device initialised N pages`, in order. */
  initPages: number[];
  /** dmesg without timestamps. */
  dmesg: string[];
}

const UNITS: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** ndctl's size arguments: bytes, or a number with a binary K/M/G/T suffix. */
export function ndctlSize(text: string): number {
  const m = /^(\d+)([KMGT])?$/i.exec(text);
  if (!m) throw new Error(`not an ndctl size: ${text}`);
  return Number(m[1]) * (m[2] ? UNITS[m[2].toUpperCase()] : 1);
}

/** `-m fsdax -M dev -s 1G -a 2M` → { m: 'fsdax', M: 'dev', s: '1G', a: '2M' } */
function flags(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) if (/^-[a-zA-Z]$/.test(args[i])) out[args[i].slice(1)] = args[++i];
  return out;
}

interface Command {
  cmd: string;
  out: string;
  exit: number;
  /** The `claim` helper's comment: `# pfn0.0: uuid, mode pmem, align 2097152, namespace namespace0.1, bind to nd_pmem`. */
  claim?: { seed: string; map: 'dev' | 'mem'; align: number; namespace: string };
}

/** The `output` section as commands: `$ cmd`, its output, `[exit N]`. */
function commands(rec: Recording): Command[] {
  const out: Command[] = [];
  let cur: Command | undefined;
  let claim: Command['claim'];
  for (const line of (sectionsNamed(rec, 'output')[0]?.body ?? '').split('\n')) {
    const c = /^# (\S+): uuid, mode (pmem|ram), align (\d+), namespace (\S+), bind to \S+$/.exec(line);
    if (c) claim = { seed: c[1], map: c[2] === 'pmem' ? 'dev' : 'mem', align: Number(c[3]), namespace: c[4] };
    else if (line.startsWith('$ ')) {
      cur = { cmd: line.slice(2), out: '', exit: NaN, claim };
      claim = undefined;
    } else if (cur && /^\[exit -?\d+\]$/.test(line)) {
      cur.exit = Number(line.slice(6, -1));
      out.push(cur);
      cur = undefined;
    } else if (cur) cur.out += line + '\n';
  }
  return out;
}

/** /proc/iomem's "Persistent Memory" resources and their children. */
function iomem(body: string): { regions: IomemEntry[]; children: IomemEntry[] } {
  const regions: IomemEntry[] = [];
  const children: IomemEntry[] = [];
  let inPmem = false;
  for (const line of body.split('\n')) {
    const m = /^( *)([0-9a-f]+)-([0-9a-f]+) : (.+)$/.exec(line);
    if (!m) continue;
    const e = { name: m[4], start: parseInt(m[2], 16), end: parseInt(m[3], 16) + 1 };
    if (m[1] === '') {
      inPmem = e.name === 'Persistent Memory';
      if (inPmem) regions.push(e);
    } else if (m[1] === '  ' && inPmem) children.push(e);
  }
  return { regions, children };
}

function ndctlNamespaces(body: string): NdctlNamespace[] {
  if (body.trim() === '') return [];
  const doc = JSON.parse(body) as { regions?: { namespaces?: NdctlNamespace[] }[] };
  return (doc.regions ?? []).flatMap((r) => r.namespaces ?? []).filter((n) => n.mode === 'fsdax' || n.mode === 'devdax');
}

/** `-numa node,nodeid=N,cpus=C,memdev=M` with `-object memory-backend-ram,id=M,size=S`. */
function nodes(qemu: string): { ram: number; cpus: number }[] {
  const ram = new Map<string, number>();
  for (const m of qemu.matchAll(/-object memory-backend-ram,id=(\w+),size=(\w+)/g)) ram.set(m[1], ndctlSize(m[2]));
  const out: { ram: number; cpus: number }[] = [];
  for (const m of qemu.matchAll(/-numa node,nodeid=(\d+),cpus=([\d-]+),memdev=(\w+)/g)) {
    const [a, b = a] = m[2].split('-').map(Number);
    out[Number(m[1])] = { ram: ram.get(m[3])!, cpus: b - a + 1 };
  }
  return out;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** The recording as a scenario and the facts to compare. */
export function groundTruth(rec: Recording): GroundTruth {
  const release = rec.header.get('uname-r')!;
  const experiment = rec.header.get('experiment')!;
  const qemu = rec.header.get('qemu-command')!;
  const pmemNode = Number(/-device nvdimm,[^ ]*node=(\d+)/.exec(qemu)![1]);
  const snapshotsAt = new Map(rec.sections.filter((s) => s.name === 'iomem').map((s) => [s.label!, s]));
  const region = iomem(snapshotsAt.get('end')!.body).regions[0];
  const script = (sectionsNamed(rec, 'script')[0]?.body ?? '').split('\n');
  const cmds = commands(rec);
  let unsupported: string | undefined;
  if (/daxctl|host |online|offline/.test(script.join('\n'))) unsupported = 'kmem and RAM hot-add: the scenario language has no dax→system-ram step';

  const namespaces: RecordedNamespace[] = [];
  const devices: RecordedDevice[] = [];
  const steps: string[] = ['boot'];
  const stepsAt = new Map<string, number>();
  let cursor = region.start;
  let next = 0;
  for (const line of script) {
    const snap = /^snapshot (\S+)$/.exec(line);
    if (snap) stepsAt.set(snap[1], steps.length);
    if (!/^(run|claim) /.test(line)) continue;
    const c = cmds[next++];
    const args = c.cmd.split(/\s+/);
    if (c.claim) {
      const ns = namespaces.find((n) => n.namespace === c.claim!.namespace)!;
      const mode = c.claim.seed.startsWith('pfn') ? 'fsdax' : 'devdax';
      const d = { ...ns, name: `ns${devices.length}`, mode, map: c.claim.map, align: c.claim.align } as const;
      devices.push(d);
      steps.push(`probe: [${d.name}]`);
    } else if (args[0] === 'ndctl' && args[1] === 'create-namespace' && c.exit === 0) {
      const f = flags(args.slice(2));
      const json = JSON.parse(c.out) as { dev: string; mode: 'fsdax' | 'devdax' | 'raw'; map?: 'dev' | 'mem'; align?: number };
      const size = f.s ? ndctlSize(f.s) : region.end - cursor;
      const ns = { namespace: json.dev, mode: json.mode, map: json.map ?? 'dev', start: cursor, size, align: json.align ?? 0 };
      cursor += size;
      namespaces.push(ns);
      if (ns.mode !== 'raw') {
        const d = { ...ns, name: `ns${devices.length}`, mode: ns.mode };
        devices.push(d);
        steps.push(`probe: [${d.name}]`);
      }
    } else if (args[0] === 'ndctl' && args[1] === 'destroy-namespace' && c.exit === 0) {
      const d = devices.find((x) => x.namespace === args.at(-1));
      if (d) steps.push(`remove: [${d.name}]`);
    }
  }
  stepsAt.set('end', steps.length);

  const ndctlAt = new Map(sectionsNamed(rec, 'ndctl').map((s) => [s.label!, s.body]));
  const snapshots = [...snapshotsAt.keys()].filter((label) => stepsAt.has(label)).map((label) => ({
    label, steps: stepsAt.get(label)!, iomem: iomem(snapshotsAt.get(label)!.body).children, ndctl: ndctlNamespaces(ndctlAt.get(label) ?? ''),
  }));
  const dmesg = (sectionsNamed(rec, 'dmesg')[0]?.body ?? '').split('\n').filter(Boolean).map((l) => l.replace(/^\[\s*\d+\.\d+\] /, ''));
  const initPages = dmesg.flatMap((l) => /^memmap_init_zone_device initialised (\d+) pages/.exec(l)?.[1] ?? []).map(Number);

  const n = nodes(qemu);
  const scenario = [
    `name: ${experiment} on ${release}`,
    'arch: x86_64',
    `kernel: ${release}`,
    'machine:',
    '  nodes:',
    ...n.map((x) => `    - { ram: ${hex(x.ram)}, cpus: ${x.cpus} }`),
    '  pmem:',
    `    - { node: ${pmemNode}, start: ${hex(region.start)}, size: ${hex(region.end - region.start)} }`,
    ...(devices.length ? ['devices:'] : ['devices: []']),
    ...devices.map((d) => `  - { name: ${d.name}, node: ${pmemNode}, mode: ${d.mode}, map: ${d.map}, start: ${hex(d.start)}, size: ${hex(d.size)}, align: ${hex(d.align)} }`),
    'steps:',
    ...steps.map((s) => `  - ${s}`),
  ].join('\n') + '\n';
  return { release, experiment, unsupported, scenario, devices, snapshots, initPages, dmesg };
}
