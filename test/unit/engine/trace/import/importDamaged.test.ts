import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  importLog,
  importLogText,
  LogImporter,
} from '../../../../../src/engine/trace/import/importLog';
import { ROOT } from '../../../helpers';
import { formatImport } from '../../../../../src/cli/importCommand';

const real = readFileSync(
  join(ROOT, 'test', 'fixtures', 'logs', 'nvdimm-devdax-5.10-rc3.log'),
  'utf8',
);
const summary = (text: string) =>
  importLogText(text).events.map((e) => `${e.kind}@${e.line}-${e.endLine}:${e.text}`);

test('any chunking of a real log gives the same events as reading it whole', () => {
  const whole = summary(real);
  for (const size of [1, 7, 64, 1000]) {
    const imp = new LogImporter();
    for (let i = 0; i < real.length; i += size) imp.push(real.slice(i, i + size));
    assert.deepEqual(
      imp.end().events.map((e) => `${e.kind}@${e.line}-${e.endLine}:${e.text}`),
      whole,
      `chunks of ${size}`,
    );
  }
});

test('bytes split inside a UTF-8 character and CRLF line ends change nothing', () => {
  const bytes = new TextEncoder().encode(
    `${real.replace(/\n/g, '\r\n')}[  400.000000] nd_pmem namespace0.0: could not reserve région\r\n`,
  );
  const imp = new LogImporter();
  for (let i = 0; i < bytes.length; i += 3) imp.push(bytes.subarray(i, i + 3));
  const log = imp.end();
  assert.deepEqual(
    log.events.slice(0, 9).map((e) => `${e.kind}@${e.line}-${e.endLine}:${e.text}`),
    summary(real),
  );
  assert.equal(log.events.at(-1)?.fields.message, 'could not reserve région');
});

test('a log cut off inside a splat still yields the splat, and says it was truncated', () => {
  const cut = real.slice(0, real.indexOf('[  369.448465]'));
  const log = importLogText(cut);
  const bug = log.events.find((e) => e.kind === 'bug')!;
  assert.deepEqual(bug.callTrace, ['dump_stack', 'bad_page.cold.114', 'free_pcppages_bulk']);
  assert.equal(log.summary.truncated, true);
  assert.equal(importLogText(real).summary.truncated, false);
});

test('binary input gets one clear message instead of a pile of unknown lines', () => {
  // Synthetic: deterministic pseudo-random bytes, as a core dump or a gzip file would look.
  const bytes = new Uint8Array(65536);
  let x = 12345;
  for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  const imp = new LogImporter({ name: 'vmcore' });
  imp.push(bytes);
  const log = imp.end();
  assert.match(
    log.error ?? '',
    /^vmcore is binary data \(\d+% of its first \d+ characters are not text\), not a kernel log$/,
  );
  assert.equal(log.events.length, 0);
  assert.equal(log.unknownLines.length, 0);
});

test('text that is no log at all, and JSON that is no trace, are each named as such', () => {
  const readme = importLogText('# Memmap Lab\n\nA VS Code extension.\nSee the docs.\n', {
    name: 'README.md',
  });
  assert.match(readme.error ?? '', /^README\.md is not a kernel log: none of its 4 lines/);
  assert.equal(readme.unknownLines.length, 3, 'the lines are still kept');
  const pkg = importLogText('{ "name": "memmap-lab", "version": "0.1.0" }', {
    name: 'package.json',
  });
  assert.equal(pkg.error, 'package.json is JSON but not a Chrome trace (no "traceEvents" array)');
  assert.equal(importLogText('').format, 'empty');
  assert.equal(importLogText('').error, undefined);
});

test('NUL bytes and an over-long line are survived; the line is cut at the limit', () => {
  const log = importLogText(
    `[    1.000000] x86/mm: Memory block size: 128MB\0\n\n${'x'.repeat(100_000)}\n[    2.000000] node 0 deferred pages initialised in 5ms\n`,
    { maxLineLength: 1000 },
  );
  assert.deepEqual(
    log.events.map((e) => e.kind),
    ['memory-block-size', 'deferred-init'],
  );
  assert.equal(log.summary.truncatedLines, 1);
  assert.equal(log.unknownLines[0].text.length, 1000);
});

test('a big log streams through with bounded memory: caps hold, counts stay exact', async () => {
  // Synthetic: 200,000 lines (~13 MB) of noise with an init line every 1,000 (bench/import.bench.ts does 100 MB).
  const lines = 200_000;
  async function* chunks() {
    let buf = '';
    for (let i = 0; i < lines; i++) {
      const t = (i / 1000).toFixed(6).padStart(12);
      buf +=
        i % 1000 === 999
          ? `[${t}] memmap_init_zone_device initialised 524288 pages in 9ms\n`
          : `[${t}] usb 3-4: reset full-speed USB device number ${i % 7} using xhci_hcd\n`;
      if (buf.length > 1 << 16) {
        yield buf;
        buf = '';
      }
    }
    yield buf;
  }
  const log = await importLog(chunks(), {
    maxUnknownLines: 1000,
    maxRawLines: 2000,
    maxEvents: 150,
  });
  assert.equal(log.summary.lines, lines);
  assert.equal(log.summary.byKind['zone-device-init'], 200);
  assert.equal(log.events.length, 150);
  assert.equal(log.summary.droppedEvents, 50);
  assert.equal(log.unknownLines.length, 1000);
  assert.equal(log.summary.unknownLines, lines - 200);
  assert.equal(log.trace.dmesg.length, 2000);
});

test('what an import keeps are copies: a kept line does not keep the megabyte chunk it was cut from', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const chunks = 32;
  const filler = '[    1.000000] usb 3-4: reset full-speed USB device number 3 using xhci_hcd\n';
  const tail = [
    '[    1.000001] memmap_init_zone_device initialised 524288 pages in 9ms',
    '[    1.000002] ------------[ cut here ]------------',
    '[    1.000003] WARNING: CPU: 3 PID: 9 at lib/percpu-refcount.c:196 percpu_ref_switch_to_atomic_rcu+0x127/0x130',
    '[    1.000004]  rcu_core+0x30f/0x530',
    '[    1.000005] ---[ end trace 0000000000000000 ]---',
    '  bash-1234  [001] d.h. 9012.345678: vfs_read <-ksys_read',
    ' 0)   1.234 us    |  memmap_init_zone_device();',
    '[    9.000000][  T650] dax0.0 initialised, 524288 pages in 9ms',
    'lock_stat version 0.4',
    '                          &pgdat->resize_lock:             0              0           0.00           0.00           0.00           0.00              2            210           0.25          10.24         234.11           1.11',
  ].join('\n');
  gc();
  const before = process.memoryUsage().heapUsed;
  const imp = new LogImporter({ maxRawLines: 100 });
  // Each chunk a string of its own, 1 MiB, gone once pushed unless something still points into it.
  for (let i = 0; i < chunks; i++) imp.push(`${tail}\n${filler.repeat((1 << 20) / filler.length)}`);
  const log = imp.end();
  gc();
  const kept = process.memoryUsage().heapUsed - before;
  assert.equal(log.summary.byKind['zone-device-init'], 2 * chunks);
  assert.equal(log.summary.byKind.warning, chunks);
  assert.equal(log.trace.threads.filter((t) => t.name === 'bash-1234').length, 1);
  assert.equal(log.summary.timeJumps, chunks, 'each chunk steps back from 9 s to 1 s');
  assert.equal(log.trace.lockClasses?.length, chunks);
  assert.ok(
    kept < (chunks << 20) / 2,
    `${(kept / 2 ** 20).toFixed(1)} MiB kept of ${chunks} MiB read`,
  );
});

test('importLog stops when cancelled', async () => {
  const ctl = new AbortController();
  ctl.abort();
  await assert.rejects(importLog(real, { signal: ctl.signal }), { name: 'AbortError' });
});

test('Chrome events with a non-numeric or non-finite ts/dur are counted and skipped; a bad otherData.endNs is ignored', () => {
  const good = '{"name":"memmap_init_zone_device","ph":"X","ts":10,"dur":5,"pid":1,"tid":1}';
  const bad = [
    '{"name":"a","ph":"X","ts":"soon","dur":5}',
    '{"name":"b","ph":"X","ts":1e999,"dur":5}',
    '{"name":"c","ph":"X","ts":1,"dur":-1e999}',
    '{"name":"d","ph":"B","ts":null}',
    '{"name":"e","ph":"C","ts":[1],"args":{"value":1}}',
    '{"name":"f","ph":"X","ts":1,"dur":-3}',
    '{"name": oops}',
  ];
  for (const endNs of ['-5', '1e999', '"late"']) {
    const log = importLogText(
      `{"traceEvents":[${[good, ...bad].join(',')}],"otherData":{"endNs":${endNs}}}`,
    );
    assert.equal(log.summary.invalidEvents, bad.length, endNs);
    assert.deepEqual(
      log.trace.spans.map((s) => [s.name, s.start, s.end]),
      [['memmap_init_zone_device', 10_000, 15_000]],
    );
    assert.equal(log.trace.endNs, 15_000, `otherData.endNs ${endNs} is ignored`);
    assert.match(
      formatImport('t.json', log, false),
      /^  7 trace events skipped: not JSON, or a ts\/dur that is not a finite number$/m,
    );
  }
});

test('a stamped line followed by megabytes of unstamped text (a pasted /proc/iomem) imports in linear time', () => {
  const iomem = Array.from(
    { length: 60_000 },
    (_, i) =>
      `  ${(i * 4096).toString(16).padStart(8, '0')}-${(i * 4096 + 4095).toString(16)} : System RAM`,
  ).join('\n');
  const t0 = performance.now();
  const log = importLogText(
    `[    1.000000] iomem:\n${iomem}\n[    2.000000] memmap_init_zone_device initialised 2063872 pages in 34ms\n`,
  );
  const ms = performance.now() - t0;
  assert.ok(
    ms < 10_000,
    `${ms} ms for ${(iomem.length / 1e6).toFixed(1)} MB (it was minutes: each line re-copied the whole message)`,
  );
  assert.equal(log.events.at(-1)?.kind, 'zone-device-init');
  assert.ok(log.summary.unknownLines > 50_000, 'past one printk record the lines stand alone');
});

test('a BUG: line followed by 130 000 short lines is one bounded splat, not a RangeError', () => {
  const log = importLogText(
    `[    1.000000] BUG: unable to handle page fault for address: 0000000000000000\n${'x\n'.repeat(130_000)}`,
  );
  const bug = log.events.find((e) => e.kind === 'bug')!;
  assert.ok(bug.lines!.length <= 400, `${bug.lines!.length} lines kept`);
});

test('per-record state is capped and what is dropped is counted: CPUs, open calls, Chrome threads and open slices', () => {
  const cpus = importLogText(
    Array.from({ length: 10_000 }, (_, i) => ` ${i})   0.100 us    |  f();`).join('\n'),
  );
  assert.equal(cpus.trace.threads.length, 8193, '8192 CPUs and one shared track');
  assert.equal(cpus.summary.droppedState, 10_000 - 8192);
  const deep = importLogText(
    ' 0)   0.100 us    |  g();\n' + ' 0)               |  f() {\n'.repeat(10_000),
  );
  assert.equal(deep.trace.spans.length, 1 + 128, 'as deep as FTRACE_RETFUNC_DEPTH goes');
  assert.equal(deep.summary.droppedState, 10_000 - 128);
  assert.match(
    formatImport('deep.txt', deep, false),
    /^  9872 threads, CPUs, open calls, stack lines, lock_stat rows or time jumps past their caps were not kept$/m,
  );
  const events = Array.from(
    { length: 10_000 },
    (_, i) => `{"name":"s","ph":"B","ts":${i},"pid":1,"tid":${i}}`,
  );
  const chrome = importLogText(
    `{"traceEvents":[${events.join(',')},${'{"name":"d","ph":"B","ts":1,"pid":1,"tid":0},'.repeat(500)}{"name":"x","ph":"X","ts":1,"dur":1}]}`,
  );
  assert.ok(chrome.trace.threads.length <= 8193, `${chrome.trace.threads.length} threads`);
  // Past 8192 (pid, tid) pairs (1808 slices, and the X's 0:0) one track is shared, and only 128 slices stay open on it
  // (1680 more); tid 0 opened 501 slices, 128 kept.
  assert.equal(chrome.summary.droppedState, 1808 + 1 + 1680 + (501 - 128));
});
