/**
 * One kernel recording (recording.ts) turned into the scenario that builds the same machine and
 * does what the experiment did, and the facts the real kernel reported that the emulator must
 * reproduce. Every figure comes from the recording: the QEMU command line (nodes, RAM),
 * /proc/iomem (the pmem region, a hot-added DIMM, kmem's range), the commands of the `output`
 * section and their JSON, the `script` (where each snapshot was taken), the memory block listings,
 * and dmesg. ndctl's and daxctl's own refusals (a command that failed before asking the kernel)
 * are no step.
 */
import { sectionsNamed, type Recording } from './recording';
import {
  commands,
  flags,
  hex,
  iomem,
  kprobes,
  kprobesTaken,
  memory,
  ndctlNamespaces,
  ndctlSize,
  nodes,
  runPattern,
  zoneinfo,
  type KprobeHit,
  type Command,
  type IomemEntry,
  type NdctlNamespace,
  type RecordedBlock,
  type RecordedZone,
} from './sections';

export type {
  IomemEntry,
  KprobeHit,
  NdctlNamespace,
  RecordedBlock,
  RecordedZone,
} from './sections';

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

export interface Snapshot {
  label: string;
  /** Scenario steps run when it was taken (boot included). */
  steps: number;
  /** The children of "Persistent Memory". */
  pmem: IomemEntry[];
  ndctl: NdctlNamespace[];
  blocks: RecordedBlock[];
  /** System RAM the experiment added (outside the firmware's e820 RAM), at any depth. */
  hotRam: IomemEntry[];
  /** /proc/zoneinfo's zones. */
  zones: RecordedZone[];
}

/** A scenario step and, when a command the kernel answered made it, whether the kernel said yes. */
export interface RecordedStep {
  text: string;
  ok?: boolean;
  /** The command, as the recording shows it. */
  command: string;
}

export interface GroundTruth {
  release: string;
  experiment: string;
  scenario: string;
  devices: RecordedDevice[];
  steps: RecordedStep[];
  snapshots: Snapshot[];
  /** `memmap_init_zone_device initialised N pages`, in order. */
  initPages: number[];
  /** dmesg without timestamps. */
  dmesg: string[];
  /** trace-* experiments: the steps [from, to) run while tracing, the kprobes taken and their hits. */
  trace?: { from: number; to: number; taken: string[]; hits: KprobeHit[] };
}

export function groundTruth(rec: Recording): GroundTruth {
  return new Translation(rec).result();
}

/** Walks the script, pairing each `run`/`claim`/`host` with what the recording shows it did. */
class Translation {
  private readonly release: string;
  private readonly experiment: string;
  private readonly qemu: string;
  private readonly pmemNode: number;
  private readonly snapshotIomem = new Map<string, ReturnType<typeof iomem>>();
  private readonly snapshotMemory = new Map<string, ReturnType<typeof memory>>();
  private readonly labels: string[];
  private readonly namespaces: RecordedNamespace[] = [];
  private readonly devices: RecordedDevice[] = [];
  private readonly steps: RecordedStep[] = [{ text: 'boot', command: 'boot' }];
  private readonly stepsAt = new Map<string, number>();
  private readonly dimms = new Map<string, { size: number; node: number; start?: number }>();
  private readonly backends = new Map<string, number>();
  private readonly kmem = new Map<string, IomemEntry>();
  private autoOnline: string;
  private cursor: number;
  private labelIndex = 0;
  private traceFrom?: number;
  private traceTo?: number;

  constructor(private readonly rec: Recording) {
    this.release = rec.header.get('uname-r')!;
    this.experiment = rec.header.get('experiment')!;
    this.qemu = rec.header.get('qemu-command')!;
    this.pmemNode = Number(/-device nvdimm,[^ ]*node=(\d+)/.exec(this.qemu)![1]);
    for (const s of sectionsNamed(rec, 'iomem')) this.snapshotIomem.set(s.label!, iomem(s.body));
    for (const s of sectionsNamed(rec, 'memory')) this.snapshotMemory.set(s.label!, memory(s.body));
    this.labels = [...this.snapshotIomem.keys()];
    this.autoOnline = this.snapshotMemory.get('end')!.autoOnline;
    this.cursor = this.region().start;
    this.walk();
  }

  private region(): IomemEntry {
    return this.snapshotIomem
      .get('end')!
      .find((e) => e.depth === 0 && e.name === 'Persistent Memory')!;
  }

  /** The first snapshot from the current point of the script on that shows a resource. */
  private findLater(
    test: (e: IomemEntry & { depth: number; parent?: string }) => boolean,
  ): IomemEntry {
    for (const label of this.labels.slice(this.labelIndex)) {
      const e = this.snapshotIomem.get(label)!.find(test);
      if (e) return e;
    }
    throw new Error(`${this.experiment}: no snapshot shows the resource`);
  }

  private step(text: string, command: string, ok?: boolean): void {
    this.steps.push({ text, command, ok });
  }

  private walk(): void {
    const cmds = commands(this.rec);
    const monitor = (sectionsNamed(this.rec, 'qemu-monitor')[0]?.body ?? '')
      .split('\n')
      .filter((l) => l.startsWith('(qemu) '));
    let next = 0;
    let hostNext = 0;
    let loop = false;
    for (const raw of (sectionsNamed(this.rec, 'script')[0]?.body ?? '').split('\n')) {
      const line = raw.trim();
      if (/^for .*; do$/.test(line)) loop = true;
      if (line === 'done') loop = false;
      const snap = /^snapshot (\S+)$/.exec(line);
      if (snap) {
        this.stepsAt.set(snap[1], this.steps.length);
        this.labelIndex = this.labels.indexOf(snap[1]) + 1;
      }
      if (/(^|\s)trace_start(\s|$)/.test(line)) this.traceFrom = this.steps.length;
      if (line === 'trace_stop') this.traceTo = this.steps.length;
      const policy = /^echo (\w+) > \/sys\/devices\/system\/memory\/auto_online_blocks$/.exec(line);
      if (policy) this.autoOnline = policy[1];
      const host = /^host (.*)$/.exec(line);
      if (host) this.host(monitor[hostNext++].slice('(qemu) '.length));
      const run = /(?:^|&& )(run|claim) (.*)$/.exec(line);
      if (!run) continue;
      const pattern =
        run[1] === 'run'
          ? runPattern(run[2])
          : /^sh -c echo \S+ > \/sys\/bus\/nd\/drivers\/\S+\/bind$/;
      // A `run` in a loop ran once per match (maybe never); elsewhere once.
      if (!loop) this.command(cmds[next++]);
      else while (next < cmds.length && pattern.test(cmds[next].cmd)) this.command(cmds[next++]);
    }
    this.stepsAt.set('end', this.steps.length);
  }

  private command(c: Command): void {
    const args = c.cmd.split(/\s+/);
    const ok = c.exit === 0;
    const state = /^sh -c echo (\w+) > \/sys\/devices\/system\/memory\/memory(\d+)\/state$/.exec(
      c.cmd,
    );
    if (c.claim) this.claim(c);
    else if (args[0] === 'ndctl' && args[1] === 'create-namespace' && ok) this.create(c, args);
    else if (args[0] === 'ndctl' && args[1] === 'destroy-namespace' && ok) {
      const d = this.devices.find((x) => x.namespace === args.at(-1));
      if (d) this.step(`remove: [${d.name}]`, c.cmd, ok);
    } else if (args[0] === 'daxctl' && ok) this.daxctl(c, args);
    else if (state) {
      const bs = this.snapshotMemory.get('end')!.blockSize;
      const range = `start: ${hex(Number(state[2]) * bs)}, size: ${hex(bs)}`;
      if (state[1] === 'offline') this.step(`offline: { ${range} }`, c.cmd, ok);
      else
        this.step(
          `online: { ${range}, zone: ${state[1] === 'online_movable' ? 'movable' : 'normal'} }`,
          c.cmd,
          ok,
        );
    }
  }

  private probe(d: RecordedDevice, command: string, ok: boolean): void {
    this.step(`probe: [${d.name}]`, command, ok);
  }

  /** ndctl create-namespace: a raw namespace of `-s` bytes (the rest of the region without), then its pfn/dax. */
  private create(c: Command, args: string[]): void {
    const f = flags(args.slice(2));
    const json = JSON.parse(c.out) as {
      dev: string;
      mode: 'fsdax' | 'devdax' | 'raw';
      map?: 'dev' | 'mem';
      align?: number;
    };
    const size = f.s ? ndctlSize(f.s) : this.region().end - this.cursor;
    const ns = {
      namespace: json.dev,
      mode: json.mode,
      map: json.map ?? 'dev',
      start: this.cursor,
      size,
      align: json.align ?? 0,
    };
    this.cursor += size;
    this.namespaces.push(ns);
    if (ns.mode === 'raw') return;
    const d = { ...ns, name: `ns${this.devices.length}`, mode: ns.mode };
    this.devices.push(d);
    this.probe(d, c.cmd, true);
  }

  /** The pfn or dax seed of the region set up through sysfs over a raw namespace, then bound. */
  private claim(c: Command): void {
    const claim = c.claim!;
    const ns = this.namespaces.find((n) => n.namespace === claim.namespace)!;
    const mode = claim.seed.startsWith('pfn') ? 'fsdax' : 'devdax';
    const d = {
      ...ns,
      name: `ns${this.devices.length}`,
      mode,
      map: claim.map,
      align: claim.align,
    } as const;
    this.devices.push(d);
    this.probe(d, c.cmd, c.exit === 0);
  }

  /** Hot-added memory the kernel onlines itself when auto_online_blocks says so (zone: ZONE_NORMAL by default_zone_for_pfn()). */
  private added(start: number, size: number, node: number, command: string): void {
    this.step(`add_memory: { node: ${node}, start: ${hex(start)}, size: ${hex(size)} }`, command);
    if (this.autoOnline === 'online')
      this.step(
        `online: { start: ${hex(start)}, size: ${hex(size)}, zone: normal }`,
        'auto_online_blocks',
      );
  }

  /** daxctl: kmem takes the device's data range (aligned to memory blocks: iomem's "System RAM (kmem)"). */
  private daxctl(c: Command, args: string[]): void {
    const chardev = args.at(-1)!;
    const d = this.devices.find((x) => x.namespace === chardev.replace(/^dax/, 'namespace'))!;
    const kmem =
      this.kmem.get(chardev) ??
      this.findLater((e) => e.name === 'System RAM (kmem)' && e.parent === chardev);
    this.kmem.set(chardev, kmem);
    const range = `start: ${hex(kmem.start)}, size: ${hex(kmem.end - kmem.start)}`;
    if (args[1] === 'reconfigure-device' && args.includes('--mode=system-ram')) {
      this.step(`remove: [${d.name}]`, c.cmd, true);
      this.added(kmem.start, kmem.end - kmem.start, this.pmemNode, c.cmd);
      if (this.autoOnline !== 'online' && !args.includes('--no-online')) {
        this.step(
          `online: { ${range}, zone: ${args.includes('--no-movable') ? 'normal' : 'movable'} }`,
          c.cmd,
          true,
        );
      }
    } else if (args[1] === 'reconfigure-device' && args.includes('--mode=devdax')) {
      this.step(`remove_memory: { ${range} }`, c.cmd, true);
      this.probe(d, c.cmd, true);
    } else if (args[1] === 'online-memory')
      this.step(`online: { ${range}, zone: movable }`, c.cmd, true);
    else if (args[1] === 'offline-memory') this.step(`offline: { ${range} }`, c.cmd, true);
  }

  /** QEMU monitor: a pc-dimm appears (ACPI hot-add: add_memory()) or is unplugged (ACPI eject: remove_memory()). */
  private host(cmd: string): void {
    const backend = /^object_add memory-backend-ram,id=(\w+),size=(\w+)$/.exec(cmd);
    if (backend) this.backends.set(backend[1], ndctlSize(backend[2]));
    const add = /^device_add pc-dimm,id=(\w+),memdev=(\w+),node=(\d+)$/.exec(cmd);
    if (add) {
      const dimm = { size: this.backends.get(add[2])!, node: Number(add[3]), start: 0 };
      const ram = this.findLater(
        (e) => e.depth === 0 && e.name === 'System RAM' && e.end - e.start === dimm.size,
      );
      dimm.start = ram.start;
      this.dimms.set(add[1], dimm);
      this.added(ram.start, dimm.size, dimm.node, cmd);
    }
    const del = /^device_del (\w+)$/.exec(cmd);
    if (del) {
      const dimm = this.dimms.get(del[1])!;
      this.step(`remove_memory: { start: ${hex(dimm.start!)}, size: ${hex(dimm.size)} }`, cmd);
    }
  }

  result(): GroundTruth {
    const dmesg = (sectionsNamed(this.rec, 'dmesg')[0]?.body ?? '')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/^\[\s*\d+\.\d+\] /, ''));
    const bootRam = dmesg.flatMap((l) => {
      const m = /^BIOS-e820: \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] usable$/.exec(l);
      return m ? [{ name: 'System RAM', start: Number(m[1]), end: Number(m[2]) + 1 }] : [];
    });
    // The firmware's RAM (BIOS-e820 usable ranges) was there at boot; other System RAM was added.
    const boot = (e: IomemEntry) => bootRam.some((r) => e.start >= r.start && e.end <= r.end);
    const ndctlAt = new Map(sectionsNamed(this.rec, 'ndctl').map((s) => [s.label!, s.body]));
    const zoneinfoAt = new Map(sectionsNamed(this.rec, 'zoneinfo').map((s) => [s.label!, s.body]));
    const snapshots = this.labels
      .filter((label) => this.stepsAt.has(label))
      .map((label) => ({
        label,
        steps: this.stepsAt.get(label)!,
        pmem: this.snapshotIomem
          .get(label)!
          .filter((e) => e.depth === 1 && e.parent === 'Persistent Memory')
          .map(({ name, start, end }) => ({ name, start, end })),
        ndctl: ndctlNamespaces(ndctlAt.get(label) ?? ''),
        blocks: this.snapshotMemory.get(label)!.blocks,
        zones: zoneinfo(zoneinfoAt.get(label) ?? ''),
        hotRam: this.snapshotIomem
          .get(label)!
          .filter((e) => /^System RAM/.test(e.name) && !boot(e))
          .map(({ name, start, end }) => ({ name, start, end })),
      }));
    const initPages = dmesg
      .flatMap((l) => /^memmap_init_zone_device initialised (\d+) pages/.exec(l)?.[1] ?? [])
      .map(Number);
    const region = this.region();
    const scenario =
      [
        `name: ${this.experiment} on ${this.release}`,
        'arch: x86_64',
        `kernel: ${this.release}`,
        'machine:',
        '  nodes:',
        ...nodes(this.qemu).map((x) => `    - { ram: ${hex(x.ram)}, cpus: ${x.cpus} }`),
        '  pmem:',
        `    - { node: ${this.pmemNode}, start: ${hex(region.start)}, size: ${hex(region.end - region.start)} }`,
        ...(this.devices.length ? ['devices:'] : ['devices: []']),
        ...this.devices.map(
          (d) =>
            `  - { name: ${d.name}, node: ${this.pmemNode}, mode: ${d.mode}, map: ${d.map}, start: ${hex(d.start)}, size: ${hex(d.size)}, align: ${hex(d.align)} }`,
        ),
        'steps:',
        ...this.steps.map((s) => `  - ${s.text}`),
      ].join('\n') + '\n';
    const setup = sectionsNamed(this.rec, 'trace-setup')[0];
    const trace =
      setup && this.traceFrom !== undefined && this.traceTo !== undefined
        ? {
            from: this.traceFrom,
            to: this.traceTo,
            taken: kprobesTaken(setup.body),
            hits: kprobes(sectionsNamed(this.rec, 'trace')[0]?.body ?? ''),
          }
        : undefined;
    return {
      release: this.release,
      experiment: this.experiment,
      scenario,
      devices: this.devices,
      steps: this.steps,
      snapshots,
      initPages,
      dmesg,
      trace,
    };
  }
}
