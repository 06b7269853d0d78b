import type { DiagnosticCode } from '../trace/diagnosticCodes';
import type { Ctx } from './context';

/**
 * The emulated kernel's messages, in the kernel's words. A WARN/BUG carries a splat whose call
 * trace is the thread's open spans, innermost first, as the real one lists its callers.
 */
function callTrace(x: Ctx): string[] {
  return [
    'Call Trace:',
    ...x.k.rec
      .openSpans(x.t.id)
      .reverse()
      .map((name) => ` ${name}`),
  ];
}

function header(x: Ctx): string {
  return `CPU: ${x.t.node ?? 0} PID: ${1000 + x.t.id} Comm: ${x.t.name} Kdump: loaded Not tainted ${x.k.f.version.slice(1)}.0 #1`;
}

/**
 * WARN(1, message) at a kernel file: the message, the WARNING line, the trace. `at` names the
 * warning function when the thread has no span of its own (an RCU callback).
 */
export function warn(
  x: Ctx,
  code: DiagnosticCode,
  message: string,
  file: string,
  fields?: Record<string, string | number>,
  at?: string,
): void {
  const fn = at ?? x.k.rec.openSpans(x.t.id).at(-1) ?? 'unknown';
  const lines = [
    '------------[ cut here ]------------',
    ...message.split('\n'),
    `WARNING: CPU: ${x.t.node ?? 0} PID: ${1000 + x.t.id} at ${file} ${fn}`,
    header(x),
    ...callTrace(x),
    '---[ end trace ]---',
  ];
  x.k.rec.printk({
    level: 'warn',
    code,
    text: message.split('\n')[0],
    lines,
    step: x.step,
    device: x.device,
    node: x.t.node,
    thread: x.t.id,
    fields,
  });
}

/**
 * A BUG or oops: the headline, the splat, the trace; the caller then kills the thread. What the
 * kernel prints before the BUG (VM_BUG_ON_*'s dump_page()) comes first, in `before`.
 */
export function bug(
  x: Ctx,
  code: DiagnosticCode,
  headline: string,
  detail: string[],
  fields?: Record<string, string | number>,
  before: string[] = [],
): void {
  const lines = [...before, headline, ...detail, header(x), ...callTrace(x), '---[ end trace ]---'];
  x.k.rec.printk({
    level: 'bug',
    code,
    text: headline,
    lines,
    step: x.step,
    device: x.device,
    node: x.t.node,
    thread: x.t.id,
    fields,
  });
}

/** BUG()/BUG_ON() in `fn` of `file`: "kernel BUG at file!", the x86 invalid-opcode trap, the trace. */
export function kernelBug(x: Ctx, code: DiagnosticCode, file: string, fn: string): void {
  bug(x, code, `kernel BUG at ${file}!`, ['invalid opcode: 0000 [#1] SMP', `RIP: ${fn}`]);
}

/** pr_info()/dev_info() and friends; `debug` lines appear only with dynamic debug. */
export function info(
  x: Ctx,
  text: string,
  fields?: Record<string, string | number>,
  level: 'info' | 'debug' = 'info',
): void {
  x.k.rec.printk({
    level,
    text,
    step: x.step,
    device: x.device,
    node: x.t.node,
    thread: x.t.id,
    fields,
  });
}
