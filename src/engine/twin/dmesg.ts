import { parsePrefix } from '../trace/import/prefix';
import {
  inputLines,
  TwinInputError,
  type Origin,
  type SourcedRange,
  type TwinInput,
} from './source';

/** A range the firmware or the kernel put on a NUMA node. */
export interface NodeRange extends SourcedRange {
  node: number;
}

/** What a boot log says about the machine, each fact with the line it came from. */
export interface DmesgFacts {
  release?: { value: string; from: Origin };
  arch?: { value: string; from: Origin };
  /** BIOS-e820 usable ranges (arch/x86/kernel/e820.c e820__print_table()). */
  e820Ram: SourcedRange[];
  /** BIOS-e820 persistent memory: type 7 (ACPI 6 pmem) and type 12 (the legacy PRAM type). */
  e820Pmem: SourcedRange[];
  /** "Early memory node ranges": memblock's RAM per node after the e820 clean-up (mm/mm_init.c free_area_init()). */
  memblock: NodeRange[];
  /** Node spans: SRAT memory affinity (volatile, not hotplug-only), NUMA merges, "Initmem setup node". */
  nodeSpans: NodeRange[];
  /** SRAT memory affinity ranges marked non-volatile (arch/x86/mm/srat.c → drivers/acpi/numa/srat.c). */
  sratPmem: NodeRange[];
  /** Logical CPUs per node, and the lines that show them. */
  cpus: Map<number, Origin[]>;
  /** The boot CPU when only smpboot's announce lines place CPUs: it is never announced. */
  bootCpu?: Origin;
  blockSize?: { value: number; from: Origin };
}

const MEM = String.raw`\[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\]`;
const E820 = new RegExp(String.raw`^BIOS-e820: ${MEM} (.+)$`);
const EARLY = new RegExp(String.raw`^\s*node\s+(\d+): ${MEM}$`);
const SRAT_MEM = new RegExp(String.raw`SRAT: Node (\d+) PXM \d+ ${MEM}(.*)$`);
const NUMA_MERGE = new RegExp(String.raw`^NUMA: Node (\d+) .* -> ${MEM}$`);
const INITMEM = new RegExp(String.raw`^Initmem setup node (\d+) ${MEM}$`);
/** drivers/acpi/numa/srat.c printed each CPU's affinity at KERN_INFO until it became pr_debug. */
const SRAT_CPU = /SRAT: PXM \d+ -> (?:APIC|SAPIC|X2APIC) 0x[0-9a-f]+ -> Node (\d+)/;
/** arch/x86/kernel/smpboot.c announce_cpu(): ".... node  #1, CPUs:      #1", secondary CPUs only. */
const ANNOUNCE = /^\.\.\.\. node\s+#(\d+), CPUs:(.*)$/;
const ARCHES: [RegExp, string][] = [
  [/x86_64|x86-64|amd64/, 'x86_64'],
  [/aarch64|arm64/, 'arm64'],
  [/ppc64|powerpc64/, 'ppc64-radix'],
  [/s390x/, 's390x'],
  [/riscv64/, 'riscv64'],
  [/loongarch64/, 'loongarch64'],
];

/** The message of a log line, past whatever the importer recognises before it (parsePrefix). */
function message(text: string): string {
  return parsePrefix(text).text;
}

function range(m: RegExpExecArray, at: number, from: Origin): SourcedRange {
  return { start: parseInt(m[at], 16), end: parseInt(m[at + 1], 16) + 1, from };
}

/** Reads a boot log (dmesg, journalctl -k, /var/log/kern.log). */
export function readDmesg(input: TwinInput): DmesgFacts {
  const facts: DmesgFacts = {
    e820Ram: [],
    e820Pmem: [],
    memblock: [],
    nodeSpans: [],
    sratPmem: [],
    cpus: new Map(),
  };
  const announced: { node: number; count: number; from: Origin }[] = [];
  let early = false;
  for (const from of inputLines(input)) {
    const msg = message(from.text);
    let m: RegExpExecArray | null;
    if ((m = /^Linux version (\S+)/.exec(msg)) && !facts.release) {
      facts.release = { value: m[1], from };
      const arch = ARCHES.find(([re]) => re.test(msg));
      if (arch) facts.arch = { value: arch[1], from };
    } else if ((m = E820.exec(msg))) {
      if (/^usable$|^System RAM$/.test(m[3])) facts.e820Ram.push(range(m, 1, from));
      else if (/persistent/.test(m[3])) facts.e820Pmem.push(range(m, 1, from));
    } else if (msg === 'Early memory node ranges') early = true;
    else if (early && (m = EARLY.exec(msg)))
      facts.memblock.push({ node: Number(m[1]), ...range(m, 2, from) });
    else if ((m = SRAT_MEM.exec(msg))) {
      const r = { node: Number(m[1]), ...range(m, 2, from) };
      // A hotplug-only range is where memory may appear later, not memory present at boot.
      if (/non-volatile/.test(m[4])) facts.sratPmem.push(r);
      else if (!/hotplug/.test(m[4])) facts.nodeSpans.push(r);
    } else if ((m = NUMA_MERGE.exec(msg)) || (m = INITMEM.exec(msg)))
      facts.nodeSpans.push({ node: Number(m[1]), ...range(m, 2, from) });
    else if ((m = SRAT_CPU.exec(msg)))
      facts.cpus.set(Number(m[1]), [...(facts.cpus.get(Number(m[1])) ?? []), from]);
    else if ((m = ANNOUNCE.exec(msg)))
      announced.push({ node: Number(m[1]), count: (m[2].match(/#\d+/g) ?? []).length, from });
    // A long announce line reaches the log in pieces (pr_cont()), the later ones bare "#N" lists.
    else if (/^\s*(#\d+\s*)+$/.test(msg) && announced.at(-1)?.from.line === from.line - 1) {
      const last = announced.at(-1)!;
      announced.push({ node: last.node, count: (msg.match(/#\d+/g) ?? []).length, from });
    } else if (/^smpboot: CPU0: /.test(msg)) facts.bootCpu = from;
    else if ((m = /^x86\/mm: Memory block size: (\d+)MB$/.exec(msg)))
      facts.blockSize = { value: Number(m[1]) * 2 ** 20, from };
    if (!facts.arch && /^(x86\/|BIOS-e820:)/.test(msg)) facts.arch = { value: 'x86_64', from };
    if (early && !/^\s*node\s+\d+:/.test(msg) && msg !== 'Early memory node ranges') early = false;
  }
  // SRAT's per-CPU lines list every CPU, the boot CPU too; without them, the announce lines list the others.
  if (facts.cpus.size > 0) facts.bootCpu = undefined;
  else
    for (const a of announced)
      facts.cpus.set(a.node, [
        ...(facts.cpus.get(a.node) ?? []),
        ...Array<Origin>(a.count).fill(a.from),
      ]);
  if (
    !facts.release &&
    facts.e820Ram.length === 0 &&
    facts.memblock.length === 0 &&
    facts.nodeSpans.length === 0
  ) {
    throw new TwinInputError(
      input.file,
      'no boot log lines found (no "Linux version", BIOS-e820, SRAT or "Early memory node ranges" line)',
    );
  }
  return facts;
}
