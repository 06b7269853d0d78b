/**
 * Inputs for the fuzzers (test/unit/fuzz.test.ts, bench/fuzz.ts): arbitrary and YAML-shaped text,
 * mutated valid scenarios, nesting and alias bombs, huge numbers, and kernel logs (text and bytes).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { render, scenarioArb } from './generate';
import { ARCH_PRESETS } from '../../src/engine/arch/presets';
import { KERNEL_PRESETS } from '../../src/engine/kernel/presets';
import { STEP_OPS } from '../../src/engine/steps';

const ROOT = join(__dirname, '..', '..');

function readAll(dir: string, suffix: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(suffix))
      .sort()
      .map((f) => readFileSync(join(dir, f), 'utf8'));
  } catch {
    return [];
  }
}

/** The example scenarios: realistic, large machines. */
export const EXAMPLES = readAll(join(ROOT, 'examples'), '.memmap.yaml');
/** Real kernel logs collected for the importers. */
export const LOGS = readAll(join(ROOT, 'test', 'fixtures', 'logs'), '');

/** Words a scenario is made of, so mutations stay close to meaningful. */
const WORDS = [
  'name',
  'arch',
  'kernel',
  'preset',
  'features',
  'cost',
  'profile',
  'overrides',
  'machine',
  'nodes',
  'ram',
  'pmem',
  'cpus',
  'node',
  'start',
  'size',
  'struct_page_size',
  'devices',
  'mode',
  'map',
  'align',
  'type',
  'ranges',
  'vmemmap_shift',
  'steps',
  'expect',
  'options',
  'device',
  'pfn',
  'count',
  'pages',
  'zone',
  'diagnostic',
  'no-diagnostic',
  'lock',
  'page',
  'time',
  'after-step',
  'refcount',
  'flags',
  'fsdax',
  'devdax',
  'dev',
  'mem',
  'private',
  'coherent',
  'generic',
  'p2pdma',
  'movable',
  'normal',
  'long-lock-threshold',
  ...STEP_OPS,
  ...KERNEL_PRESETS.map((k) => k.name),
  ...ARCH_PRESETS.map((a) => a.name),
];

const NUMBERS = [
  '0',
  '1',
  '-1',
  '+0',
  '+0x10',
  '0x',
  '0x0',
  '0xffffffffffffffffffffffffffffffff',
  '99999999999999999999',
  '1e309',
  '1.5',
  '.5',
  'NaN',
  '.inf',
  '-.inf',
  '4PiB',
  '4097TiB',
  '2MiB',
  '1KiB',
  '3TiB',
  '0b101',
  '0o17',
  '1_000',
  '12:30',
  '~',
  'null',
  'true',
  '2**40',
  '4096',
  '16MiB',
  '1099511627776',
  '9007199254740993',
  '2 MiB',
  '1s',
  '20us',
  '-2MiB',
];

const TOKENS = [
  '\n',
  ' ',
  '  ',
  '- ',
  ': ',
  ':',
  ',',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '#',
  '&a ',
  '*a',
  '<<: *a',
  '!!str ',
  '!!binary ',
  '!foo ',
  '|',
  '>',
  '? ',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '\t',
  '\r\n',
  '\\',
  '\u0000',
  '\u00e9',
  '\u{1F600}',
  '\ufeff',
  ...NUMBERS,
  ...WORDS.map((w) => `${w}: `),
];

const token = fc.constantFrom(...TOKENS);
const word = fc.constantFrom(...WORDS);
const number = fc.constantFrom(...NUMBERS);

/** Text made of YAML punctuation, scenario words and numbers: mostly invalid, sometimes nearly right. */
export const yamlishText = fc
  .array(fc.oneof(token, word, number), { maxLength: 80 })
  .map((parts) => parts.join(''));

/** Anything at all, including lone surrogates and control characters. */
export const anyText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 400 }),
);

type Mutation = (text: string, r: number[]) => string;

const at = (text: string, r: number) => Math.floor(r * (text.length + 1));
const lineOf = (lines: string[], r: number) => Math.floor(r * lines.length);

const MUTATIONS: Mutation[] = [
  (t, [a, b]) => t.slice(0, at(t, Math.min(a, b))) + t.slice(at(t, Math.max(a, b))),
  (t, [a, b]) => t.slice(0, at(t, a)) + TOKENS[Math.floor(b * TOKENS.length)] + t.slice(at(t, a)),
  (t, [a]) => {
    const lines = t.split('\n');
    const i = lineOf(lines, a);
    lines.splice(i, 0, lines[i] ?? '');
    return lines.join('\n');
  },
  (t, [a, b]) => {
    const lines = t.split('\n');
    const i = lineOf(lines, a);
    const j = lineOf(lines, b);
    [lines[i], lines[j]] = [lines[j], lines[i]];
    return lines.join('\n');
  },
  (t, [a, b]) =>
    replaceNth(
      t,
      /\b(0x[0-9a-f]+|\d+(?:[KMGTP]i?B)?)\b/gi,
      a,
      NUMBERS[Math.floor(b * NUMBERS.length)],
    ),
  (t, [a, b]) => replaceNth(t, /\b[a-z][a-z0-9_.-]*\b/gi, a, WORDS[Math.floor(b * WORDS.length)]),
  (t, [a, b]) => {
    const lines = t.split('\n');
    const i = lineOf(lines, a);
    lines[i] =
      b < 0.5 ? ' '.repeat(1 + Math.floor(b * 8)) + lines[i] : lines[i].replace(/^ {1,2}/, '');
    return lines.join('\n');
  },
  (t, [a]) => t.slice(0, at(t, a)),
  (t, [a, b]) =>
    t.slice(0, at(t, a)) +
    (b < 0.3 ? '['.repeat(200) : b < 0.6 ? '- '.repeat(150) : 'x'.repeat(5000)) +
    t.slice(at(t, a)),
];

function replaceNth(text: string, re: RegExp, r: number, by: string): string {
  const matches = [...text.matchAll(re)];
  if (matches.length === 0) return text;
  const m = matches[Math.floor(r * matches.length)];
  return text.slice(0, m.index) + by + text.slice(m.index! + m[0].length);
}

/** Which mutations keep a text parseable YAML most of the time: values and words only. */
const VALUE_MUTATIONS = [MUTATIONS[4], MUTATIONS[5]];

function mutated(base: fc.Arbitrary<string>, ops: Mutation[], max: number): fc.Arbitrary<string> {
  const step = fc.tuple(
    fc.nat(ops.length - 1),
    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  );
  return fc
    .tuple(base, fc.array(step, { minLength: 1, maxLength: max }))
    .map(([text, steps]) => steps.reduce((t, [k, a, b]) => ops[k](t, [a, b]), text));
}

/** Small generated scenarios (the oracle's) and the examples. */
const validScenario = fc.oneof(
  { arbitrary: scenarioArb(8).map(render), weight: 4 },
  { arbitrary: fc.constantFrom(...EXAMPLES), weight: EXAMPLES.length ? 1 : 0 },
);

/** Valid scenarios with 1–4 structural or textual mutations. */
export const mutatedScenario = mutated(validScenario, MUTATIONS, 4);

/** Valid scenarios with 1–3 value or word swaps: mostly still YAML, often still a scenario. */
export const perturbedScenario = mutated(validScenario, VALUE_MUTATIONS, 3);

/** Deep nesting, aliases and merge keys, huge numbers and long strings inside a scenario. */
export const hostileScenario = fc
  .tuple(
    fc.constantFrom(...(EXAMPLES.length ? EXAMPLES : ['name: x\n'])),
    fc.nat(7),
    fc.integer({ min: 1, max: 3000 }),
  )
  .map(([base, kind, n]) => {
    switch (kind) {
      case 0:
        return base + 'options: ' + '['.repeat(n) + ']'.repeat(n) + '\n';
      case 1:
        return base.replace(/^steps:\n/m, 'steps:\n  ' + '- '.repeat(n) + 'boot\n');
      case 2:
        return (
          'a: &a [' +
          Array(10).fill('x').join(',') +
          ']\n' +
          Array.from(
            { length: Math.min(n, 30) },
            (_, i) =>
              `b${i}: &b${i} [${Array(10)
                .fill(i ? `*b${i - 1}` : '*a')
                .join(',')}]`,
          ).join('\n') +
          '\n' +
          base
        );
      case 3:
        return base.replace(/size: [^,}\n]+/, `size: ${'9'.repeat(n)}`);
      case 4:
        return base.replace(/name: [^\n]+/, `name: ${'x'.repeat(n * 100)}`);
      case 5:
        return base.replace(
          /devices:\n/,
          'devices:\n  - &d { name: zz, mode: fsdax }\n  - { <<: *d, name: zz2 }\n  - *d\n',
        );
      case 6:
        return base + `${'k'.repeat(n)}: 1\n`.repeat(Math.min(n, 200));
      default:
        return base.replace(/^steps:\n/m, 'steps:\n' + '  - boot\n'.repeat(n));
    }
  });

/** Kernel logs: fixtures mutated, arbitrary text, and text with log-looking lines. */
const logLine = fc
  .tuple(
    fc.nat(99999),
    fc.nat(999999),
    fc.constantFrom(
      'memmap_init_zone_device initialised 262144 pages in 12ms',
      'percpu ref (dev_pagemap_percpu_release) <= 0 (-3) after switching to atomic',
      'WARNING: CPU: 3 PID: 1 at mm/memremap.c:123 memremap_pages+0x1',
      'Call Trace:',
      ' <TASK>',
      ' dump_stack+0x1/0x2',
      '---[ end trace 0000 ]---',
      'node 0 deferred pages initialised in 1060ms',
      'x86/mm: Memory block size: 2048MB',
      'Misaligned __add_pages start: 0x1 end: #2',
      'pfn0.0 initialised, 792722944 pages in 24170ms',
      'BUG: Unable to handle kernel data access on write at 0xc00c',
      '# tracer: function_graph',
      ' 3)   1.234 us    |  sparse_add_section();',
      '{"traceEvents":[',
      'class name    con-bounces    contentions',
      'mem_hotplug_lock-W: 1 2 3',
    ),
  )
  .map(([s, us, text]) => `[${String(s).padStart(5)}.${String(us).padStart(6, '0')}] ${text}`);

/**
 * The shapes that once made an importer quadratic, overflow its stack or grow without bound: a
 * stamped line followed by a long run of unstamped ones (a pasted /proc/iomem), a splat with a
 * huge body, a new record per line of each per-record collection (ftrace CPUs and open `f() {`,
 * lock_stat classes and call sites, Chrome threads and open `B` slices), timestamps that jump
 * back on every line, and numbers that are not finite. Up to `maxLines` lines: the unit tests'
 * fuzz keeps them small, the long `npm run fuzz` reaches the sizes where those faults showed.
 */
export const logShapes = (maxLines: number) =>
  fc.tuple(fc.nat(8), fc.integer({ min: 1, max: maxLines })).map(([kind, n]) => {
    const lines = (f: (i: number) => string) =>
      Array.from({ length: n }, (_, i) => f(i)).join('\n');
    const stamp = (i: number) =>
      `[${String(i % 100_000).padStart(5)}.${String(i % 1_000_000).padStart(6, '0')}]`;
    switch (kind) {
      case 0:
        return `[    1.000000] reserve setup_data:\n${lines((i) => `  ${(i * 4096).toString(16).padStart(8, '0')}-${(i * 4096 + 4095).toString(16)} : System RAM`)}`;
      case 1:
        return `[    2.000000] BUG: unable to handle page fault for address: 0000000000000001\n${lines(() => ' x')}`;
      case 2:
        return `# tracer: function_graph\n${lines((i) => ` ${i}) ${i}.000 us    |  f${i}() {`)}`;
      case 3:
        return `lock_stat version 0.4\nclass name    con-bounces    contentions\n${lines((i) => `l${i}:  1  2  0.01  0.02  0.03  0.01  3  4  0.01  0.02  0.03  0.01\n  l${i}  1  [<0000000000000000>] f${i}+0x1/0x2`)}`;
      case 4:
        return `{"traceEvents":[${lines((i) => `{"ph":"B","name":"f","pid":1,"tid":${i},"ts":${i}},`)}{"ph":"E","pid":1,"tid":0,"ts":1}]}`;
      case 5:
        return `{"traceEvents":[${lines((i) => `{"ph":"X","name":"f","pid":1,"tid":1,"ts":${['"NaN"', '1e400', '-1e400', 'null', '"x"', String(i)][i % 6]},"dur":${['"x"', '-1', '1e400', '1'][i % 4]}},`)}{}],"otherData":{"endNs":-1e400}}`;
      case 6:
        return lines((i) => `${stamp(n - i)} node 0 deferred pages initialised in ${i}ms`);
      case 7:
        return lines(
          (i) =>
            `${stamp(i)} WARNING: CPU: ${i} PID: ${i} at mm/memremap.c:${i} memremap_pages+0x${i.toString(16)}/0x100`,
        );
      default:
        return `${stamp(1)} Call Trace:\n${lines((i) => ` [<ffffffff${(i % 0x10000000).toString(16).padStart(8, '0')}>] f${i}+0x1/0x2`)}`;
    }
  });

export const logText = fc.oneof(
  { arbitrary: logShapes(4_000), weight: 1 },
  { arbitrary: mutated(fc.constantFrom(...(LOGS.length ? LOGS : [''])), MUTATIONS, 4), weight: 4 },
  {
    arbitrary: fc
      .array(fc.oneof(logLine, anyText, yamlishText), { maxLength: 40 })
      .map((l) => l.join('\n')),
    weight: 3,
  },
  { arbitrary: anyText, weight: 1 },
  {
    arbitrary: fc.constantFrom(
      '{"traceEvents":[',
      '{"traceEvents":[{"ph":"X","name":"a","ts":1,"dur":2}',
      '[{"ph":"B"}]',
      '{',
      '{"a":' + '['.repeat(500),
    ),
    weight: 1,
  },
);

/** The same logs as bytes in chunks (a stream read), sometimes not UTF-8 at all. */
export const logChunks = fc.oneof(
  logText.chain((t) =>
    fc
      .array(fc.nat(Math.max(1, t.length)), { maxLength: 6 })
      .map((cuts) => splitAt(new TextEncoder().encode(t), cuts)),
  ),
  fc.array(fc.uint8Array({ maxLength: 2000 }), { maxLength: 4 }),
);

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.slice(prev, p));
    prev = p;
  }
  out.push(bytes.slice(prev));
  return out;
}
