import { secondsToNs, stripQuote } from './prefix';
import { OVERFLOW_THREAD, type TraceBuilder } from './traceBuilder';
import type { LogEvent } from './types';

/** function_graph's default columns: ` 2) + 25.188 us   |      }` (optionally abstime and task). */
const GRAPH =
  /^\s*(?:(\d+)\.(\d+) \|\s*)?(\d+)\)\s+(?:\S+-\d+\s+\|\s+)?([+!#*@$])?\s*(?:(\d+(?:\.\d+)?) us\s*)?\|(.*)$/;
/** trace-cmd report's rendering: `task-pid [003] 440.396795: funcgraph_exit: 0.130 us | }`. */
const CMD =
  /^\s*(?:.*?\[(\d+)\]\s+(?:\S+\s+)?)?(\d+)\.(\d+): funcgraph_(?:entry|exit):\s+([+!#*@$])?\s*(?:(\d+(?:\.\d+)?) us\s*)?\|(.*)$/;
/** The function tracer: `bash-1234 [001] d.h. 9012.345678: vfs_read <-ksys_read`. */
const FUNC =
  /^\s*(.+?)-(\d+)\s+(?:\(\s*[\d-]+\)\s+)?\[(\d+)\]\s+(?:([\w.]{4,6})\s+)?(\d+)\.(\d+): (.*)$/;

interface Frame {
  span?: number;
  name: string;
  start: number;
  /** Arguments a kprobe on this function printed inside it (`/* name: (sym+0x4/0x650) a=1 b=0x2 *\/`). */
  args?: Record<string, string | number>;
}

/**
 * A kprobe event inside a function_graph trace: the graph tracer prints it as a comment at the
 * call's depth, `/* <event>: (<sym>+<off>/<size>) <arg>=<value> ... *\/` (kernel/trace/trace_kprobe.c:
 * print_kprobe_event()), so its arguments are the enclosing call's.
 */
const KPROBE = /^\/\* ([\w.]+): \(([\w.]+)\+0x[0-9a-f]+\/0x[0-9a-f]+\)((?: [\w.]+=\S+)*) \*\/$/;

/** `pgmap=0xffff… nid=1`: numbers stay numbers, hex stays text (an address past 2^53 would lose bits). */
function kprobeArgs(text: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [, k, v] of text.matchAll(/ ([\w.]+)=(\S+)/g))
    out[k] = /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : v;
  return out;
}

interface Cpu {
  thread: number;
  stack: Frame[];
  cursor: number;
}

/**
 * Whether a line has what FUNC cannot match without, its CPU column: `[`, digits and `]` after a
 * blank (any character past ASCII counts as one, as `\s` knows Unicode's). Looked for with
 * indexOf, so the dmesg lines that make up most logs never reach FUNC's backtracking `(.+?)-`.
 */
function hasCpuColumn(text: string): boolean {
  for (let p = text.indexOf('[', 1); p > 0; p = text.indexOf('[', p + 1)) {
    const before = text.charCodeAt(p - 1);
    if (before !== 32 && (before < 9 || before > 13) && before < 128) continue;
    let i = p + 1;
    while (text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (i > p + 1 && text.charCodeAt(i) === 93) return true;
  }
  return false;
}

const usToNs = (us: string) => Math.round(Number(us) * 1000);

/**
 * ftrace text: the function_graph tracer (nesting by indentation, durations on leaves and
 * closing braces, `+ ! # * @ $` marking >10 µs … >1 s) and the function tracer. Without
 * absolute times (function_graph's default) a CPU's calls are laid end to end from its
 * durations: each child starts where its previous sibling ended, inside its parent.
 */
/** Open calls kept per CPU: the graph tracer's own return stack is FTRACE_RETFUNC_DEPTH deep (include/linux/ftrace.h: 50, later 128). */
const MAX_DEPTH = 128;
/** Lines of one `<stack trace>`, as many as a splat keeps. */
const MAX_STACK_LINES = 400;
/** CPUs kept apart; a trace naming more shares one (the scenario limit is 8192 CPUs). */
const MAX_CPUS = 8192;

export class FtraceParser {
  private readonly cpus = new Map<number, Cpu>();
  private lastStack?: { lines: string[] };
  graphLines = 0;
  functionLines = 0;
  /** A `# tracer:` header was seen: the comment lines that follow are ftrace's. */
  private header = false;

  constructor(
    private readonly b: TraceBuilder,
    private readonly emit: (e: LogEvent) => void,
  ) {}

  get active(): boolean {
    return this.header || this.graphLines + this.functionLines > 0;
  }

  /** Takes the line if it is ftrace output (or an ftrace header once ftrace was seen). */
  tryLine(raw: string, no: number): boolean {
    const text = raw.charCodeAt(0) === 62 ? stripQuote(raw).text : raw;
    // Each pattern is tried only on a line with the text it cannot match without (most lines are dmesg).
    const bar = text.includes('|');
    let m = bar && text.includes('funcgraph_') ? CMD.exec(text) : null;
    if (m) return this.graph(no, +(m[1] ?? 0), secondsToNs(m[2], m[3]), m[4], m[5], m[6]);
    if (bar && (m = GRAPH.exec(text)))
      return this.graph(
        no,
        +m[3],
        m[1] === undefined ? undefined : secondsToNs(m[1], m[2]),
        m[4],
        m[5],
        m[6],
      );
    if (hasCpuColumn(text) && (m = FUNC.exec(text))) return this.func(no, m);
    // The other shapes begin, past blanks, with `#`, `=>`, dashes or a CPU number: never with the
    // `[` of a dmesg stamp, which most lines of a log begin with.
    if (text.charCodeAt(0) === 91) return false;
    if (/^\s*# tracer: /.test(text)) return (this.header = true);
    if (!this.active) return false;
    if (this.lastStack && /^\s*=> \S/.test(text)) {
      if (this.lastStack.lines.length < MAX_STACK_LINES) this.lastStack.lines.push(text.trim());
      else this.b.droppedState++;
      return true;
    }
    return (
      /^\s*#/.test(text) ||
      /^\s*-{20,}\s*$/.test(text) ||
      /^\s*\d+\)\s+\S+-\d+\s+=>\s+\S+-\d+/.test(text)
    );
  }

  /** Calls still open when the trace ended close at the last time seen on their CPU. */
  end(): void {
    for (const cpu of this.cpus.values()) {
      for (const f of cpu.stack) {
        if (f.span === undefined) continue;
        const s = this.b.spans[f.span];
        s.end = Math.max(s.start, cpu.cursor);
        s.args.unfinished = true;
      }
      cpu.stack = [];
    }
    // Durations laid out backwards from a call that closed before the trace began can start
    // before 0; move the whole timeline so nothing does.
    let min = 0;
    for (const s of this.b.spans) min = Math.min(min, s.start);
    if (min < 0)
      for (const s of this.b.spans) {
        s.start -= min;
        s.end -= min;
      }
  }

  private cpu(n: number): Cpu {
    if (!this.cpus.has(n) && this.cpus.size >= MAX_CPUS) {
      this.b.droppedState++;
      n = -1;
    }
    let c = this.cpus.get(n);
    if (!c)
      this.cpus.set(
        n,
        (c = { thread: this.b.thread(n < 0 ? OVERFLOW_THREAD : `CPU ${n}`), stack: [], cursor: 0 }),
      );
    return c;
  }

  private graph(
    no: number,
    cpuNo: number,
    at: number | undefined,
    marker: string | undefined,
    us: string | undefined,
    body: string,
  ): boolean {
    this.graphLines++;
    const cpu = this.cpu(cpuNo);
    const content = body.trim();
    const dur = us === undefined ? undefined : usToNs(us);
    let m = /^([\w.$]+(?: \[\w+\])?)\(\) \{$/.exec(content);
    if (m) {
      const start = at ?? cpu.cursor;
      const parent = cpu.stack.at(-1)?.span;
      // Past the depth the kernel can trace the call is not kept (its closing brace then ends an unmatched call).
      if (cpu.stack.length >= MAX_DEPTH) {
        this.b.droppedState++;
        return true;
      }
      const span = this.b.span(cpu.thread, m[1], start, start, cpu.stack.length, parent, {
        cpu: cpuNo,
      });
      cpu.stack.push({ span, name: m[1], start });
      cpu.cursor = Math.max(cpu.cursor, start);
      return true;
    }
    if ((m = /^([\w.$]+(?: \[\w+\])?)\(\);?/.exec(content))) {
      const start = at ?? cpu.cursor;
      const end = start + (dur ?? 0);
      this.b.span(cpu.thread, m[1], start, end, cpu.stack.length, cpu.stack.at(-1)?.span, {
        cpu: cpuNo,
      });
      cpu.cursor = Math.max(cpu.cursor, end);
      this.call(no, m[1], cpuNo, start, dur, marker, cpu.stack.length);
      return true;
    }
    if ((m = /^\}(?: \/\* (\S+) \*\/)?/.exec(content))) {
      const frame = cpu.stack.pop();
      const d = dur ?? 0;
      if (frame?.span !== undefined) {
        const s = this.b.spans[frame.span];
        s.end = s.start + d;
        cpu.cursor = Math.max(cpu.cursor, s.end);
        if (frame.args) Object.assign(s.args, frame.args);
        this.call(no, frame.name, cpuNo, s.start, dur, marker, cpu.stack.length, frame.args);
        return true;
      }
      // The call began before tracing did: it ends here and lasted its duration.
      const end = at ?? cpu.cursor;
      const name = frame?.name ?? m[1] ?? '(unknown)';
      this.b.span(cpu.thread, name, end - d, end, cpu.stack.length, undefined, {
        cpu: cpuNo,
        unmatched: true,
      });
      cpu.cursor = Math.max(cpu.cursor, end);
      this.call(no, name, cpuNo, end - d, dur, marker, cpu.stack.length);
      return true;
    }
    // A kprobe's arguments go to the open call it fired in (the probed function itself).
    const probe = KPROBE.exec(content);
    const open = cpu.stack.at(-1);
    if (probe && open && open.name.replace(/ \[\w+\]$/, '') === probe[2]) {
      open.args = { ...open.args, kprobe: probe[1], ...kprobeArgs(probe[3]) };
      return true;
    }
    // Other comments (trace_printk, events) and `...` elisions belong to the trace but carry no call.
    return true;
  }

  private call(
    no: number,
    fn: string,
    cpu: number,
    t: number,
    dur: number | undefined,
    marker: string | undefined,
    depth: number,
    args?: Record<string, string | number>,
  ): void {
    const fields: Record<string, string | number> = { ...args, function: fn, cpu, depth };
    if (dur !== undefined) fields.us = dur / 1000;
    if (marker) fields.marker = marker;
    this.emit({
      kind: 'ftrace-call',
      line: no,
      endLine: no,
      t,
      level: 'debug',
      text: dur === undefined ? `${fn}()` : `${fn}() ${dur / 1000} us`,
      fields,
    });
  }

  private func(no: number, m: RegExpExecArray): boolean {
    this.functionLines++;
    const [, task, pid, cpu, , int, frac, body] = m;
    const t = secondsToNs(int, frac);
    const thread = this.b.thread(`${task.trim()}-${pid}`);
    const call = /^([\w.$]+)(?: \[\w+\])? <-(\S+)/.exec(body);
    const fields: Record<string, string | number> = { task: task.trim(), pid: +pid, cpu: +cpu };
    let text = body.trim();
    if (call) Object.assign(fields, { function: call[1], parent: call[2] });
    else {
      const ev = /^([\w:]+): (.*)$/.exec(text);
      if (ev) Object.assign(fields, { event: ev[1], args: ev[2] });
      else if (text === '<stack trace>') fields.event = 'stack';
      text = text.trim();
    }
    const lines = [text];
    if (this.b.room())
      this.b.instants.push({ t, thread, level: 'debug', text, fields, line: no, lines });
    this.lastStack = fields.event === 'stack' ? { lines } : undefined;
    this.emit({
      kind: 'ftrace-function',
      line: no,
      endLine: no,
      t,
      level: 'debug',
      text,
      fields,
      lines,
    });
    return true;
  }
}
