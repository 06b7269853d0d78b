/**
 * Import benchmark for logs as pasted (not a test): streams synthetic 12.5, 25 and 50 MB logs of
 * the shapes issue 14 names (grep -H and logfmt leaders, caller ids with another task inside a
 * WARN, German journal lines, mail-wrapped messages, libdaxctl and shell lines, ARM32 and ppc64
 * oopses with an ftrace dump) plus lines built to make a backtracking regex blow up (runs of `[`
 * and digits with no `]`, long quoted lines that never complete), and reports throughput and
 * peak heap per size: the time per MB should stay flat as the input doubles.
 *   node --expose-gc --import tsx bench/importWild.bench.ts
 */
import { LogImporter } from '../src/engine/trace/import/importLog';

const CHUNK = 1 << 20;

function block(i: number): string {
  const t = (s: number) => `[${(i + s / 1e6).toFixed(6).padStart(12)}]`;
  return (
    [
      `node7.log:${t(1)} memmap_init_zone_device initialised 2063872 pages in 34ms`,
      `level=info console="${t(2)} nd_pmem pfn0.0: probe with driver nd_pmem failed with error -22" vm=3`,
      `Dez 03 13:53:${String(i % 60).padStart(2, '0')} host kernel: Offlined Pages 32768`,
      `${t(3)}[  T650] ------------[ cut here ]------------`,
      `${t(4)}[  T650] percpu ref (dev_pagemap_percpu_release) <= 0 (-1) after switching to atomic`,
      `${t(5)}[  T650] WARNING: CPU: 3 PID: 650 at lib/percpu-refcount.c:196 percpu_ref_switch_to_atomic_rcu+0x127/0x130`,
      `${t(6)}[   T12] dax0.0 initialised, 524288 pages in 9ms`,
      `${t(7)}[  T650] Call Trace:`,
      `${t(8)}[  T650]  rcu_core+0x30f/0x530`,
      `${t(9)}[  T650] ---[ end trace 0000000000000000 ]---`,
      `> ${t(10)} Block size [0x8000000] unaligned hotplug range: start 0x140000000,`,
      `size 0x1000000`,
      `libdaxctl: daxctl_dev_disable: dax0.0: failed to disable`,
      `$ daxctl reconfigure-device -m system-ram dax0.0`,
      `${t(11)} kernel BUG at mm/sparse.c:812!`,
      `${t(12)} [<c0011a97>] (section_deactivate) from [<c0009107>] (__remove_pages+0xf3/0x124)`,
      `${t(13)} Dumping ftrace buffer:`,
      `${t(14)} ---------------------------------`,
      `${t(15)} kworker/-61      2.... 69999998us : memmap_init_zone_device <-memremap_pages`,
      `${t(16)} ---------------------------------`,
      `${t(17)} ---[ end trace 1234567890abcdef ]---`,
      `${'[ 1'.repeat(60)}${'9'.repeat(200)}`,
      `x: ${'[ '.repeat(120)}12.${'3'.repeat(100)}`,
      `> ${t(18)} percpu ref (${'x'.repeat(1500)}`,
      `${'1 '.repeat(400)}`,
    ].join('\n') + '\n'
  );
}

function* log(bytes: number): Generator<string> {
  let size = 0;
  let buf = '';
  for (let i = 0; size < bytes; i++) {
    buf += block(i);
    if (buf.length >= CHUNK) {
      size += buf.length;
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

function bench(mb: number): void {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let bytes = 0;
  const t0 = performance.now();
  const imp = new LogImporter({ name: `wild-${mb}` });
  for (const chunk of log(mb * 1024 * 1024)) {
    bytes += chunk.length;
    imp.push(chunk);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const out = imp.end();
  const s = (performance.now() - t0) / 1000;
  (globalThis as { gc?: () => void }).gc?.();
  const kept = process.memoryUsage().heapUsed - before;
  const mib = bytes / 1048576;
  console.log(
    `${mib.toFixed(1).padStart(5)} MiB in ${s.toFixed(2)} s (${((s * 1000) / mib).toFixed(1)} ms/MiB), ${out.summary.lines} lines, ` +
      `${out.summary.events} events (${out.events.length} kept), ${out.summary.unknownLines} unknown, peak heap +${((peak - before) / 1048576).toFixed(0)} MiB, kept after GC +${(kept / 1048576).toFixed(0)} MiB`,
  );
}

for (const mb of [12.5, 25, 50]) bench(mb);
