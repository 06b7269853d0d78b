import { parseSize } from '../units';
import {
  inputLines,
  TwinInputError,
  type Origin,
  type SourcedRange,
  type TwinInput,
} from './source';

/** Memory blocks in one state (drivers/base/memory.c state_show(): "online", "offline", ...). */
export interface BlockRange extends SourcedRange {
  state: string;
  node?: number;
  /** valid_zones / lsmem's ZONES: the zone of an online block, the candidates of an offline one. */
  zones?: string;
  /** The line of the zones when it is not the range's own (sysfs: memoryN/valid_zones). */
  zonesFrom?: Origin;
}

/** What `lsmem` or a /sys/devices/system/memory listing says. */
export interface MemoryBlockFacts {
  blockSize?: { value: number; from: Origin };
  ranges: BlockRange[];
}

const SYSFS =
  /^(?:\/sys\/devices\/system\/memory\/)?(memory(\d+)\/(state|valid_zones|node(\d+))|block_size_bytes)(?::(.*))?$/;
/** One block per line: `memory32 state=offline phys_index=00000020 node=1 valid_zones=Movable`. */
const KEYED = /^memory(\d+)((?:\s+\w+=\S*)+)\s*$/;

/**
 * Reads `lsmem` (util-linux sys-utils/lsmem.c: its RANGE table, with any -o columns, and the
 * "Memory block size:" summary) or a /sys/devices/system/memory listing: `grep -H .` of the
 * memoryN/state, valid_zones and block_size_bytes files, `ls` of memoryN/nodeK links, or one
 * `memoryN key=value…` line per block.
 */
export function readMemoryBlocks(input: TwinInput): MemoryBlockFacts {
  const lines = inputLines(input);
  const header = lines.find((l) => /^\s*RANGE\s+SIZE\b/.test(l.text));
  return header ? readLsmem(input, lines, header) : readSysfs(input, lines);
}

function readLsmem(input: TwinInput, lines: Origin[], header: Origin): MemoryBlockFacts {
  const columns = header.text.trim().split(/\s+/);
  const facts: MemoryBlockFacts = { ranges: [] };
  for (const from of lines.filter((l) => l.line > header.line)) {
    const text = from.text.trim();
    const size = /^Memory block size:\s+(\S+)$/.exec(text);
    if (size) {
      const value = parseSize(size[1].replace(/B$/, ''));
      if (value === undefined)
        throw new TwinInputError(input.file, `not a block size: ${size[1]}`, from.line);
      facts.blockSize = { value, from };
      continue;
    }
    const m = /^0x([0-9a-f]+)-0x([0-9a-f]+)\s/.exec(text);
    if (!m) continue;
    // Columns are separated by spaces and hold none; an empty ZONES or NODE cell at the end is absent.
    const cell = (name: string) => text.split(/\s+/)[columns.indexOf(name)];
    const r: BlockRange = {
      start: parseInt(m[1], 16),
      end: parseInt(m[2], 16) + 1,
      state: cell('STATE') ?? '',
      from,
    };
    if (columns.includes('NODE') && /^\d+$/.test(cell('NODE') ?? '')) r.node = Number(cell('NODE'));
    if (columns.includes('ZONES') && cell('ZONES')) r.zones = cell('ZONES');
    facts.ranges.push(r);
  }
  if (facts.ranges.length === 0)
    throw new TwinInputError(input.file, 'an lsmem header, but no 0x…-0x… range lines under it');
  return facts;
}

interface Block {
  state?: string;
  node?: number;
  zones?: string;
  zonesFrom?: Origin;
  from: Origin;
}

function readSysfs(input: TwinInput, lines: Origin[]): MemoryBlockFacts {
  const blocks = new Map<number, Block>();
  const block = (n: number, from: Origin) => blocks.get(n) ?? blocks.set(n, { from }).get(n)!;
  let blockSize: MemoryBlockFacts['blockSize'];
  for (const from of lines) {
    const text = from.text.trim();
    let m: RegExpExecArray | null;
    if ((m = /^(?:\S*block_size_bytes)(?::|\s+)([0-9a-f]+)$/.exec(text))) {
      // drivers/base/memory.c block_size_bytes_show() prints the size in hex without 0x.
      blockSize = { value: parseInt(m[1], 16), from };
    } else if ((m = SYSFS.exec(text)) && m[2] !== undefined) {
      const b = block(Number(m[2]), from);
      if (m[3] === 'state' && m[5] !== undefined) b.state = m[5];
      else if (m[3] === 'valid_zones' && m[5] !== undefined) [b.zones, b.zonesFrom] = [m[5], from];
      else if (m[4] !== undefined) b.node = Number(m[4]);
    } else if ((m = KEYED.exec(text))) {
      const b = block(Number(m[1]), from);
      for (const [, key, value] of m[2].matchAll(/(\w+)=(\S*)/g)) {
        if (key === 'state') b.state = value;
        else if (key === 'node' && /^\d+$/.test(value)) b.node = Number(value);
        else if (key === 'valid_zones') b.zones = value;
      }
    }
  }
  if (blocks.size === 0 && !blockSize) {
    throw new TwinInputError(
      input.file,
      'no lsmem table and no /sys/devices/system/memory lines (memoryN/state, block_size_bytes)',
    );
  }
  if (!blockSize) {
    throw new TwinInputError(
      input.file,
      'memory blocks without block_size_bytes: their addresses are unknown (add /sys/devices/system/memory/block_size_bytes)',
    );
  }
  const size = blockSize.value;
  const ranges: BlockRange[] = [...blocks]
    .sort(([a], [b]) => a - b)
    .map(([n, b]) => ({
      start: n * size,
      end: (n + 1) * size,
      state: b.state ?? '',
      node: b.node,
      zones: b.zones,
      zonesFrom: b.zonesFrom,
      from: b.from,
    }));
  return { blockSize, ranges };
}
