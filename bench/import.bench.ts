/**
 * Import benchmark (not a test): streams a synthetic 100 MB dmesg (1.5 million lines, an init
 * line every thousand, a WARN splat every hundred thousand) and a 100 MB-class Chrome JSON
 * through the importer in 1 MiB chunks, and reports time and peak heap.
 *   node --expose-gc --import tsx bench/import.bench.ts
 */
import { LogImporter } from '../src/engine/trace/import/importLog';

const TARGET = 100 * 1024 * 1024;
const CHUNK = 1 << 20;

function* dmesg(): Generator<string> {
  let size = 0;
  let buf = '';
  for (let i = 0; size < TARGET; i++) {
    const t = `[${(i / 1000).toFixed(6).padStart(12)}] `;
    let line: string;
    if (i % 100_000 === 99_999) {
      line = [
        `${t}------------[ cut here ]------------`,
        `${t}percpu ref (dev_pagemap_percpu_release) <= 0 (-1) after switching to atomic`,
        `${t}WARNING: CPU: 3 PID: 9 at lib/percpu-refcount.c:196 percpu_ref_switch_to_atomic_rcu+0x127/0x130`,
        `${t}Call Trace:`,
        `${t} rcu_core+0x30f/0x530`,
        `${t}---[ end trace 0000000000000000 ]---`,
      ].join('\n');
    } else if (i % 1000 === 999)
      line = `${t}memmap_init_zone_device initialised 2063872 pages in 34ms`;
    else line = `${t}usb 3-4: reset full-speed USB device number ${i % 7} using xhci_hcd`;
    buf += line + '\n';
    if (buf.length >= CHUNK) {
      size += buf.length;
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

function* chrome(): Generator<string> {
  let size = 0;
  yield '{"traceEvents":[{"name":"thread_name","ph":"M","ts":0,"pid":1,"tid":1,"args":{"name":"probe/pmem0"}}';
  let buf = '';
  for (let i = 0; size < TARGET; i++) {
    buf += `,{"name":"memmap_init_zone_device","cat":"mm","ph":"X","ts":${i * 10 + 0.00025},"dur":5.00025,"pid":1,"tid":1,"args":{"pages":512}}`;
    if (buf.length >= CHUNK) {
      size += buf.length;
      yield buf;
      buf = '';
    }
  }
  yield buf + ']}';
}

function bench(name: string, source: Generator<string>): void {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let bytes = 0;
  const t0 = performance.now();
  const imp = new LogImporter({ name });
  for (const chunk of source) {
    bytes += chunk.length;
    imp.push(chunk);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const log = imp.end();
  const ms = performance.now() - t0;
  (globalThis as { gc?: () => void }).gc?.();
  const kept = process.memoryUsage().heapUsed - before;
  const s = log.summary;
  console.log(
    `${name.padEnd(8)} ${(bytes / 1048576).toFixed(0)} MiB in ${(ms / 1000).toFixed(2)} s (${(bytes / 1048576 / (ms / 1000)).toFixed(0)} MiB/s), ` +
      `${s.lines} ${log.format === 'chrome-json' ? 'events' : 'lines'}, ${s.events} recognised (${log.events.length} kept), peak heap +${((peak - before) / 1048576).toFixed(0)} MiB, kept after GC +${(kept / 1048576).toFixed(0)} MiB, spans ${log.trace.spans.length}`,
  );
}

bench('dmesg', dmesg());
bench('chrome', chrome());
