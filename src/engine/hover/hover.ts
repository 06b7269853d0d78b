import type { YAMLMap } from 'yaml';
import { scenarioKernel, type ScenarioKernel } from '../editor/context';
import { locate, parseTree, type Located } from '../editor/locate';
import type { PfnRef, Scenario } from '../scenario/model';
import { scalarSource } from '../scenario/reader';
import { hex } from '../units';
import {
  archMarkdown,
  costMarkdown,
  featureMarkdown,
  kernelMarkdown,
  ruleMarkdown,
  stepMarkdown,
} from './docs';
import { staticLayout } from './layout';
import { expectHover } from './expectHover';
import { rangeLines, sizeLines, type MemmapPlace } from './rangeHover';
import { SUBSECTION_SIZE } from '../arch/presets';
import { markdownText } from '../printable';

/** What to show for the word under the cursor. */
export interface HoverInfo {
  markdown: string;
  /** [start, end) of the word the hover is about. */
  range: [number, number];
  /** A page the latest run can say more about: `pmem0+0x1000` or `0x6c00200` (the worker's resolvePfn). */
  pfn?: { text: string; afterStep?: number };
}

/**
 * Hover text for a scenario position: sizes and addresses (pfns, sections, sub-sections,
 * alignment, memmap), kernel presets and features, arches, diagnostic codes, cost names, steps.
 * `scenario` is the parse of `text`; without it only the words that need no context are explained.
 */
export function hoverAt(
  text: string,
  scenario: Scenario | undefined,
  offset: number,
): HoverInfo | undefined {
  const at = locate(parseTree(text), offset);
  if (!at) return undefined;
  const k = scenario && scenarioKernel(scenario);
  const lines = describe(at, scenario, k);
  if (!lines) return undefined;
  const markdown = Array.isArray(lines) ? lines.join('\n\n') : lines.markdown;
  return { markdown, range: at.range, pfn: Array.isArray(lines) ? undefined : lines.pfn };
}

type Described = string[] | { markdown: string; pfn: HoverInfo['pfn'] } | undefined;

function describe(at: Located, s: Scenario | undefined, k: ScenarioKernel | undefined): Described {
  const { path, isKey } = at;
  const word = String(at.scalar.value);
  const [top, i, third, fourth, fifth] = path;
  const one = (md: string | undefined) => (md ? [md] : undefined);
  if (top === 'arch' && !isKey) return one(archMarkdown(word));
  if (top === 'kernel' && !isKey && (path.length === 1 || i === 'preset'))
    return one(kernelMarkdown(scalarSource(at.scalar) ?? word, s?.arch.name));
  if (top === 'kernel' && i === 'features' && third !== undefined)
    return one(featureMarkdown(String(third), s?.kernel.name ?? '', s?.arch.name));
  if (top === 'cost' && i === 'overrides' && third !== undefined)
    return one(costMarkdown(String(third)));
  if (top === 'expect' && (third === 'diagnostic' || third === 'no-diagnostic') && !isKey)
    return one(ruleMarkdown(word));
  if (top === 'options' && i === 'long-lock-threshold')
    return one(ruleMarkdown('long-hotplug-lock-hold'));
  if (
    top === 'steps' &&
    typeof i === 'number' &&
    (path.length === 2 || (third !== undefined && fourth === undefined && isKey))
  )
    return one(stepMarkdown(path.length === 2 ? word : String(third)));
  if (!s || !k) return undefined;
  if (top === 'machine') return machineHover(s, k, path.slice(1), at);
  if (top === 'devices' && typeof i === 'number')
    return deviceHover(s, k, at, third, fourth, fifth);
  if (top === 'steps' && typeof i === 'number' && !isKey) return stepHover(s, k, i, fourth);
  const expectation =
    top === 'expect' && typeof i === 'number' && !isKey
      ? s.expect.find((x) => x.index === i)
      : undefined;
  if (expectation && third === expectation.kind && fourth !== 'pfn')
    return expectHover(expectation, fourth, word);
  if (top === 'expect' && typeof i === 'number' && third === 'page' && fourth === 'pfn') {
    const e = s.expect.find((x) => x.index === i);
    return e?.kind === 'page' ? pfnHover(s, k, e.pfn, e.afterStep) : undefined;
  }
  return undefined;
}

function machineHover(
  s: Scenario,
  k: ScenarioKernel,
  path: (string | number)[],
  at: Located,
): Described {
  const [list, n, field] = path;
  const { nodes } = staticLayout(s, k);
  if (list === 'nodes' && typeof n === 'number' && (field === 'ram' || field === 'pmem')) {
    const node = s.machine.nodes[n];
    const placed = nodes[n]?.[field][0];
    if (!node) return undefined;
    const memmap: MemmapPlace = {
      on:
        field === 'ram'
          ? `node ${n} RAM (boot memmap, memblock)`
          : `node ${n}'s namespaces (map=dev) or RAM`,
      altmap: false,
    };
    const lines = sizeLines(k, node[field], memmap);
    if (placed && !s.machine[field])
      lines.push(`placed at ${rangeLines(k, placed.start, placed.end)[0]}`);
    return lines;
  }
  if (
    (list === 'ram' || list === 'pmem') &&
    typeof n === 'number' &&
    (field === 'start' || field === 'size')
  ) {
    const r = sameMap(s.machine[list] ?? [], at.parent);
    return (
      r && rangeLines(k, r.start, r.start + r.size, { on: `node ${r.node} RAM`, altmap: false })
    );
  }
  if (list === 'struct_page_size') {
    const sz = s.machine.structPageSize;
    return [
      `**sizeof(struct page) = ${sz} B** · ${k.g.structPagesPerVmemmapPage} struct pages per vmemmap page` +
        (sz & (sz - 1) ? ' · not a power of two: no vmemmap tail reuse' : '') +
        (sz > 64 ? ' · larger than the 64 B libnvdimm reserves: map=dev refused' : ''),
    ];
  }
  return undefined;
}

function deviceHover(
  s: Scenario,
  k: ScenarioKernel,
  at: Located,
  field: unknown,
  j: unknown,
  rangeField: unknown,
): Described {
  const { devices } = staticLayout(s, k);
  const map = at.parent?.range?.[0];
  const dev =
    field === 'ranges'
      ? devices.find(
          (d) => d.spec.kind === 'pgmap' && d.spec.ranges.some((r) => r.span.offset === map),
        )
      : devices.find((d) => d.spec.span.offset === map);
  if (!dev) return undefined;
  const spec = dev.spec;
  if (spec.kind === 'pgmap') {
    const memmap: MemmapPlace = {
      on: `node ${spec.node} RAM`,
      altmap: false,
      vmemmapShift: spec.vmemmapShift,
    };
    if (
      field === 'ranges' &&
      typeof j === 'number' &&
      (rangeField === 'start' || rangeField === 'size')
    ) {
      const r = sameMap(spec.ranges, at.parent);
      return (
        r && [
          `**${markdownText(spec.name)}** range ${j} (${spec.type})`,
          ...rangeLines(k, r.start, r.start + r.size, memmap),
        ]
      );
    }
    if (field === 'vmemmap_shift') {
      const pages = 2 ** spec.vmemmapShift;
      return [
        `**vmemmap_shift ${spec.vmemmapShift}**: compound pages of ${pages} pages (${hex(pages * k.g.pageSize)} bytes)` +
          (k.features.compoundDevmap
            ? ''
            : ` — ignored before v5.17 (${k.variant} has no compound devmaps)`),
      ];
    }
    return undefined;
  }
  if (field !== 'start' && field !== 'size' && field !== 'align' && field !== 'map')
    return undefined;
  const l = dev.layout;
  const [{ start, end }] = dev.placed;
  const shift =
    spec.mode === 'devdax' && k.features.compoundDevmap
      ? Math.round(Math.log2(spec.align / k.g.pageSize))
      : 0;
  const memmap: MemmapPlace =
    spec.map === 'dev'
      ? {
          on: `${markdownText(spec.name)}'s altmap (on the device)`,
          altmap: true,
          vmemmapShift: shift,
        }
      : { on: `node ${spec.node} RAM`, altmap: false, vmemmapShift: shift };
  const head = `**${markdownText(spec.name)}** (${markdownText(dev.devName)}) — ${spec.mode} namespace, map=${spec.map}, align ${hex(spec.align)}`;
  if (!l)
    return [
      head,
      ...rangeLines(k, start, end, memmap),
      'nd_pfn_init() rejects this layout (see the diagnostics)',
    ];
  const data =
    `data offset ${hex(l.offset)} (8 KiB info block` +
    (spec.map === 'dev' ? ', memmap reserve' : '') +
    `, align) → **${l.npfns.toLocaleString('en-US')} data pages**` +
    (l.endTrunc ? `; ${hex(l.endTrunc)} truncated at the end to align` : '');
  return [
    head,
    ...rangeLines(k, l.rangeStart, l.rangeEnd, memmap),
    data,
    ...(shift ? [`devdax align ${hex(spec.align)}: vmemmap_shift ${shift}`] : []),
  ];
}

function stepHover(s: Scenario, k: ScenarioKernel, index: number, field: unknown): Described {
  const step = s.steps.find((st) => st.index === index);
  if (!step) return undefined;
  if ((field === 'start' || field === 'size') && 'start' in step && 'size' in step)
    return rangeLines(k, step.start, step.start + step.size, {
      on: "the node's RAM",
      altmap: false,
    });
  if (field === 'pfn' && 'pfn' in step) return pfnHover(s, k, step.pfn, index);
  return undefined;
}

/** A pfn: where it is; the worker's run says what its struct page holds (`pfn` below). */
function pfnHover(s: Scenario, k: ScenarioKernel, ref: PfnRef, afterStep?: number): Described {
  const { devices } = staticLayout(s, k);
  const dev = devices.find((d) => d.spec.name === ref.device);
  const base =
    !ref.relative || !dev
      ? 0
      : dev.layout
        ? dev.layout.dataPfn
        : Math.floor(dev.placed[0].start / k.g.pageSize);
  if (ref.relative && !dev) return undefined;
  const pfn = base + ref.value;
  const phys = pfn * k.g.pageSize;
  const section = Math.floor(pfn / k.g.pagesPerSection);
  const sub = Math.floor((phys % k.g.sectionSize) / SUBSECTION_SIZE);
  const markdown = [
    `**pfn \`${hex(pfn)}\`**${ref.relative ? ` (${markdownText(ref.device ?? '')}'s first data page + ${hex(ref.value)})` : ''} · phys \`${hex(phys)}\``,
    `section ${section}, sub-section ${sub}`,
  ].join('\n\n');
  const text = ref.relative ? `${ref.device}+${hex(ref.value)}` : hex(ref.value);
  return { markdown, pfn: { text, afterStep } };
}

/** The model entry (a range) defined by the mapping the cursor is in. */
function sameMap<T extends { span: { offset: number } }>(
  items: T[],
  map: YAMLMap | undefined,
): T | undefined {
  return items.find((r) => r.span.offset === map?.range?.[0]);
}
