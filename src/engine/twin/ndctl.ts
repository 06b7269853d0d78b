import { isObject, parseListing, readDaxDevice, type DaxDevice, type Finder } from './daxctl';
import { TwinInputError, type Origin, type TwinInput } from './source';

/** A namespace as `ndctl list` prints it (ndctl/util/json.c util_namespace_to_json()). */
export interface NdctlNamespace {
  dev: string;
  mode: 'fsdax' | 'devdax';
  map: 'dev' | 'mem';
  /** The pfn/dax device's capacity, not the raw namespace's size. */
  size: number;
  align: number;
  /** The namespace's own numa_node, else its region's. */
  node?: number;
  /** Its region's allocation unit ("align" of the region), when listed with its region. */
  regionAlign?: number;
  /** The line of its `"dev"`; `map` and `align` lines when ndctl printed them. */
  from: Origin;
  fields: Partial<Record<'mode' | 'map' | 'size' | 'align' | 'node', Origin>>;
  /** devdax: its device-dax instance, as `-X`/`-v` nests it ("daxregion") or names it ("chardev"). */
  dax?: DaxDevice;
  chardev?: string;
}

export interface NdctlRegion {
  dev: string;
  size?: number;
  node?: number;
  align?: number;
  from: Origin;
}

export interface NdctlFacts {
  regions: NdctlRegion[];
  namespaces: NdctlNamespace[];
  /** Namespaces in other modes (raw, sector): no pgmap, nothing to probe. */
  skipped: { dev: string; mode: string; from: Origin }[];
}

/**
 * Reads `ndctl list` JSON: `ndctl list -RN` (regions with their namespaces), `ndctl list -N` (an
 * array of namespaces, or one object), with or without `-v`. Sizes must be numbers: `-u` prints
 * "1006.00 MiB (1054.87 MB)", which has lost the exact byte count.
 */
export function readNdctl(input: TwinInput): NdctlFacts {
  const { doc, find } = parseListing(input, 'ndctl list');
  const facts: NdctlFacts = { regions: [], namespaces: [], skipped: [] };
  const regions =
    isObject(doc) && Array.isArray(doc.regions)
      ? doc.regions
      : Array.isArray(doc) && doc.some((r) => isObject(r) && 'namespaces' in r)
        ? doc
        : undefined;
  const loose =
    isObject(doc) && Array.isArray(doc.namespaces)
      ? doc.namespaces
      : Array.isArray(doc) && !regions
        ? doc
        : isObject(doc) && 'mode' in doc
          ? [doc]
          : [];
  for (const r of regions ?? []) {
    if (!isObject(r) || typeof r.dev !== 'string')
      throw new TwinInputError(input.file, 'a region without a "dev" name: not ndctl list output');
    const from = find(`"${r.dev}"`);
    const node = typeof r.numa_node === 'number' ? r.numa_node : undefined;
    const region = {
      dev: r.dev,
      size: typeof r.size === 'number' ? r.size : undefined,
      node,
      align: typeof r.align === 'number' ? r.align : undefined,
      from,
    };
    facts.regions.push(region);
    for (const ns of Array.isArray(r.namespaces) ? r.namespaces : [])
      readNamespace(input.file, ns, region, find, facts);
  }
  for (const ns of loose) readNamespace(input.file, ns, undefined, find, facts);
  if (facts.regions.length === 0 && facts.namespaces.length === 0 && facts.skipped.length === 0) {
    throw new TwinInputError(
      input.file,
      'JSON, but not ndctl list output: no "regions" and no namespaces with "dev" and "mode"',
    );
  }
  return facts;
}

function readNamespace(
  file: string,
  ns: unknown,
  region: NdctlRegion | undefined,
  find: Finder,
  facts: NdctlFacts,
): void {
  if (!isObject(ns) || typeof ns.dev !== 'string' || typeof ns.mode !== 'string') {
    throw new TwinInputError(file, 'a namespace without "dev" and "mode": not ndctl list output');
  }
  const from = find(`"${ns.dev}"`);
  if (ns.mode !== 'fsdax' && ns.mode !== 'devdax') {
    facts.skipped.push({ dev: ns.dev, mode: ns.mode, from });
    return;
  }
  if (typeof ns.size !== 'number')
    throw new TwinInputError(
      file,
      `${ns.dev}: "size" is not a number of bytes (list without -u, which rounds sizes)`,
      from.line,
    );
  const at = (key: string) => find(`"${key}"`, from.line);
  // ndctl prints no "map" for devdax and for fsdax on old releases: both default to the device.
  const map = ns.map === 'mem' ? 'mem' : 'dev';
  const node = typeof ns.numa_node === 'number' ? ns.numa_node : region?.node;
  const fields: NdctlNamespace['fields'] = { mode: at('mode'), size: at('size') };
  if (typeof ns.map === 'string') fields.map = at('map');
  if (typeof ns.align === 'number') fields.align = at('align');
  if (typeof ns.numa_node === 'number') fields.node = at('numa_node');
  // devdax's "align" is the device's; fsdax's is the pfn's; both default to PMD size (2 MiB on x86).
  const align = typeof ns.align === 'number' ? ns.align : 2 ** 21;
  const listed: NdctlNamespace = {
    dev: ns.dev,
    mode: ns.mode,
    map,
    size: ns.size,
    align,
    node,
    regionAlign: region?.align,
    from,
    fields,
  };
  const daxDevices =
    isObject(ns.daxregion) && Array.isArray(ns.daxregion.devices) ? ns.daxregion.devices : [];
  const dax = daxDevices
    .filter(isObject)
    .map((d) => readDaxDevice(d, find, from.line))
    .find((d) => d !== undefined);
  if (dax) listed.dax = dax;
  if (typeof ns.chardev === 'string') listed.chardev = ns.chardev;
  facts.namespaces.push(listed);
}
