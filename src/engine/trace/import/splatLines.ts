import type { InstantLevel } from '../model';
import type { LogEventKind } from './types';

/** How a line opens a WARN/BUG/Oops splat, if it does. */
export interface SplatStart {
  kind: LogEventKind;
  level: InstantLevel;
  /** `cut here` and `WARNING:` lines open a WARN; the others a BUG/Oops/hung task. */
  warning: boolean;
  /** A header line that continues an open BUG splat instead of opening a new one ("Oops: 0002 [#1]"). */
  continuesBug: boolean;
}

const STARTS: [RegExp, Omit<SplatStart, 'continuesBug'>, boolean][] = [
  [/^-+\[ cut here \]-+$/, { kind: 'warning', level: 'warn', warning: true }, false],
  [/^WARNING: /, { kind: 'warning', level: 'warn', warning: true }, false],
  [/^BUG: /, { kind: 'bug', level: 'bug', warning: false }, false],
  // lib/bug.c: report_bug(): "kernel BUG at %s:%u!", or "Kernel BUG at %pB [verbose debug info unavailable]".
  [/^[Kk]ernel BUG at /, { kind: 'bug', level: 'bug', warning: false }, false],
  [/^general protection fault/, { kind: 'bug', level: 'bug', warning: false }, false],
  [/^Unable to handle kernel /, { kind: 'bug', level: 'bug', warning: false }, true],
  [/^(?:Internal error: )?Oops[: ]/, { kind: 'oops', level: 'bug', warning: false }, true],
  [
    /^INFO: task \S+ blocked for more than \d+ seconds/,
    { kind: 'hung-task', level: 'warn', warning: false },
    false,
  ],
  [/^Kernel panic - not syncing/, { kind: 'bug', level: 'bug', warning: false }, true],
];

/** The first characters the STARTS patterns begin with: a line starting otherwise opens nothing. */
const FIRST_CHARS = '-WBKkgUOI';
const FIRST = new RegExp(`^\\s*[${FIRST_CHARS}]`);

/** All of STARTS in one pattern: a line none of them opens is turned away by one test, not nine. */
const ANY_START = new RegExp(`^(?:${STARTS.map(([re]) => re.source.slice(1)).join('|')})`);

export function splatStart(text: string): SplatStart | undefined {
  // Most lines begin with a printable ASCII character that is none of them: no pattern needed.
  const c = text.charCodeAt(0);
  if (c > 32 && c < 127 && !FIRST_CHARS.includes(text[0])) return undefined;
  if (!FIRST.test(text)) return undefined;
  const t = text.trim();
  if (!ANY_START.test(t)) return undefined;
  for (const [re, s, continuesBug] of STARTS) if (re.test(t)) return { ...s, continuesBug };
  return undefined;
}

export const SPLAT_END = /^---\[ end (?:trace|Kernel panic)/;

/**
 * Lines a splat is made of besides its call trace: the CPU/hardware header, register dumps (x86,
 * s390 PSW/GPRS, ppc64 NIP/LR/MSR), code bytes, page dumps, and the `[..]` elisions people use
 * when they paste one.
 */
const BODY = new RegExp(
  [
    String.raw`^(?:CPU: |Hardware name|Modules linked in|RIP: |EIP: |RSP: |R[A-Z0-9]{2}: |E[A-Z]{2}: |FS: |CS: |CR2: |DR\d: |Code: |Call Trace:|Workqueue: )`,
    String.raw`^(?:Krnl |Last Breaking-Event-Address|(?:NIP|LR)(?::\s| \[)|REGS: |MSR: |CFAR: |GPR\d|Instruction dump|Faulting instruction address|[LB]E PAGE_SIZE)`,
    String.raw`^(?:page:|flags: |raw: |page dumped because|Disabling lock debugging|#PF: |PGD |note: |Kernel Offset|Kernel panic|Stack :|epc :|ra :|status: |ESR = |pstate: |pc : |lr : |sp : |x\d+: )`,
    // x86 BUG(): ud2 ends in die("invalid opcode") after report_bug() printed "kernel BUG at";
    // ARM32 __die() and dump_backtrace() (arch/arm/kernel/traps.c): registers, the exception stack and its rows.
    String.raw`^(?:(?:Oops: )?invalid opcode: |Internal error: |PC is at |LR is at |psr: |r\d+ ?: |Flags: |Control: |Process \S+ \(pid: |Stack: \(0x|Backtrace:|Exception stack\(|[0-9a-f]{4}: [0-9a-f ]{8})`,
    String.raw`^(?:\[\.\.\]|\.{3,4}|<\/?(?:IRQ|TASK|NMI|EOI)>|"echo 0 > \/proc\/sys\/kernel\/hung_task_timeout_secs".*|task:\S+ .*state:)$`,
    String.raw`^\s*#?>?[0-9a-f]{8,}: `,
    String.raw`^\s+R:\d `,
    // Code words (ppc64 "Instruction dump:", ARM "Code:"), the faulting one in <> or ().
    String.raw`^\s*(?:[<(]?[0-9a-f]{8,16}[>)]?\s+){2,}[<(]?[0-9a-f]{8,16}[>)]?\s*$`,
  ].join('|'),
);

export function isSplatBody(text: string): boolean {
  return BODY.test(text.trim()) || BODY.test(text);
}

export interface Frame {
  name: string;
  reliable: boolean;
  arch?: 'x86' | 's390' | 'ppc64' | 'arm';
}

const X86_FRAME = /^\s*(\? )?([A-Za-z_.$][\w.$]*)\+0x[0-9a-f]+\/0x[0-9a-f]+(?: \[\w+\])?\s*$/;
const ADDR_FRAME = /^\s*(\()?\[<([0-9a-f]+)>\] (\S+?)\)?(?: \[\w+\])?\s*$/;
const PPC_FRAME = /^\s*\[c?[0-9a-f]+\] \[c?[0-9a-f]+\] (\S+)( \(unreliable\))?\s*$/;
const BARE_FRAME = /^\s+([A-Za-z_][\w.]*)\s*$/;
/**
 * ARM32, arch/arm/kernel/traps.c: dump_backtrace_entry(): `[<where>] (%ps) from [<from>] (%pS)` with
 * CONFIG_BACKTRACE_VERBOSE (and always before it existed), else ` %ps from %pS`. The frame is `where`.
 */
const ARM_FRAME =
  /^\s*(?:\[<[0-9a-f]+>\] \(([A-Za-z_.$][\w.$]*)\) from \[<[0-9a-f]+>\] \(\S+\)|([A-Za-z_.$][\w.$]*) from [A-Za-z_.$][\w.$]*\+0x[0-9a-f]+\/0x[0-9a-f]+(?: \[\w+\])?)\s*$/;

const symbol = (s: string) => s.replace(/\+0x[0-9a-f]+\/0x[0-9a-f]+$/, '');

/**
 * One call trace frame in any of the styles the kernel prints: x86 (`func+0x1f/0x40`, `? ` for
 * unreliable), ARM32 (`[<addr>] (func) from [<addr>] (caller+off/len)`), s390/arm64/riscv
 * (`[<addr>] func+off/len`, parenthesised when unreliable), ppc64
 * (`[sp] [ip] func+off/len (unreliable)`), or the emulator's bare names when `bare` is allowed.
 */
export function parseFrame(text: string, bare: boolean): Frame | undefined {
  let m = X86_FRAME.exec(text);
  if (m) return { name: m[2], reliable: !m[1], arch: 'x86' };
  if ((m = PPC_FRAME.exec(text))) {
    const name = symbol(m[1]);
    return { name, reliable: !m[2] && !/^0x/.test(name), arch: 'ppc64' };
  }
  if ((m = ARM_FRAME.exec(text))) return { name: m[1] ?? m[2], reliable: true, arch: 'arm' };
  if ((m = ADDR_FRAME.exec(text))) {
    const name = symbol(m[3]);
    return { name, reliable: !m[1] && !/^0x/.test(name), arch: 's390' };
  }
  if (bare && (m = BARE_FRAME.exec(text))) return { name: m[1], reliable: true };
  return undefined;
}

/** Fields of a splat's header lines (WARNING location, CPU/PID/comm, kernel release, faulting IP). */
const WARNING_AT = /^WARNING: (?:CPU: (\d+) PID: (\d+) )?at (\S+)(?: (\S+))?/;
const CPU_LINE =
  /^CPU: (\d+) (?:UID: \d+ )?PID: (\d+) Comm: (\S+)(?: Kdump: \S+)? (?:Not tainted|Tainted: .*?) +(\S+) #/;
const IP_LINE = /^(?:RIP: \w+:|NIP \[\w+\] |EIP: )(\S+)/;
const PSW_LINE = /^Krnl PSW : \S+ \S+ \((\S+)\)/;
const HARDWARE = /^Hardware name: (.*)$/;

export function headerFields(text: string, into: Record<string, string | number>): void {
  const t = text.trim();
  let m = WARNING_AT.exec(t);
  if (m) {
    if (m[1] !== undefined) into.cpu ??= +m[1];
    if (m[2] !== undefined) into.pid ??= +m[2];
    into.location ??= m[3];
    if (m[4] && m[4] !== 'unknown') into.function ??= symbol(m[4]);
    return;
  }
  if ((m = CPU_LINE.exec(t))) {
    into.cpu ??= +m[1];
    into.pid ??= +m[2];
    into.comm ??= m[3];
    into.kernel ??= m[4];
    return;
  }
  if ((m = IP_LINE.exec(t)) || (m = PSW_LINE.exec(t))) {
    into.ip ??= symbol(m[1]);
    return;
  }
  if ((m = HARDWARE.exec(t))) into.hardware ??= m[1];
}
