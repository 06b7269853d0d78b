import { isMap, type Node } from 'yaml';
import { LIMITS } from './limits';
import type { Expectation } from './model';
import type { Reader } from './reader';
import { readPfnRef } from './pfnRef';
import type { DeviceNames } from './deviceNames';

const KINDS = ['diagnostic', 'no-diagnostic', 'lock', 'page', 'time'] as const;

/** The `expect:` block: assertions `run` checks against the emulated run. */
export function parseExpectations(
  r: Reader,
  node: Node | null | undefined,
  limit: number,
  devices: DeviceNames,
): Expectation[] | undefined {
  const items = r.list(node, 'expect');
  if (!items) return undefined;
  if (items.length > limit) {
    r.report(node, `${items.length} expectations; the limit is ${limit}`);
    return undefined;
  }
  const out: Expectation[] = [];
  items.forEach((item, index) => {
    const e = parseExpectation(r, item, index, devices);
    if (e) out.push(e);
  });
  return out;
}

function parseExpectation(
  r: Reader,
  item: Node,
  index: number,
  devices: DeviceNames,
): Expectation | undefined {
  const span = r.span(item);
  if (!isMap(item) || item.items.length !== 1) {
    r.report(item, 'an expectation is one of: diagnostic, no-diagnostic, lock, page, time');
    return undefined;
  }
  const pair = item.items[0];
  const kind = r.oneOf(pair.key as Node, KINDS, 'expectation');
  const arg = pair.value as Node | null;
  switch (kind) {
    case undefined:
      return undefined;
    case 'diagnostic':
    case 'no-diagnostic': {
      const code = r.text(arg, 'diagnostic code');
      return code !== undefined
        ? { kind: 'diagnostic', code, present: kind === 'diagnostic', span, index }
        : undefined;
    }
    case 'lock': {
      const f = r.fields(
        arg,
        ['name', 'max-hold-below', 'max-wait-below', 'contentions-at-most'],
        'lock expectation',
      );
      const name = f && r.text(f.required('name', 'lock expectation'), 'lock name');
      if (!f || name === undefined) return undefined;
      return {
        kind: 'lock',
        name,
        span,
        index,
        maxHoldBelow: f.has('max-hold-below')
          ? r.duration(f.value('max-hold-below'), 'max-hold-below')
          : undefined,
        maxWaitBelow: f.has('max-wait-below')
          ? r.duration(f.value('max-wait-below'), 'max-wait-below')
          : undefined,
        contentionsAtMost: f.has('contentions-at-most')
          ? r.integer(f.value('contentions-at-most'), 'contentions-at-most')
          : undefined,
      };
    }
    case 'page': {
      const f = r.fields(
        arg,
        ['device', 'pfn', 'after-step', 'refcount', 'mapcount', 'flags', 'zone', 'initialised'],
        'page expectation',
      );
      if (!f) return undefined;
      const device = f.has('device') ? devices.read(f.value('device'), 'device') : undefined;
      const pfn = readPfnRef(r, f.required('pfn', 'page expectation'), device);
      if (!pfn) return undefined;
      const flags = f.has('flags')
        ? (r.list(f.value('flags'), 'flags') ?? []).map((n) => r.text(n, 'flag') ?? '')
        : undefined;
      return {
        kind: 'page',
        pfn,
        span,
        index,
        flags,
        afterStep: f.has('after-step')
          ? r.integer(f.value('after-step'), 'after-step', 0, LIMITS.steps)
          : undefined,
        refcount: f.has('refcount')
          ? r.integer(f.value('refcount'), 'refcount', -(2 ** 31), 2 ** 31)
          : undefined,
        mapcount: f.has('mapcount')
          ? r.integer(f.value('mapcount'), 'mapcount', -(2 ** 31), 2 ** 31)
          : undefined,
        zone: f.has('zone') ? r.text(f.value('zone'), 'zone') : undefined,
        initialised: f.has('initialised')
          ? r.boolean(f.value('initialised'), 'initialised')
          : undefined,
      };
    }
    case 'time': {
      const f = r.fields(arg, ['device', 'node', 'below', 'above'], 'time expectation');
      if (!f) return undefined;
      return {
        kind: 'time',
        span,
        index,
        device: f.has('device') ? devices.read(f.value('device'), 'device') : undefined,
        node: f.has('node') ? r.integer(f.value('node'), 'node', 0, 1023) : undefined,
        below: f.has('below') ? r.duration(f.value('below'), 'below') : undefined,
        above: f.has('above') ? r.duration(f.value('above'), 'above') : undefined,
      };
    }
  }
}
