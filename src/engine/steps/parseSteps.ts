import { isMap, isScalar, type Node } from 'yaml';
import type { Step } from '../scenario/model';
import type { Reader } from '../scenario/reader';
import type { DeviceNames } from '../scenario/deviceNames';
import { STEP_OPS, stepOp } from './index';

/** The steps; `devices` reads the device names they use. */
export function parseSteps(
  r: Reader,
  node: Node | null | undefined,
  limit: number,
  devices: DeviceNames,
): Step[] | undefined {
  const items = r.list(node, 'steps');
  if (!items) return undefined;
  if (items.length > limit) {
    r.report(node, `${items.length} steps; the limit is ${limit}`);
    return undefined;
  }
  const steps: Step[] = [];
  items.forEach((item, index) => {
    const step = parseStep(devices, item, index);
    if (step) steps.push(step);
  });
  return steps;
}

function parseStep(d: DeviceNames, item: Node, index: number): Step | undefined {
  const r = d.r;
  const span = r.span(item);
  if (isScalar(item)) {
    const op = r.oneOf(item, ['boot'] as const, 'step (only boot takes no arguments)');
    return op ? { op, index, span, fields: {} } : undefined;
  }
  if (!isMap(item) || item.items.length !== 1) {
    const forms = '`- boot` or `- probe: [pmem0]`, `- remove: pmem0`, …';
    r.report(item, `a step is one operation: ${forms}`);
    return undefined;
  }
  const pair = item.items[0];
  const op = r.oneOf(pair.key as Node, STEP_OPS, 'step');
  if (!op) return undefined;
  const read = stepOp(op).read(d, pair.value as Node | null, op);
  return read ? ({ op, ...read.args, index, span, fields: read.fields } as Step) : undefined;
}
