import {
  inputLines,
  TwinInputError,
  type Origin,
  type SourcedRange,
  type TwinInput,
} from './source';

/**
 * A device-dax instance as `daxctl list` prints it (daxctl/json.c util_daxctl_dev_to_json()), or
 * as `ndctl list -X` nests it under a namespace's "daxregion".
 */
export interface DaxDevice {
  chardev: string;
  /** Bytes; undefined when listed with -u ("1006.00 MiB (1054.87 MB)" has lost them). */
  size?: number;
  align?: number;
  /** "devdax" (device_dax bound) or "system-ram" (kmem bound). */
  mode?: string;
  node?: number;
  /** kmem's memory blocks: how many, and how many online (daxctl v68+). */
  onlineBlocks?: number;
  totalBlocks?: number;
  /** Older daxctl: whether the blocks were onlined to ZONE_MOVABLE. */
  movable?: boolean;
  /** -M: the physical ranges of the device (exact even with -u, printed in hex). */
  mappings: SourcedRange[];
  /** The dax region's sysfs path: `/platform/hmem.0` is not an nvdimm namespace. */
  regionPath?: string;
  from: Origin;
  fields: Partial<Record<'size' | 'align' | 'mode' | 'node' | 'blocks' | 'movable', Origin>>;
}

export interface DaxctlFacts {
  devices: DaxDevice[];
}

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first line at or after `after` that holds the text (JSON.parse keeps no positions). */
export type Finder = (needle: string, after?: number) => Origin;

export function makeFinder(lines: Origin[]): Finder {
  return (needle, after = 1) =>
    lines.find((l) => l.line >= after && l.text.includes(needle)) ?? lines[Math.max(0, after - 1)];
}

/** A tool's JSON listing, and a finder of its lines (the text is refused first if it is binary). */
export function parseListing(input: TwinInput, tool: string): { doc: unknown; find: Finder } {
  const lines = inputLines(input);
  try {
    return { doc: JSON.parse(input.text), find: makeFinder(lines) };
  } catch (e) {
    throw new TwinInputError(input.file, `not ${tool} JSON: ${(e as Error).message}`);
  }
}

/** A byte count: a JSON number, or a hex/decimal string (-u prints addresses as "0x101200000"). */
function bytes(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(v)) return Number(v);
  return undefined;
}

/** One device object of daxctl's JSON, its lines found from `after` on. */
export function readDaxDevice(
  dev: Json,
  find: Finder,
  after: number,
  regionPath?: string,
): DaxDevice | undefined {
  if (typeof dev.chardev !== 'string') return undefined;
  const from = find(`"${dev.chardev}"`, after);
  const at = (key: string) => find(`"${key}"`, from.line);
  const out: DaxDevice = { chardev: dev.chardev, mappings: [], regionPath, from, fields: {} };
  out.size = bytes(dev.size);
  if (out.size !== undefined) out.fields.size = at('size');
  out.align = bytes(dev.align);
  if (out.align !== undefined) out.fields.align = at('align');
  if (typeof dev.mode === 'string') [out.mode, out.fields.mode] = [dev.mode, at('mode')];
  if (typeof dev.target_node === 'number')
    [out.node, out.fields.node] = [dev.target_node, at('target_node')];
  else if (typeof dev.numa_node === 'number')
    [out.node, out.fields.node] = [dev.numa_node, at('numa_node')];
  if (typeof dev.online_memblocks === 'number' && typeof dev.total_memblocks === 'number') {
    [out.onlineBlocks, out.totalBlocks] = [dev.online_memblocks, dev.total_memblocks];
    out.fields.blocks = at('online_memblocks');
  }
  if (typeof dev.movable === 'boolean')
    [out.movable, out.fields.movable] = [dev.movable, at('movable')];
  let line = from.line;
  for (const m of Array.isArray(dev.mappings) ? dev.mappings : []) {
    const start = isObject(m) ? bytes(m.start) : undefined;
    const end = isObject(m) ? bytes(m.end) : undefined;
    if (start === undefined || end === undefined || end < start) continue;
    const where = find('"start"', line);
    line = where.line + 1;
    out.mappings.push({ start, end: end + 1, from: where });
  }
  return out;
}

/**
 * Reads `daxctl list` JSON: an array of devices (`daxctl list`), of regions with their devices
 * (`-R -D`, `-iDMR`), or one region object (daxctl prints a lone region without the array).
 */
export function readDaxctl(input: TwinInput): DaxctlFacts {
  const { doc, find } = parseListing(input, 'daxctl list');
  const items = Array.isArray(doc) ? doc : [doc];
  const devices: DaxDevice[] = [];
  let line = 1;
  for (const item of items.filter(isObject)) {
    const region = Array.isArray(item.devices) ? item : undefined;
    const path = typeof region?.path === 'string' ? region.path : undefined;
    for (const dev of (region ? (region.devices as unknown[]) : [item]).filter(isObject)) {
      const d = readDaxDevice(dev, find, line, path);
      if (!d) continue;
      devices.push(d);
      line = d.from.line + 1;
    }
  }
  if (devices.length === 0) {
    throw new TwinInputError(
      input.file,
      'JSON, but not daxctl list output: no device with a "chardev"',
    );
  }
  return { devices };
}
