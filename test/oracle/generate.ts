/**
 * fast-check arbitraries of small random scenarios, and their YAML text. Machines are tiny
 * (tens of MiB of RAM and pmem; ppc64 with 64 KiB pages and 16 MiB sections for most runs) so
 * the per-page reference model can follow every pfn.
 */
import fc from 'fast-check';
import { findArch, resolveGeometry, type Geometry } from '../../src/engine/arch/presets';
import { kernelFeatures, KERNEL_PRESETS } from '../../src/engine/kernel/presets';
import { releaseOf } from '../../src/engine/kernel/version';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const SUB = 2 * MiB;

export interface GenMachine {
  explicit: boolean;
  /** Per node: RAM and pmem byte ranges (auto layout is computed the way the engine places it). */
  nodes: { ram?: [number, number]; pmem?: [number, number] }[];
}

export type GenDevice =
  | {
      kind: 'ns';
      node: number;
      mode: 'fsdax' | 'devdax';
      map: 'dev' | 'mem';
      size?: number;
      align: number;
      start?: number;
    }
  | { kind: 'pg'; node: number; type: string; ranges: [number, number][]; shift: number };

/** `at` is a position inside the device in permille, resolved against its size when rendered. */
export type GenStep =
  | { op: 'probe' | 'remove'; devs: number[]; bad: boolean }
  | { op: 'get_dev_pagemap'; dev: number; at: number; count: number }
  | { op: 'put_dev_pagemap'; dev: number; count: number }
  | { op: 'map' | 'unmap'; dev: number; at: number; head: boolean; pages: number }
  | {
      op: 'get_page' | 'put_page';
      dev: number;
      at: number;
      head: boolean;
      abs: boolean;
      count: number;
    }
  | { op: 'add_memory'; node: number; slot: number; blocks: number; misalign: boolean }
  | {
      op: 'online' | 'offline' | 'remove_memory';
      target: number;
      zone: 'movable' | 'normal';
      misalign: boolean;
    }
  | {
      op: 'reconfigure';
      dev: number;
      mode: 'system-ram' | 'devdax';
      online: 'movable' | 'normal' | 'none';
    }
  /** add_memory, then online, offline and remove_memory of the same range, `depth` of them. */
  | {
      op: 'ram_cycle';
      node: number;
      slot: number;
      blocks: number;
      depth: number;
      zone: 'movable' | 'normal';
    };

export interface GenScenario {
  arch: string;
  kernel: string;
  structPageSize: number;
  hex: boolean;
  boot: boolean;
  machine: GenMachine;
  devices: GenDevice[];
  /** Probe every device right after boot (most runs), and remove them all at the end (some). */
  probeAll: boolean;
  teardown: boolean;
  steps: GenStep[];
}

const ARCHES: { arbitrary: fc.Arbitrary<string>; weight: number }[] = [
  // 64 KiB pages and small sections keep most runs cheap; 128 MiB sections of 4 KiB pages cost
  // 32768 pfns each, so x86_64 and friends come less often.
  { arbitrary: fc.constant('ppc64-radix'), weight: 40 },
  { arbitrary: fc.constant('ppc64-hash'), weight: 18 },
  { arbitrary: fc.constant('arm64-64k'), weight: 16 },
  { arbitrary: fc.constant('x86_64'), weight: 16 },
  { arbitrary: fc.constant('loongarch64'), weight: 5 },
  { arbitrary: fc.constant('riscv64'), weight: 5 },
];

export function geometryOf(arch: string, kernel: string, structPageSize: number): Geometry {
  const f = kernelFeatures(kernel, arch)!;
  return resolveGeometry(findArch(arch)!, releaseOf(f), structPageSize);
}

/** Memory block size the engine will use for these small machines. */
export function blockSizeOf(g: Geometry): number {
  return g.arch === 'x86_64' ? 128 * MiB : g.sectionSize;
}

const up = (v: number, a: number) => Math.ceil(v / a) * a;

function machineArb(g: Geometry): fc.Arbitrary<GenMachine> {
  const small = g.pageSize > 4096 && g.sectionSize <= 16 * MiB;
  const ramSub = fc.integer({ min: 4, max: small ? 48 : 40 });
  const pmemSub = fc.integer({ min: 4, max: small ? 128 : 48 });
  const explicit = fc
    .record({
      ram: ramSub,
      gap: fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: Math.min(64, g.sectionSize / SUB) }), weight: 9 },
        { arbitrary: fc.integer({ min: -3, max: -1 }), weight: 1 },
      ),
      ownSection: fc.oneof(
        { arbitrary: fc.constant(true), weight: 2 },
        { arbitrary: fc.constant(false), weight: 1 },
      ),
      pmem: pmemSub,
      second: fc.option(
        fc.record({ ram: fc.integer({ min: 0, max: 8 }), pmem: fc.integer({ min: 0, max: 24 }) }),
        { freq: 5 },
      ),
    })
    .map(({ ram, gap, ownSection, pmem, second }): GenMachine => {
      const ramEnd = ram * SUB;
      // pmem right after RAM, sharing its last section (as on seed 003's machines), or in sections of its own.
      const p0 = ownSection
        ? up(ramEnd, g.sectionSize) + Math.max(0, gap) * SUB
        : Math.max(SUB, ramEnd + gap * SUB);
      const nodes: GenMachine['nodes'] = [{ ram: [0, ramEnd], pmem: [p0, p0 + pmem * SUB] }];
      if (second) {
        const base = up(p0 + pmem * SUB, g.sectionSize);
        const n: GenMachine['nodes'][number] = {};
        if (second.ram > 0) n.ram = [base, base + second.ram * SUB];
        if (second.pmem > 0)
          n.pmem = [base + second.ram * SUB, base + (second.ram + second.pmem) * SUB];
        nodes.push(n);
      }
      return { explicit: true, nodes };
    });
  const auto = fc
    .array(
      fc.record({
        ram: fc.integer({ min: 0, max: small ? 48 : 24 }),
        pmem: fc.integer({ min: 0, max: small ? 96 : 40 }),
      }),
      { minLength: 1, maxLength: 2 },
    )
    .map((specs): GenMachine => {
      let cursor = 0;
      const nodes = specs.map((n) => {
        const out: GenMachine['nodes'][number] = {};
        if (n.ram > 0) {
          out.ram = [cursor, cursor + n.ram * SUB];
          cursor = up(cursor + n.ram * SUB, GiB);
        }
        if (n.pmem > 0) {
          out.pmem = [cursor, cursor + n.pmem * SUB];
          cursor = up(cursor + n.pmem * SUB, GiB);
        }
        return out;
      });
      return { explicit: false, nodes };
    });
  // Auto layout puts pmem at the next GiB: cheap to follow only where sections are small.
  return fc.oneof(
    { arbitrary: explicit, weight: 3 },
    { arbitrary: auto, weight: g.pagesPerSection <= 8192 ? 1 : 0 },
  );
}

function deviceArb(g: Geometry, m: GenMachine): fc.Arbitrary<GenDevice> {
  const nodeArb = fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: m.nodes.length - 1 }), weight: 19 },
    { arbitrary: fc.constant(5), weight: 1 },
  );
  const region = (node: number): [number, number] =>
    m.nodes[node]?.pmem ?? m.nodes[0].pmem ?? [GiB, GiB + 64 * MiB];
  const misalign = fc.oneof(
    { arbitrary: fc.constant(0), weight: 9 },
    { arbitrary: fc.integer({ min: 1, max: 31 }).map((k) => k * g.pageSize), weight: 1 },
  );
  const ns = fc
    .record({
      node: nodeArb,
      mode: fc.constantFrom('fsdax' as const, 'devdax' as const),
      map: fc.constantFrom('dev' as const, 'mem' as const),
      sizeSub: fc.option(fc.integer({ min: 1, max: 1000 }), { freq: 4 }),
      sizeOdd: misalign,
      align: fc.oneof(
        { arbitrary: fc.constant(SUB), weight: 10 },
        { arbitrary: fc.constantFrom(g.pageSize, 16 * MiB, GiB, 64 * KiB, 4 * MiB), weight: 2 },
      ),
      startSub: fc.option(fc.integer({ min: 0, max: 1000 }), { freq: 2 }),
      startOdd: misalign,
    })
    .map((d): GenDevice => {
      // Sizes and starts in permille of the region, on 2 MiB steps (plus an odd amount, rarely).
      const [r0, r1] = region(d.node);
      const subs = Math.max(1, Math.floor((r1 - r0) / SUB));
      const start =
        d.startSub === null
          ? undefined
          : r0 + Math.floor((d.startSub * (subs - 1)) / 1000) * SUB + d.startOdd;
      const size =
        d.sizeSub === null
          ? undefined
          : Math.max(Math.min(4, subs), Math.round((d.sizeSub * subs) / 1000)) * SUB + d.sizeOdd;
      return { kind: 'ns', node: d.node, mode: d.mode, map: d.map, align: d.align, start, size };
    });
  const rangeArb = (node: number) =>
    fc
      .record({
        where: fc.constantFrom('pmem', 'pmem', 'pmem', 'pmem', 'pmem', 'pmem', 'ram', 'free'),
        k: fc.integer({ min: 0, max: 1000 }),
        odd: misalign,
        size: fc.integer({ min: 1, max: 24 }),
        sizeOdd: misalign,
      })
      .map((r): [number, number] => {
        const [p0, p1] = region(node);
        const ramEnd = m.nodes[0].ram?.[1] ?? SUB * 8;
        // In the pmem region (k in permille of the room left), over the end of RAM, or beyond everything.
        const room = Math.max(0, Math.floor((p1 - p0) / SUB) - r.size);
        const start =
          r.where === 'pmem'
            ? p0 + Math.floor((r.k * room) / 1000) * SUB
            : r.where === 'ram'
              ? Math.max(0, ramEnd - (1 + (r.k % 4)) * SUB)
              : up(p1, g.sectionSize) + (r.k % 64) * SUB;
        return [start + r.odd, r.size * SUB + r.sizeOdd];
      });
  const pg = fc
    .record({
      node: fc.integer({ min: 0, max: m.nodes.length - 1 }),
      type: fc.constantFrom('private', 'coherent', 'fsdax', 'generic', 'p2pdma'),
      shift: fc.oneof(
        { arbitrary: fc.constant(0), weight: 3 },
        { arbitrary: fc.integer({ min: 1, max: 9 }), weight: 2 },
      ),
      n: fc.integer({ min: 1, max: 5 }),
      seed: fc.nat(),
    })
    .chain((p) =>
      fc
        .array(rangeArb(p.node), { minLength: 1, maxLength: p.n > 4 ? 2 : 1 })
        .map((ranges): GenDevice => ({
          kind: 'pg',
          node: p.node,
          type: p.type,
          shift: p.shift,
          ranges,
        })),
    );
  return fc.oneof({ arbitrary: ns, weight: 3 }, { arbitrary: pg, weight: 2 });
}

function stepArb(): fc.Arbitrary<GenStep> {
  const dev = fc.integer({ min: 0, max: 5 });
  const at = fc.oneof(
    fc.integer({ min: 0, max: 1000 }),
    fc.constant(0),
    fc.integer({ min: 990, max: 1100 }),
  );
  const count = fc.oneof(
    { arbitrary: fc.constant(1), weight: 3 },
    { arbitrary: fc.integer({ min: 2, max: 3 }), weight: 1 },
  );
  const pages = fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 600 }));
  const zone = fc.constantFrom('movable' as const, 'normal' as const);
  const rare = fc.oneof(
    { arbitrary: fc.constant(false), weight: 12 },
    { arbitrary: fc.constant(true), weight: 1 },
  );
  return fc.oneof(
    {
      arbitrary: fc.record({
        op: fc.constant('probe' as const),
        devs: fc.array(dev, { minLength: 1, maxLength: 3 }),
        bad: rare,
      }),
      weight: 10,
    },
    {
      arbitrary: fc.record({
        op: fc.constant('remove' as const),
        devs: fc.array(dev, { minLength: 1, maxLength: 2 }),
        bad: rare,
      }),
      weight: 8,
    },
    {
      arbitrary: fc.record({ op: fc.constant('get_dev_pagemap' as const), dev, at, count }),
      weight: 8,
    },
    {
      arbitrary: fc.record({ op: fc.constant('put_dev_pagemap' as const), dev, count }),
      weight: 7,
    },
    {
      arbitrary: fc.record({
        op: fc.constantFrom('map' as const, 'unmap' as const),
        dev,
        at,
        head: fc.boolean(),
        pages,
      }),
      weight: 14,
    },
    {
      arbitrary: fc.record({
        op: fc.constantFrom('get_page' as const, 'put_page' as const),
        dev,
        at,
        head: fc.oneof(
          { arbitrary: fc.constant(true), weight: 3 },
          { arbitrary: fc.constant(false), weight: 1 },
        ),
        abs: rare,
        count,
      }),
      weight: 4,
    },
    {
      arbitrary: fc.record({
        op: fc.constant('add_memory' as const),
        node: fc.oneof(
          { arbitrary: fc.constant(0), weight: 6 },
          { arbitrary: fc.integer({ min: 1, max: 2 }), weight: 1 },
        ),
        slot: fc.integer({ min: 0, max: 2 }),
        blocks: fc.integer({ min: 1, max: 2 }),
        misalign: rare,
      }),
      weight: 6,
    },
    {
      arbitrary: fc.record({
        op: fc.constantFrom('online' as const, 'offline' as const, 'remove_memory' as const),
        target: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 })),
        zone,
        misalign: rare,
      }),
      weight: 8,
    },
    {
      arbitrary: fc.record({
        op: fc.constant('reconfigure' as const),
        dev,
        mode: fc.constantFrom('system-ram' as const, 'devdax' as const),
        online: fc.constantFrom('movable' as const, 'normal' as const, 'none' as const),
      }),
      weight: 4,
    },
    {
      arbitrary: fc.record({
        op: fc.constant('ram_cycle' as const),
        node: fc.constant(0),
        slot: fc.integer({ min: 0, max: 2 }),
        blocks: fc.integer({ min: 1, max: 2 }),
        depth: fc.integer({ min: 2, max: 4 }),
        zone,
      }),
      weight: 5,
    },
  );
}

/** A random small scenario (as a structure that shrinks well; `render` turns it into YAML). */
export function scenarioArb(maxSteps = 10): fc.Arbitrary<GenScenario> {
  return fc
    .record({
      arch: fc.oneof(...ARCHES),
      kernel: fc.constantFrom(...KERNEL_PRESETS.map((k) => k.name)),
      structPageSize: fc.oneof(
        { arbitrary: fc.constant(64), weight: 12 },
        { arbitrary: fc.constantFrom(56, 72, 80, 128), weight: 1 },
      ),
      hex: fc.boolean(),
      boot: fc.oneof(
        { arbitrary: fc.constant(true), weight: 19 },
        { arbitrary: fc.constant(false), weight: 1 },
      ),
      probeAll: fc.oneof(
        { arbitrary: fc.constant(true), weight: 6 },
        { arbitrary: fc.constant(false), weight: 1 },
      ),
      teardown: fc.boolean(),
    })
    .chain((base) => {
      const g = geometryOf(base.arch, base.kernel, base.structPageSize);
      return machineArb(g).chain((machine) =>
        fc
          .record({
            devices: fc.array(deviceArb(g, machine), { maxLength: 4 }),
            steps: fc.array(stepArb(), { maxLength: maxSteps }),
          })
          .map((rest): GenScenario => ({ ...base, machine, ...rest })),
      );
    });
}

// ---- rendering ----

function size(bytes: number, hex: boolean): string {
  if (hex) return '0x' + bytes.toString(16);
  if (bytes % GiB === 0 && bytes > 0) return `${bytes / GiB}GiB`;
  if (bytes % MiB === 0 && bytes > 0) return `${bytes / MiB}MiB`;
  if (bytes % KiB === 0 && bytes > 0) return `${bytes / KiB}KiB`;
  return String(bytes);
}

/** Where each device sits, in bytes (as the engine will place it), or undefined when it cannot. */
export function footprints(s: GenScenario): ([number, number][] | undefined)[] {
  const next = new Map<number, number>();
  return s.devices.map((d) => {
    if (d.kind === 'pg') return d.ranges.map(([a, n]) => [a, a + n] as [number, number]);
    const region =
      d.start !== undefined
        ? s.machine.nodes[d.node]?.pmem &&
          d.start >= s.machine.nodes[d.node].pmem![0] &&
          d.start < s.machine.nodes[d.node].pmem![1]
          ? s.machine.nodes[d.node].pmem
          : undefined
        : s.machine.nodes[d.node]?.pmem;
    if (!region) return undefined;
    const start = d.start ?? next.get(d.node) ?? region[0];
    const sz = d.size ?? region[1] - start;
    if (start + sz > region[1] || sz <= 0) return undefined;
    next.set(d.node, start + sz);
    return [[start, start + sz]];
  });
}

/** The highest byte anything in the scenario touches: RAM hot-add goes above it. */
function topOf(s: GenScenario, fp: ([number, number][] | undefined)[]): number {
  let top = 0;
  for (const n of s.machine.nodes) top = Math.max(top, n.ram?.[1] ?? 0, n.pmem?.[1] ?? 0);
  for (const f of fp) for (const [, e] of f ?? []) top = Math.max(top, e);
  return top;
}

/** The scenario as YAML. Probe groups whose devices could interact are split into one probe each. */
export function render(s: GenScenario): string {
  const g = geometryOf(s.arch, s.kernel, s.structPageSize);
  const bs = blockSizeOf(g);
  const z = (b: number) => size(b, s.hex);
  const lines = ['name: oracle', `arch: ${s.arch}`, `kernel: ${s.kernel}`, 'machine:', '  nodes:'];
  for (const [i, n] of s.machine.nodes.entries()) {
    if (s.machine.explicit) lines.push(`    - { cpus: ${i + 1} }`);
    else
      lines.push(
        `    - { ram: ${z(n.ram ? n.ram[1] - n.ram[0] : 0)}, cpus: 2, pmem: ${z(n.pmem ? n.pmem[1] - n.pmem[0] : 0)} }`,
      );
  }
  if (s.machine.explicit) {
    for (const key of ['ram', 'pmem'] as const) {
      lines.push(`  ${key}:`);
      for (const [i, n] of s.machine.nodes.entries())
        if (n[key])
          lines.push(
            `    - { node: ${i}, start: 0x${n[key]![0].toString(16)}, size: ${z(n[key]![1] - n[key]![0])} }`,
          );
    }
  }
  if (s.structPageSize !== 64) lines.push(`  struct_page_size: ${s.structPageSize}`);
  lines.push('devices:');
  for (const [i, d] of s.devices.entries()) {
    if (d.kind === 'ns') {
      const parts = [`name: d${i}`, `node: ${d.node}`, `mode: ${d.mode}`, `map: ${d.map}`];
      if (d.size !== undefined) parts.push(`size: ${z(d.size)}`);
      parts.push(`align: ${z(d.align)}`);
      if (d.start !== undefined) parts.push(`start: 0x${d.start.toString(16)}`);
      lines.push(`  - { ${parts.join(', ')} }`);
    } else {
      const ranges = d.ranges
        .map(([a, n]) => `{ start: 0x${a.toString(16)}, size: ${z(n)} }`)
        .join(', ');
      lines.push(
        `  - { name: d${i}, node: ${d.node}, type: ${d.type}, ranges: [${ranges}]${d.shift ? `, vmemmap_shift: ${d.shift}` : ''} }`,
      );
    }
  }
  const fp = footprints(s);
  // Probes run concurrently: group only devices that share no section and no vmemmap page, their
  // ranges padded to whole sections (pre-v5.3) first.
  const vmemmapWindow = (g.pageSize * g.pageSize) / g.structPageSize;
  const coarse = (i: number, grain: number) =>
    (fp[i] ?? []).map(([a, b]) => [
      Math.floor((Math.floor(a / g.sectionSize) * g.sectionSize) / grain),
      Math.ceil((Math.ceil(b / g.sectionSize) * g.sectionSize) / grain),
    ]);
  const apart = (a: number, b: number, grain: number) =>
    coarse(a, grain).every(([x0, x1]) =>
      coarse(b, grain).every(([y0, y1]) => x1 <= y0 || y1 <= x0),
    );
  const independent = (a: number, b: number) =>
    apart(a, b, g.sectionSize) && apart(a, b, vmemmapWindow);
  const top = up(topOf(s, fp), bs);
  const hotplug: [number, number][] = [];
  const name = (i: number) => (s.devices.length ? `d${i % s.devices.length}` : 'nodev');
  const ramTargets = s.machine.nodes.flatMap((n) =>
    n.ram && n.ram[0] % bs === 0 && (n.ram[1] - n.ram[0]) % bs === 0
      ? [[n.ram[0], n.ram[1] - n.ram[0]] as [number, number]]
      : [],
  );
  const targets = (): [number, number][] => [
    ...[...hotplug].reverse(),
    ...ramTargets,
    [top + 7 * bs, bs],
  ];
  // Where `at` (permille) lands in a device: its data pages, and its compound page size.
  const geometry = s.devices.map((d, i) => {
    const bytes = (fp[i] ?? []).reduce((n, [a, b]) => n + b - a, 0);
    const firstRange = fp[i]?.[0] ? fp[i]![0][1] - fp[i]![0][0] : bytes;
    const pages =
      d.kind === 'ns'
        ? Math.floor((bytes / g.pageSize) * (d.map === 'dev' ? 1 - 64 / g.pageSize : 1))
        : Math.floor(firstRange / g.pageSize);
    const nr =
      d.kind === 'ns'
        ? d.mode === 'devdax'
          ? Math.max(1, d.align / g.pageSize)
          : 1
        : 2 ** d.shift;
    return { pages, nr };
  });
  const offset = (dev: number, at: number, head: boolean) => {
    const d = geometry[s.devices.length ? dev % s.devices.length : 0] ?? { pages: 64, nr: 1 };
    const off = Math.floor((at * d.pages) / 1000);
    return head ? Math.floor(off / d.nr) * d.nr : off;
  };
  lines.push('steps:');
  if (s.boot) lines.push('  - boot');
  if (s.probeAll) {
    // Greedy groups of devices whose probes cannot interact.
    const groups: number[][] = [];
    for (let i = 0; i < s.devices.length; i++) {
      const group = groups.find((gr) => gr.every((j) => independent(i, j)));
      if (group) group.push(i);
      else groups.push([i]);
    }
    for (const gr of groups) lines.push(`  - probe: [${gr.map(name).join(', ')}]`);
  }
  for (const st of s.steps) {
    // Without devices a device step could only name an unknown one: a parse error, not a run.
    if (!s.devices.length && 'dev' in st && !('abs' in st && st.abs)) continue;
    if (!s.devices.length && 'devs' in st) continue;
    switch (st.op) {
      case 'probe':
      case 'remove': {
        const devs = [
          ...new Set(st.devs.map((d) => (s.devices.length ? d % s.devices.length : 0))),
        ];
        const names = devs.map((d) => name(d));
        // A device listed twice fails the step at run time (an unknown name is a parse error: no run to compare).
        if (st.bad) names.push(names[0]);
        if (
          st.op === 'remove' ||
          st.bad ||
          devs.every((a, i) => devs.every((b, j) => i >= j || independent(a, b)))
        )
          lines.push(`  - ${st.op}: [${names.join(', ')}]`);
        else for (const n of names) lines.push(`  - ${st.op}: [${n}]`);
        break;
      }
      case 'get_dev_pagemap':
        lines.push(
          `  - get_dev_pagemap: { device: ${name(st.dev)}, pfn: +${offset(st.dev, st.at, false)}, count: ${st.count} }`,
        );
        break;
      case 'put_dev_pagemap':
        lines.push(`  - put_dev_pagemap: { device: ${name(st.dev)}, count: ${st.count} }`);
        break;
      case 'map':
      case 'unmap':
        lines.push(
          `  - ${st.op}: { device: ${name(st.dev)}, pfn: +${offset(st.dev, st.at, st.head)}, pages: ${st.pages} }`,
        );
        break;
      case 'get_page':
      case 'put_page':
        if (st.abs)
          lines.push(`  - ${st.op}: { pfn: 0x${(st.at + 16).toString(16)}, count: ${st.count} }`);
        else
          lines.push(
            `  - ${st.op}: { device: ${name(st.dev)}, pfn: +${offset(st.dev, st.at, st.head)}, count: ${st.count} }`,
          );
        break;
      case 'add_memory': {
        const start = top + st.slot * bs * 2 + (st.misalign ? SUB : 0);
        hotplug.push([start, st.blocks * bs]);
        lines.push(
          `  - add_memory: { node: ${st.node}, start: 0x${start.toString(16)}, size: ${z(st.blocks * bs)} }`,
        );
        break;
      }
      case 'ram_cycle': {
        const start = top + st.slot * bs * 2;
        hotplug.push([start, st.blocks * bs]);
        const range = `start: 0x${start.toString(16)}, size: ${z(st.blocks * bs)}`;
        const ops = [
          `add_memory: { node: ${st.node}, ${range} }`,
          `online: { ${range}, zone: ${st.zone} }`,
          `offline: { ${range} }`,
          `remove_memory: { ${range} }`,
        ];
        for (const op of ops.slice(0, st.depth)) lines.push(`  - ${op}`);
        break;
      }
      case 'reconfigure':
        lines.push(
          `  - reconfigure: { device: ${name(st.dev)}, mode: ${st.mode}, online: ${st.online} }`,
        );
        break;
      case 'online':
      case 'offline':
      case 'remove_memory': {
        const t = targets();
        const [start, sz] = t[st.target % t.length];
        const a = st.misalign ? start + SUB : start;
        lines.push(
          `  - ${st.op}: { start: 0x${a.toString(16)}, size: ${z(sz)}${st.op === 'online' ? `, zone: ${st.zone}` : ''} }`,
        );
        break;
      }
    }
  }
  if (s.teardown) for (let i = 0; i < s.devices.length; i++) lines.push(`  - remove: [${name(i)}]`);
  return lines.join('\n') + '\n';
}
