import { formatSize } from '../units';
import type { DmesgFacts } from './dmesg';
import type { NumactlFacts } from './numactl';
import type { Placed } from './ranges';
import { quote, type TwinWarning } from './source';

/** A node's CPU count and the comment that says where it came from. */
export interface NodeCpus {
  count: number;
  why: string;
}

/**
 * CPUs per node: the boot log's (SRAT's per-CPU lines, or smpboot's announce lines plus the boot
 * CPU), else `numactl -H`'s "node N cpus:" lines. When both give them, a node they count
 * differently is a warning with both lines and the log wins (numactl sees only online CPUs).
 */
export function nodeCpus(
  d: DmesgFacts | undefined,
  numa: NumactlFacts | undefined,
  memoryNodes: number[],
  warnings: TwinWarning[],
): NodeCpus[] {
  const fromLog = d && (d.cpus.size > 0 || d.bootCpu);
  const listed = [...(numa?.nodes ?? [])].filter(([, n]) => n.cpus);
  // Every node any input names: the RAM's and pmem's, the CPUs', numactl's.
  const count =
    1 +
    Math.max(
      0,
      ...memoryNodes,
      ...(d ? [...d.cpus.keys()] : []),
      ...(numa ? [...numa.nodes.keys()] : []),
      numa?.available ? numa.available.count - 1 : 0,
    );
  const out: NodeCpus[] = [];
  for (let node = 0; node < count; node++) {
    const n = numa?.nodes.get(node)?.cpus;
    if (fromLog) {
      const c = { count: logCount(d, node), why: logWhy(d, node) };
      if (n && n.count !== c.count) {
        warnings.push({
          message: `node ${node}: the boot log shows ${c.count} CPU(s), numactl ${n.count} (CPUs offline or added since boot?); the scenario follows the log`,
          lines: [
            ...(d.cpus.get(node)?.slice(0, 1) ?? []),
            ...(node === 0 && d.bootCpu ? [d.bootCpu] : []),
            n.from,
          ],
        });
      }
      out.push(c);
    } else if (n)
      out.push({
        count: n.count,
        why: n.count === 0 ? `${quote(n.from)}: a CPU-less node` : quote(n.from),
      });
    else if (listed.length)
      out.push({ count: 0, why: `numactl lists no "node ${node} cpus:" line: none (default)` });
    else out.push({ count: 1, why: 'default: no line shows the CPUs per node' });
  }
  return out;
}

/** CPUs SRAT or smpboot place on the node, plus the boot CPU, which smpboot never announces. */
function logCount(d: DmesgFacts, node: number): number {
  return (d.cpus.get(node)?.length ?? 0) + (d.bootCpu && node === 0 ? 1 : 0);
}

function logWhy(d: DmesgFacts, node: number): string {
  const lines = d.cpus.get(node) ?? [];
  const shown =
    [...new Set(lines)].slice(0, 2).map(quote).join(', ') +
    (new Set(lines).size > 2 ? ', ...' : '');
  const boot =
    d.bootCpu && node === 0
      ? `the boot CPU (${quote(d.bootCpu)}; arch/x86/kernel/smpboot.c announce_cpu() lists only the others, so its node is not printed: node 0 by default)`
      : '';
  if (!shown && !boot) return 'no line places a CPU on this node (a CPU-less node)';
  return [shown, boot].filter(Boolean).join(' + ');
}

/**
 * numactl's node sizes against the twin's boot RAM: a node's MemTotal is its present pages less
 * those reserved at boot (mm/page_alloc.c si_meminfo_node()), so it can be smaller than the
 * node's RAM but never larger, and it is 0 exactly when the node has none.
 */
export function numactlWarnings(
  numa: NumactlFacts | undefined,
  ram: Placed[],
  warnings: TwinWarning[],
): void {
  for (const [node, n] of numa?.nodes ?? []) {
    if (!n.size) continue;
    const mine = ram.filter((r) => r.node === node);
    const total = mine.reduce((a, r) => a + r.end - r.start, 0);
    if (n.size.value > total || (n.size.value === 0) !== (total === 0)) {
      warnings.push({
        message: `node ${node}: numactl says ${formatSize(n.size.value)} of memory, the scenario's boot RAM on it is ${formatSize(total)} (memory hot-added or removed since boot?)`,
        lines: [n.size.from, ...mine.slice(0, 2).map((r) => r.from)],
      });
    }
  }
}
