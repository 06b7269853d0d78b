import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
} from 'yaml';

/** A key or index on the way from the document root to a node. */
export type PathPart = string | number;

/** The scalar under a text offset, with where it sits in the document. */
export interface Located {
  /** Keys and list indices from the root to the scalar (its own key last, for keys and values). */
  path: PathPart[];
  scalar: Scalar;
  /** The scalar is a mapping key rather than a value. */
  isKey: boolean;
  /** The mapping holding the pair, when the scalar is a key or a value of one. */
  parent?: YAMLMap;
  /** [start, end) of the scalar's text (quotes included). */
  range: [number, number];
}

/**
 * The syntax tree the editor features read positions from. Parsed like the scenario parser does
 * (same library, same options), so offsets agree with the parser's spans; JSON is YAML here too.
 */
export function parseTree(text: string): Document {
  return parseDocument(text, { prettyErrors: false, uniqueKeys: false });
}

/** The innermost scalar whose text contains `offset` (its end counts: the cursor after a word). */
export function locate(doc: Document, offset: number): Located | undefined {
  return walk(doc.contents as Node | null, [], offset);
}

function walk(
  node: Node | null,
  path: PathPart[],
  offset: number,
  parent?: YAMLMap,
): Located | undefined {
  if (!node || !node.range || offset < node.range[0] || offset > node.range[2]) return undefined;
  if (isScalar(node)) {
    const range: [number, number] = [node.range[0], node.range[1]];
    return offset <= range[1] ? { path, scalar: node, isKey: false, parent, range } : undefined;
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = keyText(pair);
      if (key === undefined) continue;
      const k = pair.key as Node;
      if (isScalar(k) && k.range && offset >= k.range[0] && offset <= k.range[1]) {
        return {
          path: [...path, key],
          scalar: k,
          isKey: true,
          parent: node,
          range: [k.range[0], k.range[1]],
        };
      }
      const found = walk(pair.value as Node | null, [...path, key], offset, node);
      if (found) return found;
    }
  }
  if (isSeq(node)) {
    for (const [i, item] of (node.items as Node[]).entries()) {
      const found = walk(item, [...path, i], offset);
      if (found) return found;
    }
  }
  return undefined;
}

/** The mapping that starts exactly at `offset` (a device's or step's span start). */
export function mapAt(doc: Document, offset: number): YAMLMap | undefined {
  let found: YAMLMap | undefined;
  const visit = (node: Node | null | undefined): void => {
    if (found || !node || !node.range || offset < node.range[0] || offset > node.range[2]) return;
    if (isMap(node)) {
      if (node.range[0] === offset) {
        found = node;
        return;
      }
      for (const pair of node.items) visit(pair.value as Node);
    } else if (isSeq(node)) for (const item of node.items as Node[]) visit(item);
  };
  visit(doc.contents as Node | null);
  return found;
}

/** The pair of `key` in a mapping. */
export function pairOf(
  map: YAMLMap | undefined,
  key: string,
): Pair<Scalar, Node | null> | undefined {
  return map?.items.find((p): p is Pair<Scalar, Node | null> => isPair(p) && keyText(p) === key);
}

/** The pair at a key path from the root, e.g. ['options', 'long-lock-threshold']. */
export function pairAtPath(doc: Document, path: string[]): Pair<Scalar, Node | null> | undefined {
  let map = doc.contents as Node | null;
  let pair: Pair<Scalar, Node | null> | undefined;
  for (const key of path) {
    if (!isMap(map)) return undefined;
    pair = pairOf(map, key);
    map = pair?.value ?? null;
  }
  return pair;
}

/** A scalar's original text ("0x6000000000", "3TiB"), as the parser reads it. */
export function sourceOf(node: Node | null | undefined): string | undefined {
  if (!isScalar(node)) return undefined;
  return (node as Scalar & { source?: string }).source ?? String(node.value);
}

function keyText(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}
