import { isScalar, type Node } from 'yaml';
import type { StepOp } from '../scenario/model';
import type { DeviceNames } from '../scenario/deviceNames';
import type { Fields, Reader } from '../scenario/reader';
import { MAX_PHYS_BYTES } from '../units';
import type { StepArgs, StepRead } from './stepOp';

/** A step whose argument is a mapping of `keys`, read by `read`. */
export function byKeys<Op extends StepOp>(
  d: DeviceNames,
  arg: Node | null,
  op: Op,
  keys: readonly string[],
  read: (f: Fields) => StepArgs<Op> | undefined,
): StepRead<Op> | undefined {
  const f = d.r.fields(arg, keys, op);
  if (!f) return undefined;
  const args = read(f);
  return args ? { args, fields: f.spans() } : undefined;
}

/** A positive count (`count`, `pages`); 1 when left out. */
export function count(r: Reader, f: Fields, key: string): number | undefined {
  return f.has(key) ? r.integer(f.value(key), key, 1, 2 ** 40) : 1;
}

/**
 * `start` and `size` of a physical range: a zero size is a mistake to report, not a step to drop
 * silently.
 */
export function physRange(r: Reader, f: Fields, op: string): { start?: number; size?: number } {
  const start = r.address(f.required('start', op), 'start');
  const size = r.size(f.required('size', op), 'size');
  if (size !== 0) return { start, size };
  r.report(f.value('size'), 'size must be more than 0');
  return { start };
}

/** The range's end must be a physical address: checked once the whole step has been read. */
export function inPhysSpace<A extends { start: number; size: number }>(
  r: Reader,
  f: Fields,
  op: string,
  args: A | undefined,
): A | undefined {
  if (!args || args.start + args.size <= MAX_PHYS_BYTES) return args;
  r.report(f.node, `${op}: the range ends beyond the 52-bit physical address space (4 PiB)`);
  return undefined;
}

/** `probe: pmem0` or `probe: [pmem0, pmem1]`. */
export function deviceList(
  d: DeviceNames,
  node: Node | null,
  op: string,
): StepRead<'probe' | 'remove'> | undefined {
  const r = d.r;
  if (isScalar(node)) {
    const name = d.read(node, `${op} device`);
    return name === undefined ? undefined : { args: { devices: [name] }, fields: {} };
  }
  const items = r.list(node, `${op} devices`);
  const names = items?.map((n) => d.read(n, `${op} device`));
  if (!names || names.length === 0 || names.some((n) => n === undefined)) {
    if (names?.length === 0) r.report(node, `${op} needs at least one device`);
    return undefined;
  }
  return { args: { devices: names as string[] }, fields: {} };
}

/** The whole argument of a step that takes only a range (`offline`, `remove_memory`). */
export function rangeArgs(
  r: Reader,
  f: Fields,
  op: string,
): { start: number; size: number } | undefined {
  const { start, size } = physRange(r, f, op);
  return inPhysSpace(r, f, op, start !== undefined && size ? { start, size } : undefined);
}
