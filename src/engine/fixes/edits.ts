import { isScalar, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { GiB, KiB, MiB, PiB, TiB } from '../units';

/** Replace text [offset, endOffset) of the scenario with `newText`. */
export interface TextEdit {
  offset: number;
  endOffset: number;
  newText: string;
}

/** A quick fix: one title, one undo step of edits. */
export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** The fix to apply when the user asks for "the" fix (auto-fix, Ctrl+.). */
  preferred?: boolean;
}

/** Replaces a scalar's value, keeping its quotes if it had them (and quoting words in JSON). */
export function replaceScalar(
  text: string,
  node: Node | null | undefined,
  value: string,
  json = false,
): TextEdit | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const [offset, endOffset] = node.range;
  const quote = text[offset];
  if ((quote === '"' || quote === "'") && text[endOffset - 1] === quote)
    return { offset, endOffset, newText: `${quote}${value}${quote}` };
  return {
    offset,
    endOffset,
    newText: json && !/^-?\d+$/.test(value) ? JSON.stringify(value) : value,
  };
}

/** Keys written "like": "this" (a JSON scenario, or a YAML flow map in JSON style). */
export function isJsonStyle(text: string, map: YAMLMap): boolean {
  const key = map.items[0]?.key as Node | undefined;
  return !!key?.range && text[key.range[0]] === '"';
}

/** A value as the scenario's own style writes it: JSON strings are quoted, numbers never. */
export function scalarText(value: string | number, json: boolean): string {
  return json && typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Sets `key` in a mapping: replaces its value, or adds the pair in the mapping's own style. */
export function setField(
  text: string,
  map: YAMLMap,
  key: string,
  value: string | number,
): TextEdit | undefined {
  const json = isJsonStyle(text, map);
  const existing = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  if (existing) return replaceScalar(text, existing.value as Node, String(value), json);
  const last = map.items[map.items.length - 1] as Pair<Scalar, Node> | undefined;
  const end = last?.value?.range?.[1] ?? last?.key?.range?.[1];
  if (end === undefined) return undefined;
  const pair = `${scalarText(key, json)}: ${scalarText(value, json)}`;
  if (map.flow) return { offset: end, endOffset: end, newText: `, ${pair}` };
  return {
    offset: end,
    endOffset: end,
    newText: `\n${indentOf(text, last!.key.range![0])}${pair}`,
  };
}

/** Removes a pair from a mapping: its whole line(s) in block style, the pair and one comma in flow. */
export function deletePair(text: string, map: YAMLMap, pair: Pair): TextEdit | undefined {
  const key = (pair.key as Node).range;
  const value = (pair.value as Node | null)?.range ?? key;
  if (!key || !value) return undefined;
  if (!map.flow)
    return {
      offset: lineStart(text, key[0]),
      endOffset: lineEndAfter(text, value[1]),
      newText: '',
    };
  const i = map.items.indexOf(pair);
  const next = (map.items[i + 1]?.key as Node | undefined)?.range;
  if (next) return { offset: key[0], endOffset: next[0], newText: '' };
  const prev = ((map.items[i - 1]?.value ?? map.items[i - 1]?.key) as Node | undefined)?.range;
  return { offset: prev ? prev[1] : key[0], endOffset: value[1], newText: '' };
}

/** The whitespace a block-mapping key is indented by (a list item's "- " counts as indent). */
export function indentOf(text: string, offset: number): string {
  return text.slice(lineStart(text, offset), offset).replace(/[^\s]/g, ' ');
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just past the end of the line holding `offset` (its newline included). */
export function lineEndAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

const UNITS: [number, string][] = [
  [PiB, 'PiB'],
  [TiB, 'TiB'],
  [GiB, 'GiB'],
  [MiB, 'MiB'],
  [KiB, 'KiB'],
];

/** A new size or address written the way the old one was: hex stays hex, units stay units. */
export function formatLike(source: string, value: number): string {
  if (/^0x/i.test(source.trim())) return '0x' + value.toString(16);
  if (/^\d+$/.test(source.trim())) return String(value);
  for (const [size, name] of UNITS)
    if (value >= size && value % size === 0) return `${value / size}${name}`;
  return String(value);
}
