/**
 * What the sections of a kernel recording (recording.ts) say, parsed: the `output` section's
 * commands, /proc/iomem, `ndctl list`, the memory block listing, the QEMU command line's nodes.
 */
import { sectionsNamed, type Recording } from './recording';

/** One resource of /proc/iomem. */
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
  daxregion?: {
    size: number;
    align: number;
    devices: { chardev: string; size: number; align: number }[];
  };
}

/** /sys/devices/system/memory/memoryN. */
export interface RecordedBlock {
  block: number;
  state: string;
  node: number;
  /** valid_zones: the block's zone when online, the zones it may go to when offline. */
  zones: string;
}

const UNITS: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** ndctl's and QEMU's size arguments: bytes, or a number with a binary K/M/G/T suffix. */
export function ndctlSize(text: string): number {
  const m = /^(\d+)([KMGT])?$/i.exec(text);
  if (!m) throw new Error(`not a size: ${text}`);
  return Number(m[1]) * (m[2] ? UNITS[m[2].toUpperCase()] : 1);
}

export const hex = (n: number): string => `0x${n.toString(16)}`;

/** `-m fsdax -M dev -s 1G -a 2M` → { m: 'fsdax', M: 'dev', s: '1G', a: '2M' } */
export function flags(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++)
    if (/^-[a-zA-Z]$/.test(args[i])) out[args[i].slice(1)] = args[++i];
  return out;
}

export interface Command {
  cmd: string;
  out: string;
  exit: number;
  /** The `claim` helper's comment: `# pfn0.0: uuid, mode pmem, align 2097152, namespace namespace0.1, bind to nd_pmem`. */
  claim?: { seed: string; map: 'dev' | 'mem'; align: number; namespace: string };
}

/** The `output` section as commands: `$ cmd`, its output, `[exit N]`. */
export function commands(rec: Recording): Command[] {
  const out: Command[] = [];
  let cur: Command | undefined;
  let claim: Command['claim'];
  for (const line of (sectionsNamed(rec, 'output')[0]?.body ?? '').split('\n')) {
    const c = /^# (\S+): uuid, mode (pmem|ram), align (\d+), namespace (\S+), bind to \S+$/.exec(
      line,
    );
    if (c)
      claim = {
        seed: c[1],
        map: c[2] === 'pmem' ? 'dev' : 'mem',
        align: Number(c[3]),
        namespace: c[4],
      };
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

/** /proc/iomem as a flat list, each resource with its depth. */
export function iomem(body: string): (IomemEntry & { depth: number; parent?: string })[] {
  const out: (IomemEntry & { depth: number; parent?: string })[] = [];
  const open: string[] = [];
  for (const line of body.split('\n')) {
    const m = /^( *)([0-9a-f]+)-([0-9a-f]+) : (.+)$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 2;
    open[depth] = m[4];
    out.push({
      name: m[4],
      start: parseInt(m[2], 16),
      end: parseInt(m[3], 16) + 1,
      depth,
      parent: open[depth - 1],
    });
  }
  return out;
}

export function ndctlNamespaces(body: string): NdctlNamespace[] {
  if (body.trim() === '') return [];
  const doc = JSON.parse(body) as { regions?: { namespaces?: NdctlNamespace[] }[] };
  return (doc.regions ?? [])
    .flatMap((r) => r.namespaces ?? [])
    .filter((n) => n.mode === 'fsdax' || n.mode === 'devdax');
}

/** The `memory` section: `block_size_bytes`, `auto_online_blocks`, one line per block. */
export function memory(body: string): {
  blockSize: number;
  autoOnline: string;
  blocks: RecordedBlock[];
} {
  const blockSize = parseInt(/^block_size_bytes (\S+)$/m.exec(body)![1], 16);
  const autoOnline = /^auto_online_blocks (\S+)$/m.exec(body)![1];
  const blocks = [
    ...body.matchAll(/^memory(\d+) state=(\S+) phys_index=\S+ node=(\d+) valid_zones=(\S+)/gm),
  ].map((m) => ({ block: Number(m[1]), state: m[2], node: Number(m[3]), zones: m[4] }));
  return { blockSize, autoOnline, blocks };
}

/** `-numa node,nodeid=N,cpus=C,memdev=M` with `-object memory-backend-ram,id=M,size=S`. */
export function nodes(qemu: string): { ram: number; cpus: number }[] {
  const ram = new Map<string, number>();
  for (const m of qemu.matchAll(/-object memory-backend-ram,id=(\w+),size=(\w+)/g))
    ram.set(m[1], ndctlSize(m[2]));
  const out: { ram: number; cpus: number }[] = [];
  for (const m of qemu.matchAll(/-numa node,nodeid=(\d+),cpus=([\d-]+),memdev=(\w+)/g)) {
    const [a, b = a] = m[2].split('-').map(Number);
    out[Number(m[1])] = { ram: ram.get(m[3])!, cpus: b - a + 1 };
  }
  return out;
}

/** A `run` line of the script as a pattern over the commands it ran (`$s`, `$(…)` stand for anything). */
export function runPattern(template: string): RegExp {
  const parts = template.replace(/"/g, '').split(/\$\([^)]*\)|\$\{?\w+\}?/);
  return new RegExp(
    '^' + parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\S+') + '$',
  );
}

/** A zone of /proc/zoneinfo: its span, and its first pfn when it has present pages (zoneinfo_show_print()). */
export interface RecordedZone {
  node: number;
  zone: string;
  spanned: number;
  startPfn?: number;
}

export function zoneinfo(body: string): RecordedZone[] {
  const out: RecordedZone[] = [];
  for (const chunk of body.split(/^(?=Node \d+, zone)/m)) {
    const head = /^Node (\d+), zone\s+(\S+)/.exec(chunk);
    if (!head) continue;
    const start = /^\s+start_pfn:\s+(\d+)$/m.exec(chunk);
    out.push({
      node: Number(head[1]),
      zone: head[2],
      spanned: Number(/^\s+spanned\s+(\d+)$/m.exec(chunk)![1]),
      startPfn: start ? Number(start[1]) : undefined,
    });
  }
  return out;
}

/** One kprobe hit of the `trace` section: `/* fn: (fn+0x0/0x50) key=value … *\/`. */
export interface KprobeHit {
  fn: string;
  args: Record<string, string>;
}

/** The `trace` section's kprobe events, in order. */
export function kprobes(body: string): KprobeHit[] {
  return [...body.matchAll(/\/\* (\w+): \(\S+\) (.*?) \*\//g)].map((m) => ({
    fn: m[1],
    args: Object.fromEntries(m[2].split(' ').map((kv) => kv.split('=') as [string, string])),
  }));
}

/** The `trace-setup` section: the kprobes the kernel took (`kprobe ok: p:mlab/<fn> …`). */
export function kprobesTaken(body: string): string[] {
  return [...body.matchAll(/^kprobe ok: p:\w+\/(\w+) /gm)].map((m) => m[1]);
}
