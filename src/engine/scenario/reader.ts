import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  type Scalar,
} from 'yaml';
import type { Problem, Span } from './model';
import { nearest } from './suggest';
import { parseAddress, parseDuration, parseSize, MAX_PHYS_BYTES } from '../units';
import type { DiagnosticCode } from '../trace/diagnosticCodes';

/**
 * Typed reading of a YAML/JSON syntax tree that keeps positions: every accessor reports a
 * positioned `scenario-schema` problem and returns undefined instead of throwing.
 */
export class Reader {
  readonly problems: Problem[] = [];

  constructor(
    private readonly lines: LineCounter,
    private readonly textLength: number,
  ) {}

  span(node: Node | Pair | null | undefined): Span {
    const range = rangeOf(node) ?? [0, 0];
    return this.spanAt(range[0], Math.max(range[1], range[0]));
  }

  spanAt(start: number, end: number): Span {
    const s = this.lines.linePos(Math.min(start, this.textLength));
    const e = this.lines.linePos(Math.min(end, this.textLength));
    return {
      line: s.line,
      column: s.col,
      endLine: e.line,
      endColumn: e.col,
      offset: start,
      endOffset: end,
    };
  }

  report(
    node: Node | Pair | null | undefined,
    message: string,
    suggestion?: string,
    code: DiagnosticCode = 'scenario-schema',
  ): void {
    this.problems.push({ code, severity: 'error', message, span: this.span(node), suggestion });
  }

  /** Reads a mapping, reporting unknown keys with the nearest known one. */
  fields(
    node: Node | null | undefined,
    known: readonly string[],
    what: string,
  ): Fields | undefined {
    if (!isMap(node)) {
      this.report(node, `${what} must be a mapping`);
      return undefined;
    }
    const fields = new Fields(this, node);
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) {
        this.report(pair.key as Node, `${what}: keys must be plain names`);
        continue;
      }
      if (fields.pairs.has(key) || (!known.includes(key) && seen.has(key))) {
        this.report(
          pair.key as Node,
          `duplicate key '${key}' in ${what}`,
          undefined,
          'scenario-syntax',
        );
        continue;
      }
      seen.add(key);
      if (!known.includes(key)) {
        const guess = nearest(key, known);
        this.report(
          pair.key as Node,
          `unknown key '${key}' in ${what}` +
            (guess ? `; did you mean '${guess}'?` : `; expected one of ${known.join(', ')}`),
          guess,
        );
        continue;
      }
      fields.pairs.set(key, pair as Pair<Scalar, Node>);
    }
    return fields;
  }

  list(node: Node | null | undefined, what: string): Node[] | undefined {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
    if (!isSeq(node)) {
      this.report(node, `${what} must be a list`);
      return undefined;
    }
    return node.items as Node[];
  }

  text(node: Node | null | undefined, what: string): string | undefined {
    if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number'))
      return String(node.value);
    this.report(node, `${what} must be a string`);
    return undefined;
  }

  boolean(node: Node | null | undefined, what: string): boolean | undefined {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.report(node, `${what} must be true or false`);
    return undefined;
  }

  oneOf<T extends string>(
    node: Node | null | undefined,
    values: readonly T[],
    what: string,
  ): T | undefined {
    const value = this.text(node, what);
    if (value === undefined) return undefined;
    if ((values as readonly string[]).includes(value)) return value as T;
    const guess = nearest(value, values);
    this.report(
      node,
      `unknown ${what} '${value}'` +
        (guess ? `; did you mean '${guess}'?` : '') +
        `; expected one of ${values.join(', ')}`,
      guess,
    );
    return undefined;
  }

  integer(
    node: Node | null | undefined,
    what: string,
    min = 0,
    max = Number.MAX_SAFE_INTEGER,
  ): number | undefined {
    const raw = scalarSource(node);
    const value = raw === undefined ? undefined : parseAddress(raw);
    if (value === undefined || !Number.isSafeInteger(value)) {
      this.report(node, `${what} must be a whole number (decimal or 0x hex)`);
      return undefined;
    }
    if (value < min || value > max) {
      this.report(node, `${what} must be between ${min} and ${max}`);
      return undefined;
    }
    return value;
  }

  /** Sizes take binary units (KiB…PiB; K/M/G/T mean the same) or plain bytes. */
  size(node: Node | null | undefined, what: string): number | undefined {
    const raw = scalarSource(node);
    const value = raw === undefined ? undefined : parseSize(raw);
    if (value === undefined) {
      this.report(node, `${what} must be a size such as 2MiB, 16G or 0x80000000`);
      return undefined;
    }
    const unit = /^(\d+(?:\.\d+)?)\s*([kmgtp])b?$/i.exec(raw!.trim());
    if (unit) {
      const binary = `${unit[1]}${unit[2].toUpperCase()}iB`;
      const message = `${raw!.trim()} is read as ${unit[1]} ${unit[2].toUpperCase()}iB (binary, as the kernel's memparse() reads sizes): write ${binary} to say so`;
      this.problems.push({
        code: 'binary-size-unit',
        severity: 'info',
        message,
        span: this.span(node),
        suggestion: binary,
      });
    }
    return this.physical(node, value, what);
  }

  address(node: Node | null | undefined, what: string): number | undefined {
    const raw = scalarSource(node);
    const value = raw === undefined ? undefined : (parseAddress(raw) ?? parseSize(raw));
    if (value === undefined) {
      this.report(node, `${what} must be an address such as 0x6000000000`);
      return undefined;
    }
    return this.physical(node, value, what);
  }

  duration(node: Node | null | undefined, what: string): number | undefined {
    const raw = scalarSource(node);
    const value = raw === undefined ? undefined : parseDuration(raw);
    if (value === undefined)
      this.report(node, `${what} must be a duration such as 1s, 250ms or 20us`);
    return value;
  }

  private physical(node: Node | null | undefined, value: number, what: string): number | undefined {
    if (value > MAX_PHYS_BYTES) {
      this.report(node, `${what} is beyond the 52-bit physical address space (4 PiB)`);
      return undefined;
    }
    return value;
  }
}

/** The known keys of one mapping, with their nodes. */
export class Fields {
  readonly pairs = new Map<string, Pair<Scalar, Node>>();

  constructor(
    private readonly reader: Reader,
    readonly node: Node,
  ) {}

  has(key: string): boolean {
    return this.pairs.has(key);
  }

  value(key: string): Node | null | undefined {
    return this.pairs.get(key)?.value;
  }

  /** The node of a required key; reports it missing otherwise. */
  required(key: string, what: string): Node | undefined {
    const pair = this.pairs.get(key);
    if (!pair) {
      this.reader.report(this.node, `${what} needs '${key}'`);
      return undefined;
    }
    return pair.value ?? undefined;
  }

  /** Spans of every present field's value, for hovers and quick fixes. */
  spans(): Partial<Record<string, Span>> {
    const out: Partial<Record<string, Span>> = {};
    for (const [key, pair] of this.pairs) out[key] = this.reader.span(pair.value ?? pair.key);
    return out;
  }
}

export function scalarSource(node: Node | null | undefined): string | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'bigint') return node.value.toString();
  // The original text keeps hex and big values exact ("0x6000000000", "3TiB").
  return (node as Scalar & { source?: string }).source ?? String(node.value);
}

function rangeOf(node: Node | Pair | null | undefined): [number, number] | undefined {
  if (!node) return undefined;
  if (isPair(node)) {
    const k = rangeOf(node.key as Node);
    const v = rangeOf(node.value as Node);
    return k && v ? [k[0], v[1]] : (k ?? v);
  }
  return node.range ? [node.range[0], node.range[1]] : undefined;
}
