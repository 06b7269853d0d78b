import type { InstantLevel } from '../model';
import type { LogEventKind } from './types';
import type { DiagnosticCode } from '../diagnosticCodes';

/** A kernel message recognised on one (possibly unwrapped) line. */
export interface Recognised {
  kind: LogEventKind;
  level: InstantLevel;
  fields: Record<string, string | number>;
  code?: DiagnosticCode;
  /** A WARN's message: the splat around it (cut here, WARNING line, trace) belongs to it. */
  warn?: boolean;
}

interface Recogniser {
  kind: LogEventKind;
  re: RegExp;
  level: InstantLevel;
  fields(m: RegExpExecArray): Record<string, string | number> | undefined;
  code?: (f: Record<string, string | number>) => DiagnosticCode | undefined;
  warn?: boolean;
}

/** Release functions whose percpu_ref is a dev_pagemap's (or, in v4.20, the pmem queue's). */
const PGMAP_RELEASE = /pagemap|pgmap|dax|pmem|blk_queue_usage_counter_release/;

/**
 * The kernel messages of the paths the emulator models, in the kernel's words, both historical
 * formats where the text changed. Order matters: "node 0 initialised, ..." must win over "<device> initialised, ...".
 */
const RECOGNISERS: Recogniser[] = [
  {
    kind: 'deferred-init',
    level: 'info',
    re: /^node (\d+) initialised, (\d+) pages in (\d+)ms$/,
    fields: (m) => ({ node: +m[1], pages: +m[2], ms: +m[3], format: 'pages' }),
  },
  {
    kind: 'deferred-init',
    level: 'info',
    re: /^node (\d+) deferred pages initialised in (\d+)ms$/,
    fields: (m) => ({ node: +m[1], ms: +m[2], format: 'deferred' }),
  },
  // v4.1's kswapd-based deferral (Mel Gorman's series) printed this before pgdatinit existed.
  {
    kind: 'deferred-init',
    level: 'info',
    re: /^kswapd (\d+) initialised deferred memory in (\d+)ms$/,
    fields: (m) => ({ node: +m[1], ms: +m[2], format: 'kswapd' }),
  },
  {
    kind: 'zone-device-init',
    level: 'info',
    re: /^memmap_init_zone_device initialised (\d+) pages in (\d+)ms$/,
    fields: (m) => ({ pages: +m[1], ms: +m[2], format: 'function' }),
  },
  {
    kind: 'zone-device-init',
    level: 'info',
    re: /^(\S+) initialised, (\d+) pages in (\d+)ms$/,
    fields: (m) =>
      m[1] === 'node'
        ? undefined
        : { device: m[1], pages: +m[2], ms: +m[3], format: 'device-name' },
  },
  {
    kind: 'memory-block-size',
    level: 'info',
    re: /^x86\/mm: Memory block size: (\d+)MB$/,
    fields: (m) => ({ mb: +m[1] }),
  },
  {
    kind: 'percpu-ref-underflow',
    level: 'warn',
    warn: true,
    re: /percpu ref \((\S+?)(?: \[(\w+)\])?\) <= 0 \((-?\d+)\) after switching to atomic/,
    fields: (m) => ({ release: m[1], ...(m[2] ? { module: m[2] } : {}), count: +m[3] }),
    code: (f) => (PGMAP_RELEASE.test(String(f.release)) ? 'pgmap-ref-underflow' : undefined),
  },
  {
    kind: 'misaligned-pages',
    level: 'warn',
    warn: true,
    code: () => 'misaligned-subsection',
    re: /Misaligned __(add|remove)_pages start: (0x[0-9a-f]+|0) end: (#|0x)?([0-9a-f]+)/,
    fields: (m) => ({
      op: m[1],
      start: m[2],
      end: `0x${m[4]}`,
      form: m[3] === '#' ? 'typo' : 'fixed',
    }),
  },
  {
    kind: 'section-conflict',
    level: 'warn',
    warn: true,
    code: () => 'section-conflict',
    re: /^(?:(\S+ \S+): )?Conflicting mapping in same section$/,
    fields: (m): Record<string, string | number> => (m[1] ? { device: m[1] } : {}),
  },
  {
    kind: 'mixed-region',
    level: 'warn',
    warn: true,
    code: () => 'mixed-region',
    re: /attempted on (mixed|ram) region (?:\[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)[^\]]*\]|(0x[0-9a-f]+)-(0x[0-9a-f]+))/,
    fields: (m) => ({ region: m[1], start: m[2] ?? m[4], end: m[3] ?? m[5] }),
  },
  {
    kind: 'section-already-deactivated',
    level: 'warn',
    warn: true,
    code: () => 'section-already-deactivated',
    re: /section already deactivated \((0x[0-9a-f]+|0) \+ (\d+)\)/,
    fields: (m) => ({ pfn: m[1], pages: +m[2] }),
  },
  // mm/memory_hotplug.c: check_hotplug_memory_range(); "Section-unaligned hotplug range" in the older
  // section-based check. The current format has no trailing "\n": the pattern does not anchor the end.
  {
    kind: 'hotplug-range-unaligned',
    level: 'warn',
    code: () => 'misaligned-memory-block',
    re: /^(?:Block size \[(0x[0-9a-f]+)\] |Section-)unaligned hotplug range: start (0x[0-9a-f]+), size (0x[0-9a-f]+)/,
    fields: (m) => ({ ...(m[1] ? { blockSize: m[1] } : {}), start: m[2], size: m[3] }),
  },
  // drivers/acpi/acpi_memhotplug.c: acpi_memory_enable_device(), after add_memory() refused the range.
  {
    kind: 'add-memory-failed',
    level: 'warn',
    re: /^(?:(\S+ \S+): )?add_memory failed$/,
    fields: (m): Record<string, string | number> => (m[1] ? { device: m[1] } : {}),
  },
  // mm/memory_hotplug.c: check_memblock_offlined_cb(), "[%pa-%pa]"; its first version printed "%#010llx".
  {
    kind: 'remove-memory-online',
    level: 'warn',
    code: () => 'memory-still-online',
    re: /^removing memory fails, because memory \[(0x[0-9a-f]+)-(0x[0-9a-f]+)\] is onlined$/,
    fields: (m) => ({ start: m[1], end: m[2] }),
  },
  // mm/memory_hotplug.c: offline_pages(); pr_debug now (the 6.1/6.12 recordings show it under dyndbg), pr_info before.
  {
    kind: 'pages-offlined',
    level: 'info',
    re: /^Offlined Pages (\d+)$/,
    fields: (m) => ({ pages: +m[1] }),
  },
  // mm/memory_hotplug.c: offline_pages(), pr_debug; "failed due to %s" from v5.0 (7960509329c2), bare "failed" before.
  {
    kind: 'offlining-failed',
    level: 'debug',
    code: () => 'memory-offline-failed',
    re: /^memory offlining \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] failed(?: due to (.+))?$/,
    fields: (m) => ({ start: m[1], end: m[2], ...(m[3] ? { reason: m[3] } : {}) }),
  },
  // arch/x86/mm/init.c: init_memory_mapping(), also for every hot-added range (arch_add_memory()).
  {
    kind: 'memory-mapping',
    level: 'info',
    re: /^init_memory_mapping: \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\]$/,
    fields: (m) => ({ start: m[1], end: m[2] }),
  },
  // kernel/iomem.c (earlier kernel/memremap.c): memremap(), WARN_ONCE; the first version printed the size "%zu".
  {
    kind: 'memremap-mixed-range',
    level: 'warn',
    warn: true,
    re: /memremap attempted on (mixed range|ram) (0x[0-9a-f]+) size: (0x[0-9a-f]+|\d+)/,
    fields: (m) => ({ region: m[1] === 'ram' ? 'ram' : 'mixed', start: m[2], size: m[3] }),
  },
  // drivers/base/dd.c: call_driver_probe(), "%s: probe of %s failed with error %d" (pr_warn, v6.1) and
  // "probe with driver %s failed with error %d" (dev_err, v6.12), as the Debian recordings show.
  {
    kind: 'nvdimm-namespace-error',
    level: 'warn',
    code: () => 'probe-failed',
    re: /^(nd_\w+|dax_\w+|device_dax|kmem): probe of (\S+) failed with error (-\d+)$/,
    fields: (m) => ({ driver: m[1], device: m[2], error: +m[3], form: 'pr_warn' }),
  },
  {
    kind: 'nvdimm-namespace-error',
    level: 'warn',
    code: () => 'probe-failed',
    re: /^(?:\S+ )?(\S+): probe with driver (nd_\w+|dax_\w+|device_dax|kmem) failed with error (-\d+)$/,
    fields: (m) => ({ driver: m[2], device: m[1], error: +m[3], form: 'dev_err' }),
  },
  // drivers/nvdimm/pfn_devs.c: nd_pfn_validate(): dev_err(&nd_pfn->dev, "%s: start %pa misaligned to %#lx")
  // naming the namespace, when the start is not on memremap_compat_align().
  {
    kind: 'nvdimm-namespace-error',
    level: 'warn',
    code: () => 'namespace-misaligned',
    re: /^(?:(nd_\w+|dax_\w+) )?((?:pfn|dax)\d+\.\d+): (namespace\d+\.\d+): start (0x[0-9a-f]+) misaligned to (0x[0-9a-f]+)$/,
    fields: (m) => ({
      ...(m[1] ? { driver: m[1] } : {}),
      device: m[2],
      namespace: m[3],
      start: m[4],
      align: m[5],
      message: `${m[3]}: start ${m[4]} misaligned to ${m[5]}`,
    }),
  },
  {
    kind: 'nvdimm-namespace-error',
    level: 'warn',
    re: /^(?:(nd_\w+|dax_\w+|kmem|nd_pmem) )?((?:namespace|pfn|dax|btt|region)\d+(?:\.\d+)?):? (.*(?:invalid|could not|failed|misaligned|unable to satisfy|alignment must be|bad offset|collision|prevent using pmem).*)$/,
    fields: (m) => ({ ...(m[1] ? { driver: m[1] } : {}), device: m[2], message: m[3] }),
    code: (f) =>
      /misaligned to/.test(String(f.message))
        ? 'namespace-misaligned'
        : /unable to satisfy requested alignment|alignment must be/.test(String(f.message))
          ? 'namespace-align-unsatisfiable'
          : /prevent using pmem/.test(String(f.message))
            ? 'struct-page-too-big'
            : undefined,
  },
];

/** Words one of the messages contains: a line without any is not worth unwrapping. */
export const TRIGGERS =
  /initialised|Memory block size|percpu ref|Misaligned|Conflicting|attempted on|already deactivated|namespace|pfn\d|dax\d|btt\d|nd_\w+:|hotplug range|add_memory|removing memory|Offlined|memory offlining|init_memory_mapping|probe/;

/**
 * The shapes most kernel lines have, known or not: dev_printk()'s "driver device: " (drivers/base/
 * core.c: __dev_printk() prints dev_driver_string() and dev_name(); device names carry a digit),
 * pr_fmt's "module: " in lower case, "x86/mm: ", and upper-case subsystems ("ACPI: ", "PM: ").
 */
const KERNEL_SHAPED = /^(?:[a-z][\w.-]*(?: [\w.:-]*\d[\w.:-]*)?|[A-Z][A-Z0-9]+|[\w-]+\/[\w-]+): \S/;

/** Whether a line looks like a kernel message, one the importer knows or not. */
export function kernelShaped(text: string): boolean {
  return KERNEL_SHAPED.test(text.trim());
}

/** The kernel message on a line, if it is one the importer knows. */
export function recognise(text: string): Recognised | undefined {
  const line = text.trim();
  if (!TRIGGERS.test(line)) return undefined;
  for (const r of RECOGNISERS) {
    const m = r.re.exec(line);
    if (!m) continue;
    const fields = r.fields(m);
    if (!fields) continue;
    return { kind: r.kind, level: r.level, fields, code: r.code?.(fields), warn: r.warn };
  }
  return undefined;
}
