import type { Node } from 'yaml';
import type { PfnRef } from './model';
import { scalarSource, type Reader } from './reader';
import { parseAddress } from '../units';

/** `+0x1000` (offset from the device's first data pfn) or an absolute pfn. */
export function readPfnRef(
  r: Reader,
  node: Node | null | undefined,
  device: string | undefined,
): PfnRef | undefined {
  const raw = scalarSource(node)?.trim();
  const relative = raw?.startsWith('+') ?? false;
  const value = raw === undefined ? undefined : parseAddress(relative ? raw.slice(1) : raw);
  if (value === undefined || !Number.isSafeInteger(value)) {
    r.report(node, "pfn must be a number, 0x hex, or '+offset' from the device's first data pfn");
    return undefined;
  }
  if (relative && !device) {
    r.report(node, "a '+offset' pfn needs a 'device'");
    return undefined;
  }
  return { device, relative, value };
}
