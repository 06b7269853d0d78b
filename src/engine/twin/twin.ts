import { parsePrefix, startsMessage } from '../trace/import/prefix';
import { ARCH_PRESETS, findArch } from '../arch/presets';
import { LAST_RELEASE } from '../kernel/release';
import { versionName } from '../kernel/version';
import { printable } from '../printable';
import { kernelNameProblem } from '../scenario/kernelName';
import { LIMITS } from '../scenario/limits';
import { formatSize, hex } from '../units';
import { readDaxctl } from './daxctl';
import { readDmesg, type DmesgFacts } from './dmesg';
import { readIomem } from './iomem';
import { kmemSteps, type TwinStep } from './kmemSteps';
import { readMemoryBlocks, type MemoryBlockFacts } from './memoryBlocks';
import { nodeCpus, numactlWarnings, type NodeCpus } from './nodes';
import { readNumactl, type NumactlFacts } from './numactl';
import { bootRam, pmemRegions, ramEnd, type PmemRegion } from './machine';
import { readNdctl } from './ndctl';
import { twinDevices, type TwinDevice } from './namespaces';
import type { Placed } from './ranges';
import { inputLines, quote, TwinInputError, type TwinInput, type TwinWarning } from './source';

/** The inputs `memmap-lab twin` reads, told apart by their first line. */
export const INPUT_KINDS = {
  dmesg: 'boot log (dmesg, journalctl -k)',
  ndctl: '`ndctl list` JSON',
  daxctl: '`daxctl list` JSON',
  iomem: '/proc/iomem',
  memory: 'lsmem or /sys/devices/system/memory',
  numactl: '`numactl -H`',
} as const;
export type InputKind = keyof typeof INPUT_KINDS;

/** A value no input gives, which the user can give instead of the default. */
export interface TwinUnknown {
  key: keyof TwinAnswers;
  /** What the scenario says when nobody answers. */
  default: string;
  /** Why no input gives it. */
  why: string;
}

/** Values the user gave for what no input says (the editor asks; the CLI takes flags). */
export interface TwinAnswers {
  arch?: string;
  kernel?: string;
  /** The NUMA node of the RAM and pmem ranges no input places, as a decimal number. */
  node?: string;
}

export interface TwinResult {
  /** The scenario text, every value commented with the input line it came from. */
  scenario: string;
  warnings: TwinWarning[];
  kinds: { file: string; kind: InputKind }[];
  /** What no input gave and nobody answered: written as a commented default. */
  unknowns: TwinUnknown[];
}

const NO_ARCH = 'no boot log line names the architecture';
const NO_RELEASE = 'no "Linux version" line; the newest modelled release';
const ANSWERED = 'given when the twin was built (no input names it)';

/** Why `answers` cannot be used: an unknown architecture or a kernel the emulator does not model. */
export function twinAnswerProblem(key: keyof TwinAnswers, value: string): string | undefined {
  if (key === 'node')
    return /^\d{1,4}$/.test(value) && Number(value) < LIMITS.nodes
      ? undefined
      : `node '${printable(value)}': expected a NUMA node number below ${LIMITS.nodes}`;
  if (key === 'arch')
    return findArch(value)
      ? undefined
      : `unknown architecture '${printable(value)}' (one of: ${ARCH_PRESETS.map((a) => a.name).join(', ')})`;
  return releaseProblem(value);
}

/** Why a release named by a log line or by the user is not one the emulator models. */
function releaseProblem(name: string): string | undefined {
  const problem = /^[\w.+~-]+$/.test(name)
    ? kernelNameProblem(name)
    : { message: 'not a release name' };
  return problem && `kernel ${printable(name)}: ${problem.message}`;
}

const IOMEM_LINE = /^ *[0-9a-f]+-[0-9a-f]+ : /;

const MEMORY_LINE =
  /^\s*(RANGE\s+SIZE\b|\/sys\/devices\/system\/memory\/|block_size_bytes\b|memory\d+\s+\w+=)/;

/**
 * Which input a file is, by its first line: JSON is ndctl's (it names a "dev") or daxctl's,
 * `start-end : name` lines /proc/iomem's, an lsmem header or sysfs memory paths the block
 * listing, "available: N nodes" numactl's; anything else a log.
 */
export function inputKind(input: TwinInput): InputKind {
  const first = inputLines(input).find((l) => l.text.trim() !== '');
  if (!first)
    throw new TwinInputError(
      input.file,
      `empty file (expected one of: ${Object.values(INPUT_KINDS).join(', ')})`,
    );
  // A `[` also opens dmesg's stamps (`[    0.000000]`, `-d`'s `[ 0.000000 < 0.000000>]`, `-T`'s date).
  if (/^\s*[[{]/.test(first.text) && !startsMessage(parsePrefix(first.text))) {
    return !/"dev"\s*:/.test(input.text) && /"(chardev|devices)"\s*:/.test(input.text)
      ? 'daxctl'
      : 'ndctl';
  }
  if (IOMEM_LINE.test(first.text)) return 'iomem';
  if (MEMORY_LINE.test(first.text)) return 'memory';
  return /^available: \d+ nodes? \(/.test(first.text.trim()) ? 'numactl' : 'dmesg';
}

/**
 * Builds the scenario of the machine the inputs describe: boot, then probe every namespace.
 * `answers` fill what no input gives (an input that gives it wins); throws TwinInputError for an
 * input that is not one, or an answer that cannot be used.
 */
export function twinScenario(inputs: TwinInput[], answers: TwinAnswers = {}): TwinResult {
  for (const key of ['arch', 'kernel', 'node'] as const) {
    const value = answers[key];
    const problem = value === undefined ? undefined : twinAnswerProblem(key, value);
    if (problem) throw new TwinInputError(`--${key}`, problem);
  }
  const kinds = inputs.map((input) => ({ file: input.file, kind: inputKind(input) }));
  const one = (kind: InputKind): TwinInput | undefined => {
    const of = inputs.filter((_, i) => kinds[i].kind === kind);
    if (of.length > 1)
      throw new TwinInputError(
        of[1].file,
        `another ${INPUT_KINDS[kind]} (the first is ${of[0].file}): give one of each kind`,
      );
    return of[0];
  };
  const [dIn, nIn, ioIn, daxIn, memIn, numaIn] = [
    one('dmesg'),
    one('ndctl'),
    one('iomem'),
    one('daxctl'),
    one('memory'),
    one('numactl'),
  ];
  const d = dIn && readDmesg(dIn);
  const nd = nIn && readNdctl(nIn);
  const io = ioIn && readIomem(ioIn);
  const dax = daxIn && readDaxctl(daxIn);
  const blocks = memIn && readMemoryBlocks(memIn);
  const numa = numaIn && readNumactl(numaIn);
  const warnings: TwinWarning[] = [];
  const arch = d?.arch?.value ?? answers.arch ?? 'x86_64';
  const kernel = d?.release?.value ?? answers.kernel ?? versionName(LAST_RELEASE);
  const unknowns: TwinUnknown[] = [];
  if (!d?.arch && !answers.arch) unknowns.push({ key: 'arch', default: arch, why: NO_ARCH });
  if (!d?.release && !answers.kernel)
    unknowns.push({ key: 'kernel', default: kernel, why: NO_RELEASE });
  const logged = d?.release && releaseProblem(kernel);
  if (logged) throw new TwinInputError(d.release!.from.file, logged, d.release!.from.line);
  const page = findArch(arch)!.pageSize;
  const ram = bootRam(d, io, blocks, page, warnings);
  const pmem = pmemRegions(d, io, nd, ramEnd(ram), warnings);
  const unplaced = [...ram, ...pmem].filter((r) => r.nodeFrom === undefined);
  if (unplaced.length && answers.node !== undefined)
    for (const r of unplaced) Object.assign(r, { node: Number(answers.node), nodeGiven: true });
  else if (unplaced.length)
    unknowns.push({
      key: 'node',
      default: '0',
      why: `no input names the NUMA node of ${unplaced.length} range(s), the first ${quote(unplaced[0].from)}`,
    });
  const devices = nd ? twinDevices(nd, io, pmem, kernel, arch, warnings) : [];
  const steps = kmemSteps(nd, dax, blocks, warnings);
  if (ram.length === 0)
    warnings.push({
      message:
        'no input gives the boot RAM (give the boot log or /proc/iomem): the scenario has none',
      lines: [],
    });
  blockSizeWarning(d, blocks, warnings);
  const cpus = nodeCpus(
    d,
    numa,
    [...ram, ...pmem].map((r) => r.node),
    warnings,
  );
  numactlWarnings(numa, ram, warnings);
  return {
    scenario: emit({
      inputs: kinds,
      d,
      blocks,
      cpus,
      numa,
      arch,
      kernel,
      answers,
      ram,
      pmem,
      devices,
      steps,
    }),
    warnings,
    kinds,
    unknowns,
  };
}

/** The block size the log prints and the one lsmem or sysfs shows must be the same. */
function blockSizeWarning(
  d: DmesgFacts | undefined,
  blocks: MemoryBlockFacts | undefined,
  warnings: TwinWarning[],
): void {
  const [a, b] = [d?.blockSize, blocks?.blockSize];
  if (!a || !b || a.value === b.value) return;
  warnings.push({
    message: `the boot log says memory blocks of ${formatSize(a.value)}, ${b.from.file} says ${formatSize(b.value)} (another machine, or another boot?)`,
    lines: [a.from, b.from],
  });
}

interface Twin {
  inputs: { file: string; kind: InputKind }[];
  d?: DmesgFacts;
  blocks?: MemoryBlockFacts;
  cpus: NodeCpus[];
  numa?: NumactlFacts;
  arch: string;
  kernel: string;
  answers: TwinAnswers;
  ram: Placed[];
  pmem: PmemRegion[];
  devices: TwinDevice[];
  steps: TwinStep[];
}

const comment = (yaml: string, why: string) => `${yaml}  # ${why}`;
/** A name as YAML: plain when it is a plain word, else a JSON string (which YAML reads too). */
const yamlName = (s: string) => (/^[A-Za-z][\w.:-]*$/.test(s) ? s : JSON.stringify(s));

function emit(t: Twin): string {
  const { d } = t;
  const out = [
    `# memmap-lab twin: the machine ${t.inputs.map((i) => `${i.file} (${INPUT_KINDS[i.kind]})`).join(', ')} describe${t.inputs.length === 1 ? 's' : ''}.`,
    '# Each value names the input line it came from; "default" marks what no input gave.',
    '# /proc/iomem names no NUMA node: the nodes come from the boot log (SRAT, memblock) and ndctl.',
    comment(
      `name: ${JSON.stringify(`twin of ${t.inputs.map((i) => i.file).join(' + ')}`)}`,
      'default: named after the inputs',
    ),
    comment(
      `arch: ${t.arch}`,
      d?.arch
        ? quote(d.arch.from) + (t.arch === 'arm64' ? '; 4 KiB pages assumed (default)' : '')
        : t.answers.arch
          ? ANSWERED
          : `default: ${NO_ARCH}`,
    ),
    comment(
      `kernel: ${t.kernel}`,
      d?.release ? quote(d.release.from) : t.answers.kernel ? ANSWERED : `default: ${NO_RELEASE}`,
    ),
  ];
  const size = d?.blockSize ?? t.blocks?.blockSize;
  if (size)
    out.push(
      `# memory block size ${formatSize(size.value)}: ${quote(size.from)}; the emulator derives it from the machine (arch/x86/mm/init_64.c probe_memory_block_size())`,
    );
  out.push('machine:', '  nodes:');
  for (const [n, c] of t.cpus.entries()) {
    out.push(comment(`    - { cpus: ${c.count} }`, `node ${n}: ${c.why}`));
  }
  if (t.ram.length) out.push('  ram:');
  for (const r of t.ram)
    out.push(
      comment(
        `    - { node: ${r.node}, start: ${hex(r.start)}, size: ${hex(r.end - r.start)} }`,
        `${quote(r.from)}${nodeWhy(r)}`,
      ),
    );
  if (t.pmem.length) out.push('  pmem:');
  for (const r of t.pmem) {
    const where = r.defaultAddress ? `${quote(r.from)}: ${r.defaultAddress}` : quote(r.from);
    out.push(
      comment(
        `    - { node: ${r.node}, start: ${hex(r.start)}, size: ${hex(r.end - r.start)} }`,
        `${where}${nodeWhy(r)}`,
      ),
    );
  }
  out.push(t.devices.length ? 'devices:' : 'devices: []');
  for (const dev of t.devices) {
    out.push(comment(`  - name: ${yamlName(dev.name)}`, `${dev.from.file}:${dev.from.line}`));
    for (const f of dev.fields) out.push(comment(`    ${f.key}: ${f.value}`, f.why));
  }
  out.push('steps:', comment('  - boot', 'the machine as its boot log shows it'));
  if (t.devices.length)
    out.push(
      comment(
        `  - probe: [${t.devices.map((x) => yamlName(x.name)).join(', ')}]`,
        'every fsdax/devdax namespace ndctl lists, as the kernel probes them',
      ),
    );
  for (const step of t.steps) out.push(comment(`  - ${step.yaml}`, step.why));
  return out.join('\n') + '\n';
}

function nodeWhy(r: Placed): string {
  return r.nodeFrom === undefined
    ? r.nodeGiven
      ? `; node: ${ANSWERED}`
      : '; node: default (no input names it)'
    : r.nodeFrom === r.from
      ? ''
      : `; node: ${quote(r.nodeFrom)}`;
}
