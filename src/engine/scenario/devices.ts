import type { Node } from 'yaml';
import type { DeviceSpec } from './model';
import type { PgmapType } from '../state/machine';
import type { Reader } from './reader';
import { isPowerOfTwo, MAX_PHYS_BYTES, MiB } from '../units';

const DEVICE_KEYS = [
  'name',
  'node',
  'mode',
  'map',
  'size',
  'align',
  'start',
  'type',
  'ranges',
  'vmemmap_shift',
] as const;
const PGMAP_TYPES: readonly PgmapType[] = ['private', 'coherent', 'fsdax', 'generic', 'p2pdma'];

/**
 * A device is either a libnvdimm namespace (`mode: fsdax|devdax`, placed in its node's pmem
 * region like `ndctl create-namespace`) or a raw dev_pagemap (`type:` with explicit `ranges`).
 */
export function parseDevice(r: Reader, node: Node): DeviceSpec | undefined {
  const f = r.fields(node, DEVICE_KEYS, 'a device');
  if (!f) return undefined;
  const name = r.text(f.required('name', 'a device'), 'device name');
  const nodeId = f.has('node') ? r.integer(f.value('node'), 'node', 0, 1023) : 0;
  const span = r.span(node);
  const fields = f.spans();
  if (name === undefined || nodeId === undefined) return undefined;
  if (f.has('type')) {
    for (const key of ['mode', 'map', 'size', 'align', 'start'] as const) {
      if (f.has(key))
        r.report(
          f.value(key),
          `'${key}' belongs to namespaces; a raw pgmap device ('type') takes 'ranges'`,
        );
    }
    const type = r.oneOf(f.value('type'), PGMAP_TYPES, 'pgmap type');
    const ranges = [];
    for (const item of r.list(f.required('ranges', 'a pgmap device'), 'ranges') ?? []) {
      const rf = r.fields(item, ['start', 'size'], 'a range');
      const start = rf && r.address(rf.required('start', 'a range'), 'start');
      const size = rf && r.size(rf.required('size', 'a range'), 'size');
      if (start !== undefined && size !== undefined && start + size > MAX_PHYS_BYTES)
        r.report(item, 'the range ends beyond the 52-bit physical address space (4 PiB)');
      else if (start !== undefined && size !== undefined)
        ranges.push({ start, size, span: r.span(item) });
    }
    if (ranges.length === 0) r.report(node, `device '${name}' needs at least one range`);
    const vmemmapShift = f.has('vmemmap_shift')
      ? r.integer(f.value('vmemmap_shift'), 'vmemmap_shift', 0, 18)
      : 0;
    if (!type || vmemmapShift === undefined || ranges.length === 0) return undefined;
    return { kind: 'pgmap', name, node: nodeId, type, ranges, vmemmapShift, span, fields };
  }
  for (const key of ['ranges', 'vmemmap_shift'] as const) {
    if (f.has(key))
      r.report(
        f.value(key),
        `'${key}' belongs to raw pgmap devices (with 'type'); namespaces derive it`,
      );
  }
  const mode = r.oneOf(
    f.required('mode', `device '${name}' (or give it a 'type')`),
    ['fsdax', 'devdax'] as const,
    'namespace mode',
  );
  const map = f.has('map') ? r.oneOf(f.value('map'), ['dev', 'mem'] as const, 'map') : 'dev';
  const size = f.has('size') ? r.size(f.value('size'), 'size') : undefined;
  let align = f.has('align') ? r.size(f.value('align'), 'align') : 2 * MiB;
  if (align !== undefined && !isPowerOfTwo(align)) {
    // nd_pfn/dax take a power-of-two alignment; 0 made the layout arithmetic NaN.
    r.report(f.value('align'), 'align must be a power of two such as 4KiB, 2MiB or 1GiB');
    align = undefined;
  }
  const start = f.has('start') ? r.address(f.value('start'), 'start') : undefined;
  if (!mode || !map || align === undefined) return undefined;
  if ((f.has('size') && size === undefined) || (f.has('start') && start === undefined))
    return undefined;
  return { kind: 'namespace', name, node: nodeId, mode, map, size, align, start, span, fields };
}
