/**
 * Import at any size (benchmark, not a test): writes 50 MB and 200 MB dmesg logs of a real log's
 * shape, mostly plain lines with this domain's messages and splats among them: the whole boot
 * logs of the Debian kernel recordings (test/fixtures/kernels, their `dmesg` sections) and the
 * real dmesg fixtures (test/fixtures/logs, the files stamped on most of their lines), repeated
 * with advancing timestamps. It then measures in one run, each case in a child process of its own so
 * their heaps do not mix: a bare Node `readline` scan of the file (the floor), the streaming
 * import of it as the extension's worker does it (`importLogFile`: awaited reads, the event loop
 * free between chunks) and as the CLI does it (`importLogFileSync`). Reports wall
 * time and peak RSS per case, and writes bench/results/importStream.json.
 *   node --import tsx bench/importStream.bench.ts [sizes in MB, default 50 200]
 */
import { execFileSync } from 'node:child_process';
import {
  createReadStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { importLogFile, importLogFileSync } from '../src/files/importLogFile';

const FIXTURES = join(__dirname, '..', 'test', 'fixtures', 'logs');
const RECORDINGS = join(__dirname, '..', 'test', 'fixtures', 'kernels');
const STAMP = /\[( *)(\d+)\.(\d{6})\]/g;
const MB = 1e6;

interface Measured {
  ms: number;
  peakRssMB: number;
  lines: number;
  events?: number;
}

/** The boot log of each kernel recording: its `==== dmesg ====` section. */
function bootLogs(): string[][] {
  const out: string[][] = [];
  for (const release of readdirSync(RECORDINGS).sort())
    for (const name of readdirSync(join(RECORDINGS, release)).sort()) {
      const text = readFileSync(join(RECORDINGS, release, name), 'utf8');
      const start = text.indexOf('==== dmesg ====\n');
      if (start < 0) continue;
      const rest = text.slice(start + '==== dmesg ====\n'.length);
      out.push(rest.slice(0, rest.indexOf('\n====')).split('\n'));
    }
  return out;
}

/**
 * The real logs the file repeats: every recording's boot log, then the fixtures that are dmesg (a
 * timestamp on at least half their lines), from first to last stamped line.
 */
function realLogs(): string[][] {
  const out: string[][] = bootLogs();
  for (const name of readdirSync(FIXTURES).sort()) {
    const lines = readFileSync(join(FIXTURES, name), 'utf8').split('\n');
    const stamped = lines
      .map((l, i) => (/^\[ *\d+\.\d{6}\]/.test(l) ? i : -1))
      .filter((i) => i >= 0);
    if (stamped.length * 2 < lines.filter((l) => l.trim()).length) continue;
    out.push(lines.slice(stamped[0], stamped.at(-1)! + 1));
  }
  return out;
}

const us = (s: string, frac: string) => Number(s) * 1e6 + Number(frac);

/** Writes `bytes` of log: the fixtures over and over, each copy's stamps moved past the previous copy's. */
async function writeLog(file: string, bytes: number): Promise<void> {
  const pieces = realLogs().map((lines) => {
    const stamps = lines.flatMap((l) => [...l.matchAll(STAMP)].map((m) => us(m[2], m[3])));
    return { text: lines.join('\n') + '\n', first: Math.min(...stamps), last: Math.max(...stamps) };
  });
  const out = createWriteStream(file);
  let written = 0;
  let clock = 0;
  while (written < bytes) {
    for (const p of pieces) {
      const shift = clock - p.first;
      const text = p.text.replace(STAMP, (_, pad: string, s: string, frac: string) => {
        const t = us(s, frac) + shift;
        const secs = String(Math.floor(t / 1e6));
        return `[${secs.padStart(pad.length + s.length)}.${String(t % 1e6).padStart(6, '0')}]`;
      });
      clock += p.last - p.first + 1e6;
      written += Buffer.byteLength(text);
      if (!out.write(text)) await drained(out);
    }
  }
  await new Promise<void>((resolve, reject) =>
    out.end((e?: Error | null) => (e ? reject(e) : resolve())),
  );
}

const drained = (out: WriteStream) => new Promise<void>((resolve) => out.once('drain', resolve));

/** One case, in this process: the child's side. */
async function child(kind: string, file: string): Promise<Measured> {
  const t0 = performance.now();
  let lines = 0;
  let events: number | undefined;
  if (kind === 'readline') {
    for await (const line of createInterface({
      input: createReadStream(file),
      crlfDelay: Infinity,
    }))
      if (line !== undefined) lines++;
  } else {
    const log = kind === 'cli import' ? importLogFileSync(file) : await importLogFile(file);
    lines = log.summary.lines;
    events = log.summary.events;
  }
  const ms = performance.now() - t0;
  return { ms, peakRssMB: process.resourceUsage().maxRSS / 1024, lines, events };
}

async function main(): Promise<void> {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const dir = mkdtempSync(join(tmpdir(), 'memmap-import-bench-'));
  try {
    // The children run this file bundled, as plain Node: no TypeScript loader in their memory or time.
    const script = join(dir, 'bench.js');
    await build({
      entryPoints: [__filename],
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'error',
    });
    const rows: Record<string, unknown>[] = [];
    for (const mb of sizes.length ? sizes : [50, 200]) {
      const file = join(dir, `dmesg-${mb}MB.log`);
      await writeLog(file, mb * MB);
      const cases: Record<string, Measured> = {};
      for (const kind of ['readline', 'import', 'cli import']) {
        const out = execFileSync(process.execPath, [script, '--child', kind, file], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        });
        cases[kind] = JSON.parse(out) as Measured;
        const c = cases[kind];
        rows.push({
          case: `${kind} ${mb} MB`,
          ms: Math.round(c.ms),
          'MB/s': +(mb / (c.ms / 1000)).toFixed(1),
          peakRssMB: Math.round(c.peakRssMB),
          lines: c.lines,
          events: c.events,
        });
      }
      rows.push({
        case: `import speed / readline speed, ${mb} MB`,
        ms: +(cases.readline.ms / cases.import.ms).toFixed(2),
      });
      rmSync(file);
    }
    console.table(rows);
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(
      join(__dirname, 'results', 'importStream.json'),
      JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  void child(process.argv[3], process.argv[4]).then((m) => process.stdout.write(JSON.stringify(m)));
} else {
  void main();
}
