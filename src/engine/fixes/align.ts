import { isMap, type Document, type Node, type YAMLMap } from 'yaml';
import type { Problem, Scenario, Span } from '../scenario/model';
import { deviceAt, hotplugUnit, scenarioKernel, stepAt } from '../editor/context';
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
export function alignRangeFix(text: string, doc: Document, s: Scenario, p: Problem): QuickFix[] {
  const k = scenarioKernel(s);
  if (!k) return [];
  const unit = hotplugUnit(k);
  const edits = rangesBlamed(s, p.span).flatMap((r) => alignInward(text, doc, r, unit));
  if (edits.length === 0) return [];
  const what = k.features.hotplugUnit === 'subsection' ? `${formatSize(unit)} (sub-section)` : `${formatSize(unit)} (section, ${k.variant})`;
  return [{ title: `Align the range to ${what}`, edits, preferred: true }];
}

/** namespace-misaligned: move the namespace start up to memremap_compat_align(), keeping its end. */
export function alignNamespaceStartFix(text: string, doc: Document, s: Scenario, p: Problem): QuickFix[] {
  const k = scenarioKernel(s);
  const dev = deviceAt(s, p.span);
  if (!k || dev?.kind !== 'namespace' || dev.start === undefined) return [];
  const start = alignUp(dev.start, k.g.compatAlign);
  const map = mapAt(doc, dev.span.offset);
  const startNode = pairOf(map, 'start')?.value;
  const edits: TextEdit[] = [];
  const e = replaceScalar(text, startNode, formatLike(sourceOf(startNode) ?? '', start), !!map && isJsonStyle(text, map));
  if (e) edits.push(e);
  const sizeNode = pairOf(map, 'size')?.value;
  if (dev.size !== undefined && sizeNode) {
    const size = dev.size - (start - dev.start);
    const se = size > 0 && replaceScalar(text, sizeNode, formatLike(sourceOf(sizeNode) ?? '', size), !!map && isJsonStyle(text, map));
    if (se) edits.push(se);
  }
  return edits.length ? [{ title: `Align start up to ${hex(start)} (memremap_compat_align ${formatSize(k.g.compatAlign)})`, edits, preferred: true }] : [];
}

/** The ranges a problem blames: the device's, every device of a probe/remove step, or a RAM step's. */
function rangesBlamed(s: Scenario, span: Span): RangeAt[] {
  const step = stepAt(s, span);
  const names = step && (step.op === 'probe' || step.op === 'remove') ? step.devices : [deviceAt(s, span)?.name];
  const out: RangeAt[] = [];
  for (const d of s.devices) {
    if (!names.includes(d.name)) continue;
    if (d.kind === 'pgmap') out.push(...d.ranges);
    else if (d.start !== undefined) out.push({ span: d.span, start: d.start, size: d.size });
  }
  if (step && 'start' in step && 'size' in step) out.push({ span: step.span, start: step.start, size: step.size });
  return out;
}

function alignInward(text: string, doc: Document, r: RangeAt, unit: number): TextEdit[] {
  if (r.start === undefined) return [];
  const size = r.size;
  const start = alignUp(r.start, unit);
  const end = size === undefined ? undefined : alignDown(r.start + size, unit);
  if ((start === r.start && (end === undefined || end - start === size)) || (end !== undefined && end <= start)) return [];
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
    const e = replaceScalar(text, sizeNode, formatLike(sourceOf(sizeNode) ?? '', end - start), json);
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
