import { isMap, type Document, type Node, type YAMLMap } from 'yaml';
import type { Problem, Scenario, Span } from '../scenario/model';
import {
  deviceAt,
  hotplugUnit,
  scenarioKernel,
  stepAt,
  type ScenarioKernel,
} from '../editor/context';
import { SWITCHES } from '../kernel/switches';
import { releaseOf } from '../kernel/version';
import { mapAt, pairOf, sourceOf } from '../editor/locate';
import { alignDown, alignUp, formatSize, hex } from '../units';
import { formatLike, isJsonStyle, replaceScalar, type QuickFix, type TextEdit } from './edits';

/** A start/size pair in the text: a raw pgmap range, a namespace, a RAM hotplug step. */
interface RangeAt {
  span: Span;
  start?: number;
  size?: number;
}

/**
 * misaligned-subsection: check_pfn_span() wants start and size on the hotplug unit (2 MiB, or a
 * section before v5.3). The fix shrinks each misaligned range inward to the unit, so it never
 * reaches memory the range did not cover.
 */
export function alignRangeFix(
  text: string,
  doc: Document,
  s: Scenario,
  p: Problem,
  variant?: string,
): QuickFix[] {
  const k = scenarioKernel(s, variant);
  if (!k) return [];
  const unit = hotplugUnit(k);
  const edits = rangesBlamed(s, p.span).flatMap((r) => alignInward(text, doc, r, unit));
  if (edits.length === 0) return [];
  const what =
    k.features.hotplugUnit === 'subsection'
      ? `${formatSize(unit)} (sub-section)`
      : `${formatSize(unit)} (section, ${k.variant})`;
  return [{ title: `Align the range to ${what}`, edits, preferred: true }];
}

/**
 * namespace-misaligned, invalid-altmap: move the namespace start up to the unit the kernel checks,
 * keeping its end. From v5.7 nd_pfn_init() wants memremap_compat_align(); before v5.3
 * devm_memremap_pages() hot-adds whole sections and __add_pages() wants the altmap to start on one.
 */
export function alignNamespaceStartFix(
  text: string,
  doc: Document,
  s: Scenario,
  p: Problem,
  variant?: string,
): QuickFix[] {
  const k = scenarioKernel(s, variant);
  const dev = deviceAt(s, p.span);
  if (!k || dev?.kind !== 'namespace' || dev.start === undefined) return [];
  const [unit, why] = startUnit(k, dev.map);
  const start = alignUp(dev.start, unit);
  if (start === dev.start) return [];
  const map = mapAt(doc, dev.span.offset);
  const startNode = pairOf(map, 'start')?.value;
  const edits: TextEdit[] = [];
  const e = replaceScalar(
    text,
    startNode,
    formatLike(sourceOf(startNode) ?? '', start),
    !!map && isJsonStyle(text, map),
  );
  if (e) edits.push(e);
  const sizeNode = pairOf(map, 'size')?.value;
  if (dev.size !== undefined && sizeNode) {
    const size = dev.size - (start - dev.start);
    const se =
      size > 0 &&
      replaceScalar(
        text,
        sizeNode,
        formatLike(sourceOf(sizeNode) ?? '', size),
        !!map && isJsonStyle(text, map),
      );
    if (se) edits.push(se);
  }
  return edits.length
    ? [{ title: `Align start up to ${hex(start)} (${why})`, edits, preferred: true }]
    : [];
}

/** The alignment a namespace start needs, named as the scenario's release names it. */
function startUnit(k: ScenarioKernel, map: 'dev' | 'mem'): [number, string] {
  // Before v5.3 a `map: dev` namespace's altmap must start on the section that is hot-added.
  if (k.features.hotplugUnit === 'section' && map === 'dev') {
    return [
      k.g.sectionSize,
      `${formatSize(k.g.sectionSize)} section: ${k.features.version} hot-adds whole sections`,
    ];
  }
  // memremap_compat_align() arrived with the check (v5.7); an older kernel with the check switched on has no such name.
  const named =
    releaseOf(k.features) >= COMPAT_ALIGN_RELEASE ? 'memremap_compat_align()' : 'compat alignment';
  return [k.g.compatAlign, `${named} ${formatSize(k.g.compatAlign)}`];
}

/** The release whose libnvdimm enforces memremap_compat_align() (the switch table's row). */
const COMPAT_ALIGN_RELEASE =
  SWITCHES.find((r) => r.set.compatAlignCheck === true)?.release ?? Infinity;

/** The ranges a problem blames: the device's, every device of a probe/remove step, or a RAM step's. */
function rangesBlamed(s: Scenario, span: Span): RangeAt[] {
  const step = stepAt(s, span);
  const names =
    step && (step.op === 'probe' || step.op === 'remove')
      ? step.devices
      : [deviceAt(s, span)?.name];
  const out: RangeAt[] = [];
  for (const d of s.devices) {
    if (!names.includes(d.name)) continue;
    if (d.kind === 'pgmap') out.push(...d.ranges);
    else if (d.start !== undefined) out.push({ span: d.span, start: d.start, size: d.size });
  }
  if (step && 'start' in step && 'size' in step)
    out.push({ span: step.span, start: step.start, size: step.size });
  return out;
}

function alignInward(text: string, doc: Document, r: RangeAt, unit: number): TextEdit[] {
  if (r.start === undefined) return [];
  const size = r.size;
  const start = alignUp(r.start, unit);
  const end = size === undefined ? undefined : alignDown(r.start + size, unit);
  if (
    (start === r.start && (end === undefined || end - start === size)) ||
    (end !== undefined && end <= start)
  )
    return [];
  const map = argsMap(doc, r.span.offset);
  if (!map) return [];
  const json = isJsonStyle(text, map);
  const edits: TextEdit[] = [];
  const startNode = pairOf(map, 'start')?.value;
  if (start !== r.start) {
    const e = replaceScalar(text, startNode, formatLike(sourceOf(startNode) ?? '', start), json);
    if (e) edits.push(e);
  }
  const sizeNode = pairOf(map, 'size')?.value;
  if (end !== undefined && end - start !== size) {
    const e = replaceScalar(
      text,
      sizeNode,
      formatLike(sourceOf(sizeNode) ?? '', end - start),
      json,
    );
    if (e) edits.push(e);
  }
  return edits;
}

/** The mapping holding start/size at a span: its own, or a step's arguments (`- add_memory: {…}`). */
function argsMap(doc: Document, offset: number): YAMLMap | undefined {
  const map = mapAt(doc, offset);
  if (!map || pairOf(map, 'start')) return map;
  const args = map.items.length === 1 ? (map.items[0].value as Node | null) : null;
  return isMap(args) ? args : undefined;
}
