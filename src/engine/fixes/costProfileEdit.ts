import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import { pairOf, parseTree } from '../editor/locate';
import { indentOf, isJsonStyle, lineEndAfter, lineStart, setField, type TextEdit } from './edits';

/** A path YAML reads as a plain string; anything else is written "quoted". */
const PLAIN = /^[\w./-](?:[\w ./+-]*[\w./+-])?$/;

/** `path` as a scalar in the scenario's style: JSON quotes it, YAML only when it must. */
function scalarFor(path: string, json: boolean, wasQuoted = false): string {
  return json || wasQuoted || !PLAIN.test(path) ? JSON.stringify(path) : path;
}

/**
 * The one edit that makes a scenario use a cost profile file (what Calibrate from Kernel Log…
 * offers): `cost: default` becomes `cost: <path>`; `cost: { profile, overrides }` keeps its
 * overrides (they win over any profile) and changes or adds `profile`; a scenario without `cost:`
 * gets one after `kernel:`. Undefined when `cost:` is not something this can rewrite.
 */
export function setCostProfile(text: string, path: string): TextEdit | undefined {
  const root = parseTree(text).contents as Node | null;
  if (!isMap(root)) return undefined;
  const json = isJsonStyle(text, root);
  const cost = pairOf(root, 'cost');
  if (cost && isScalar(cost.value) && cost.value.range) {
    const [offset, endOffset] = cost.value.range;
    return { offset, endOffset, newText: scalarFor(path, json, /^["']/.test(text[offset])) };
  }
  if (cost && isMap(cost.value)) {
    const profile = pairOf(cost.value, 'profile');
    if (isScalar(profile?.value) && profile.value.range) {
      const [offset, endOffset] = profile.value.range;
      return {
        offset,
        endOffset,
        newText: scalarFor(path, json || isJsonStyle(text, cost.value), /^["']/.test(text[offset])),
      };
    }
    const first = (cost.value.items[0]?.key as Node | undefined)?.range?.[0];
    if (!cost.value.flow && first !== undefined) {
      // A block mapping: `profile:` goes first, on its own line, indented like the other keys.
      const at = lineStart(text, first);
      return {
        offset: at,
        endOffset: at,
        newText: `${indentOf(text, first)}profile: ${scalarFor(path, false)}\n`,
      };
    }
    // setField quotes for JSON itself; for YAML it writes the value as given.
    return setField(
      text,
      cost.value,
      'profile',
      isJsonStyle(text, cost.value) ? path : scalarFor(path, false),
    );
  }
  return cost ? undefined : addCost(text, root, json, path);
}

/** A new `cost:` right after `kernel:` (every scenario has one), in the document's own layout. */
function addCost(text: string, root: YAMLMap, json: boolean, path: string): TextEdit | undefined {
  const kernel = pairOf(root, 'kernel');
  const key = kernel?.key.range;
  const end = (kernel?.value as Node | null | undefined)?.range?.[1];
  if (!key || end === undefined) return undefined;
  const pair = `${json ? '"cost"' : 'cost'}: ${scalarFor(path, json)}`;
  if (!root.flow) {
    const at = lineEndAfter(text, end - 1);
    return {
      offset: at,
      endOffset: at,
      newText: `${at === text.length && !text.endsWith('\n') ? '\n' : ''}${indentOf(text, key[0])}${pair}\n`,
    };
  }
  // A JSON scenario: on its own line when `kernel` is on its own line, else inline.
  const ownLine = /(^|\n)[ \t]*$/.test(text.slice(0, key[0]));
  return {
    offset: end,
    endOffset: end,
    newText: ownLine ? `,\n${indentOf(text, key[0])}${pair}` : `, ${pair}`,
  };
}
