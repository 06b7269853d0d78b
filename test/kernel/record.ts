/**
 * Records every experiment of test/kernel/experiments.txt on every kernel fetch.sh brings:
 * one QEMU boot (TCG) per experiment and kernel, one fixture per boot under
 * test/fixtures/kernels/<uname -r>/<experiment>.txt (format in recording.ts).
 *
 * Usage: node --import tsx test/kernel/record.ts [--kernel SUBSTRING] [--only NAME[,NAME...]]
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parseExperiments, type Experiment } from './recording';

const root = path.resolve(import.meta.dirname, '../..');
const here = path.join(root, 'test/kernel');
const cache = '.kernel-cache';
const runDir = path.join(cache, 'run');
const fixtures = path.join(root, 'test/fixtures/kernels');
// The longest experiment takes about 100 s under TCG.
const BOOT_TIMEOUT_MS = 5 * 60 * 1000;

/** The machine every experiment runs on; the header repeats this sentence. */
const MACHINE =
  'pc (i440FX), TCG, 2 vCPUs; NUMA node 0: cpu 0 + 1 GiB RAM, node 1: cpu 1 + 1 GiB RAM; ' +
  'one NVDIMM on node 1: a 4 GiB + 128 KiB sparse file, 128 KiB of it the label area (region 4 GiB); ' +
  '-m 2G,slots=4,maxmem=8G for pc-dimm hot-add';
const PMEM_FILE_BYTES = 4 * 2 ** 30 + 128 * 2 ** 10;

/** pr_debug on for the memmap, memremap and hotplug paths (the modules get dyndbg=+p from /init). */
const DYNDBG =
  'file mm/mm_init.c +p; file mm/page_alloc.c +p; file mm/memremap.c +p; file mm/memory_hotplug.c +p; file drivers/nvdimm/* +p';
const APPEND = `console=ttyS0 panic=-1 log_buf_len=4M dyndbg="${DYNDBG}"`;

interface Kernel {
  tree: string;
  pkg: string;
  version: string;
  release: string;
}

function parseArgs(argv: string[]): { kernel?: string; only?: Set<string> } {
  const out: { kernel?: string; only?: Set<string> } = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--kernel') out.kernel = argv[++i];
    else if (argv[i] === '--only') out.only = new Set(argv[++i].split(','));
    else
      throw new Error(
        `record: unknown argument ${argv[i]} (use --kernel SUBSTRING, --only NAME[,NAME...])`,
      );
  }
  return out;
}

function fetchKernels(): Kernel[] {
  const out = execFileSync('bash', [path.join(here, 'fetch.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [tree, pkg, version] = line.split(' ');
      const release = fs.readdirSync(path.join(tree, 'root/lib/modules'))[0];
      return { tree: path.relative(root, tree), pkg, version, release };
    });
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function qemuArgs(k: Kernel, initrd: string): string[] {
  const vmlinuz = path.join(k.tree, 'root/boot', `vmlinuz-${k.release}`);
  return [
    '-machine',
    'pc,nvdimm=on',
    '-accel',
    'tcg',
    '-smp',
    '2',
    '-m',
    '2G,slots=4,maxmem=8G',
    '-object',
    'memory-backend-ram,id=ram0,size=1G',
    '-object',
    'memory-backend-ram,id=ram1,size=1G',
    '-numa',
    'node,nodeid=0,cpus=0,memdev=ram0',
    '-numa',
    'node,nodeid=1,cpus=1,memdev=ram1',
    '-object',
    `memory-backend-file,id=mem1,share=on,mem-path=${runDir}/pmem.img,size=${PMEM_FILE_BYTES}`,
    '-device',
    'nvdimm,id=nvdimm1,memdev=mem1,label-size=128K,node=1',
    '-kernel',
    vmlinuz,
    '-initrd',
    initrd,
    '-append',
    APPEND,
    '-nographic',
    '-no-reboot',
    '-monitor',
    'none',
    '-serial',
    'stdio',
    '-serial',
    `file:${runDir}/ttyS1.txt`,
    '-qmp',
    `unix:${runDir}/qmp.sock,server=on,wait=off`,
  ];
}

/** The QMP monitor: each `@@HOST <HMP command>` line of the guest runs as human-monitor-command. */
class Qmp {
  private buf = '';
  private waiters: ((msg: Record<string, unknown>) => void)[] = [];
  private constructor(private readonly sock: net.Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      this.buf += d;
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        const msg = JSON.parse(this.buf.slice(0, nl)) as Record<string, unknown>;
        this.buf = this.buf.slice(nl + 1);
        if ('return' in msg || 'error' in msg || 'QMP' in msg) this.waiters.shift()?.(msg);
      }
    });
  }

  static async connect(sockPath: string): Promise<Qmp> {
    const sock = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.createConnection(sockPath, () => resolve(s));
      s.once('error', reject);
    });
    const qmp = new Qmp(sock);
    await qmp.next();
    await qmp.execute({ execute: 'qmp_capabilities' });
    return qmp;
  }

  private next(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  execute(cmd: Record<string, unknown>): Promise<Record<string, unknown>> {
    const p = this.next();
    this.sock.write(JSON.stringify(cmd) + '\n');
    return p;
  }

  async hmp(commandLine: string): Promise<string> {
    const r = await this.execute({
      execute: 'human-monitor-command',
      arguments: { 'command-line': commandLine },
    });
    if ('error' in r) return `error: ${JSON.stringify(r.error)}`;
    return String(r.return ?? '');
  }

  close(): void {
    this.sock.destroy();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function boot(
  k: Kernel,
  baseInitrd: string,
  exp: Experiment,
): Promise<{ body: string; monitor: string[]; command: string } | { error: string }> {
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(runDir, 'exp'), { recursive: true });
  // The experiment is a second cpio archive appended to the base one (the kernel unpacks both).
  fs.writeFileSync(path.join(runDir, 'exp/experiment.sh'), exp.script);
  const expCpio = execFileSync('cpio', ['-o', '-H', 'newc', '--quiet'], {
    cwd: path.join(runDir, 'exp'),
    input: 'experiment.sh\n',
  });
  const initrd = path.join(runDir, 'initrd.img');
  fs.writeFileSync(initrd, Buffer.concat([fs.readFileSync(baseInitrd), expCpio]));
  fs.writeFileSync(path.join(runDir, 'ttyS1.txt'), '');
  fs.closeSync(fs.openSync(path.join(runDir, 'pmem.img'), 'w'));
  fs.truncateSync(path.join(runDir, 'pmem.img'), PMEM_FILE_BYTES);

  const args = qemuArgs(k, initrd);
  const command = ['qemu-system-x86_64', ...args].map(shellQuote).join(' ');
  // The console (ttyS0) goes to a file, readable while the guest runs.
  const consoleFd = fs.openSync(path.join(root, runDir, 'console.log'), 'w');
  const qemu = spawn('qemu-system-x86_64', args, {
    cwd: root,
    stdio: ['ignore', consoleFd, consoleFd],
  });
  fs.closeSync(consoleFd);
  let exited = false;
  qemu.on('exit', () => (exited = true));

  const monitor: string[] = [];
  let qmp: Qmp | undefined;
  let handled = 0;
  const started = Date.now();
  const ttyS1 = path.join(root, runDir, 'ttyS1.txt');
  let out = '';
  try {
    while (!exited && Date.now() - started < BOOT_TIMEOUT_MS) {
      await sleep(250);
      out = fs.readFileSync(ttyS1, 'utf8').replace(/\r/g, '');
      const hostLines = out.split('\n').filter((l) => l.startsWith('@@HOST '));
      for (; handled < hostLines.length; handled++) {
        const cmd = hostLines[handled].slice('@@HOST '.length);
        qmp ??= await Qmp.connect(path.join(root, runDir, 'qmp.sock'));
        const reply = await qmp.hmp(cmd);
        monitor.push(`(qemu) ${cmd}`, ...reply.split(/\r?\n/).filter(Boolean));
      }
      if (out.includes('\n@@END')) break;
    }
    // poweroff -f follows @@END at once; give it a moment, then make sure.
    for (let i = 0; i < 40 && !exited; i++) await sleep(250);
  } finally {
    qmp?.close();
    if (!exited) qemu.kill('SIGKILL');
  }
  out = fs.readFileSync(ttyS1, 'utf8').replace(/\r/g, '');
  const begin = out.indexOf('@@BEGIN\n');
  const end = out.indexOf('\n@@END');
  if (begin < 0 || end < 0) {
    return {
      error: exited
        ? 'QEMU exited without a complete recording'
        : `no complete recording after ${BOOT_TIMEOUT_MS / 1000} s`,
    };
  }
  return { body: out.slice(begin + '@@BEGIN\n'.length, end + 1), monitor, command };
}

function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const experiments = parseExperiments(
    fs.readFileSync(path.join(here, 'experiments.txt'), 'utf8'),
  ).filter((e) => !opts.only || opts.only.has(e.name));
  if (opts.only)
    for (const n of opts.only)
      if (!experiments.some((e) => e.name === n))
        throw new Error(`record: no experiment named ${n} in experiments.txt`);
  const kernels = fetchKernels().filter((k) => !opts.kernel || k.release.includes(opts.kernel));
  const qemuVersion = execFileSync('qemu-system-x86_64', ['--version'], { encoding: 'utf8' }).split(
    '\n',
  )[0];
  const failures: string[] = [];
  const t0 = Date.now();
  for (const k of kernels) {
    const base = path.join(cache, k.pkg, 'initramfs-base.cpio');
    execFileSync('bash', [path.join(here, 'initramfs.sh'), k.tree, base], {
      cwd: root,
      stdio: 'inherit',
    });
    for (const exp of experiments) {
      const t = Date.now();
      // A guest under function_graph has been seen to hang once in a while under TCG: one more boot.
      let r = await boot(k, base, exp);
      if ('error' in r) {
        console.log(`record: ${k.release} ${exp.name}: ${r.error}; booting once more`);
        r = await boot(k, base, exp);
      }
      const secs = ((Date.now() - t) / 1000).toFixed(0);
      if ('error' in r) {
        failures.push(`${k.release}/${exp.name}: ${r.error}`);
        // Kept out of runDir, which the next boot clears.
        const log = path.join(cache, 'failed', `${k.release}-${exp.name}.console.log`);
        fs.mkdirSync(path.join(root, cache, 'failed'), { recursive: true });
        fs.copyFileSync(path.join(root, runDir, 'console.log'), path.join(root, log));
        console.log(
          `record: ${k.release} ${exp.name}: FAILED (${r.error}; console in ${log}) after ${secs} s`,
        );
        continue;
      }
      const header = [
        `kernel-package: ${k.pkg} ${k.version}`,
        `uname-r: ${k.release}`,
        `experiment: ${exp.name}`,
        `machine: ${MACHINE}`,
        `qemu-version: ${qemuVersion}`,
        `qemu-command: ${r.command}`,
      ];
      const text = [
        '==== header ====',
        ...header,
        '==== script ====',
        exp.script.trimEnd(),
        '==== qemu-monitor ====',
        ...r.monitor,
        r.body.trimEnd(),
        '',
      ].join('\n');
      const file = path.join(fixtures, k.release, `${exp.name}.txt`);
      writeAtomically(file, text);
      console.log(
        `record: ${k.release} ${exp.name}: ${(text.length / 1024).toFixed(0)} KiB in ${secs} s`,
      );
      // Fixtures stay reviewable text: a trace that grew past this wants another set_graph_notrace.
      if (text.length >= 1024 * 1024)
        failures.push(
          `${k.release}/${exp.name}: ${(text.length / 1024).toFixed(0)} KiB, over 1 MiB`,
        );
    }
  }
  console.log(
    `record: ${kernels.length} kernels x ${experiments.length} experiments in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  if (failures.length) {
    console.log(`record: ${failures.length} failed:\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
