import { MiB } from '../units';
import { inputLines, TwinInputError, type Origin, type TwinInput } from './source';

/** One node of `numactl -H`: its CPUs and its memory, each with its line. */
export interface NumactlNode {
  cpus?: { count: number; from: Origin };
  /** "node N size: M MB": the node's MemTotal (present pages less reserved ones), in bytes. */
  size?: { value: number; from: Origin };
}

export interface NumactlFacts {
  /** "available: N nodes (…)". */
  available?: { count: number; from: Origin };
  nodes: Map<number, NumactlNode>;
}

/** numactl.c hardware(): "available: %d nodes (%s)", "node %d cpus: …", "node %d size: %ld MB". */
const AVAILABLE = /^available: (\d+) nodes? \(/;
const CPUS = /^node (\d+) cpus:((?: \d+)*)\s*$/;
const SIZE = /^node (\d+) size: (\d+) MB$/;

/** Reads `numactl -H` (`--hardware`) output. */
export function readNumactl(input: TwinInput): NumactlFacts {
  const facts: NumactlFacts = { nodes: new Map() };
  const node = (n: number) => facts.nodes.get(n) ?? facts.nodes.set(n, {}).get(n)!;
  for (const from of inputLines(input)) {
    const text = from.text.trim();
    let m: RegExpExecArray | null;
    if ((m = AVAILABLE.exec(text))) facts.available = { count: Number(m[1]), from };
    else if ((m = CPUS.exec(text)))
      node(Number(m[1])).cpus = { count: m[2].trim() ? m[2].trim().split(/\s+/).length : 0, from };
    else if ((m = SIZE.exec(text))) node(Number(m[1])).size = { value: Number(m[2]) * MiB, from };
  }
  if (!facts.available && facts.nodes.size === 0) {
    throw new TwinInputError(
      input.file,
      'no `numactl -H` lines found ("available: N nodes", "node N cpus: …")',
    );
  }
  return facts;
}
