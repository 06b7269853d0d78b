import { ARCH_PRESETS } from '../arch/presets';
import { COST_DOCS } from '../cost/profile';
import { FEATURE_VALUES, type FeatureName } from '../kernel/features';
import { kernelChoices, KERNEL_PRESETS } from '../kernel/presets';
import { RULES } from '../rules';
import { GFPS, type Scenario } from '../scenario/model';
import { STEP_OPS, stepDoc } from '../steps';

export interface Completion {
  label: string;
  detail?: string;
  kind: 'value' | 'key';
  /** What to type: a key with its colon ("probe: "), `boot` bare (it takes no arguments). */
  insert: string;
}

export interface Completions {
  items: Completion[];
  /** [start, end) of the partial word the items replace. */
  range: [number, number];
}

const EXPECT_KINDS = ['diagnostic', 'no-diagnostic', 'lock', 'page', 'time'];

/**
 * Completion for YAML scenarios where the JSON schema cannot help without a YAML extension:
 * preset, arch and diagnostic-code values, device names, step ops, expectation kinds, kernel
 * feature and cost names. Line-based, so it works while the file is half-typed; `scenario` is
 * the last good parse, for device names.
 */
export function completionsAt(
  text: string,
  offset: number,
  scenario?: Scenario,
): Completions | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const prefix = text.slice(lineStart, offset);
  const word = /[\w.+-]*$/.exec(prefix)![0];
  const range: [number, number] = [offset - word.length, offset];
  const value = /([\w-]+):\s*(?:\[(?:[^\]]*,\s*)?)?[\w.+-]*$/.exec(prefix);
  const items = value ? valuesFor(value[1], scenario) : keysFor(text, lineStart, prefix);
  return items.length ? { items, range } : undefined;
}

function valuesFor(key: string, s: Scenario | undefined): Completion[] {
  const values = (
    labels: readonly unknown[],
    detail?: (l: string) => string | undefined,
  ): Completion[] =>
    labels.map((l) => ({
      label: String(l),
      detail: detail?.(String(l)),
      kind: 'value',
      insert: String(l),
    }));
  switch (key) {
    case 'arch':
      return values(
        ARCH_PRESETS.map((a) => a.name),
        (n) => ARCH_PRESETS.find((a) => a.name === n)?.note,
      );
    case 'kernel':
    case 'preset':
      return values(
        kernelChoices(),
        (n) => KERNEL_PRESETS.find((k) => k.name === n)?.summary ?? `upstream ${n}`,
      );
    case 'diagnostic':
    case 'no-diagnostic':
      return values(
        RULES.map((r) => r.code),
        (c) => RULES.find((r) => r.code === c)?.title,
      );
    case 'mode':
      return values(['fsdax', 'devdax']);
    case 'map':
      return values(['dev', 'mem'], (m) =>
        m === 'dev' ? 'memmap on the device (altmap)' : 'memmap in node RAM',
      );
    case 'type':
      return values(['private', 'coherent', 'fsdax', 'generic', 'p2pdma']);
    case 'gfp':
      return values(GFPS, (g) =>
        g === 'GFP_KERNEL'
          ? 'unmovable: slab, page tables (never ZONE_MOVABLE)'
          : 'a user page on the LRU: offline migrates it',
      );
    case 'probe':
    case 'remove':
    case 'device':
      return values(s?.devices.map((d) => d.name) ?? []);
    default: {
      const allowed = FEATURE_VALUES[key as FeatureName];
      return Array.isArray(allowed) ? values(allowed) : [];
    }
  }
}

/** Keys of a block list item or mapping, by the key the block sits under. */
function keysFor(text: string, lineStart: number, prefix: string): Completion[] {
  const item = /^(\s*)-\s*[\w-]*$/.exec(prefix);
  const key = /^(\s*)[\w-]*$/.exec(prefix);
  const indent = (item ?? key)?.[1].length;
  if (indent === undefined) return [];
  const parent = parentKey(text, lineStart, indent, !!item);
  const keys = (
    labels: readonly string[],
    detail?: (l: string) => string | undefined,
  ): Completion[] =>
    labels.map((label) => ({
      label,
      detail: detail?.(label),
      kind: 'key',
      insert: label === 'boot' ? label : `${label}: `,
    }));
  if (item && parent === 'steps') return keys(STEP_OPS, stepDoc);
  if (item && parent === 'expect') return keys(EXPECT_KINDS);
  if (!item && parent === 'features') return keys(Object.keys(FEATURE_VALUES));
  if (!item && parent === 'overrides')
    return keys(Object.keys(COST_DOCS), (c) => COST_DOCS[c as keyof typeof COST_DOCS]);
  return [];
}

/**
 * The nearest line above, indented less than `indent`, that opens a block with `key:`. A list may
 * sit at its key's own indent ("steps:\n- boot"); a mapping's keys are always deeper.
 */
function parentKey(
  text: string,
  lineStart: number,
  indent: number,
  list: boolean,
): string | undefined {
  const lines = text.slice(0, lineStart).split('\n').reverse();
  for (const line of lines) {
    const m = /^(\s*)(?:-\s*)?([\w-]+):\s*(#.*)?$/.exec(line);
    if (m && (m[1].length < indent || (list && m[1].length === indent))) return m[2];
    if (
      line.trim() &&
      !line.trimStart().startsWith('#') &&
      line.length - line.trimStart().length < indent &&
      !m
    )
      return undefined;
  }
  return undefined;
}
