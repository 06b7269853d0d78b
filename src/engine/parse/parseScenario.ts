import { AUTO_ONLINE, ONLINE_POLICIES } from '../state/machine';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import {
  DEFAULT_LONG_LOCK_THRESHOLD_NS,
  type CostChoice,
  type DeviceSpec,
  type KernelChoice,
  type NodeSpec,
  type Problem,
  type RangeSpec,
  type Scenario,
} from '../scenario/model';
import { Reader, scalarSource, type Fields } from '../scenario/reader';
import { parseSteps } from '../steps/parseSteps';
import { parseExpectations } from '../scenario/expect';
import { DeviceNames } from '../scenario/deviceNames';
import { ARCH_PRESETS } from '../arch/presets';
import { kernelNameProblem } from '../scenario/kernelName';
import { FEATURE_VALUES, type FeatureName, type KernelFeatures } from '../kernel/features';
import { COST_DOCS, isCostName, type CostName } from '../cost/profile';
import { alignUp, GiB, MAX_PHYS_BYTES } from '../units';
import { parseDevice } from '../scenario/devices';
import { nestingProblem } from '../scenario/nesting';
import { LIMITS } from '../scenario/limits';

export interface ParseResult {
  scenario?: Scenario;
  problems: Problem[];
}

const TOP_KEYS = [
  'name',
  'arch',
  'kernel',
  'cost',
  'machine',
  'devices',
  'steps',
  'expect',
  'options',
] as const;

/**
 * Parses a `*.memmap.yaml` or `*.memmap.json` scenario. Never throws: syntax and schema mistakes
 * come back as positioned problems, and a scenario is returned whenever the file is usable.
 */
export function parseScenario(text: string): ParseResult {
  const lines = new LineCounter();
  const reader = new Reader(lines, text.length);
  if (text.length > LIMITS.textBytes) {
    lines.addNewLine(0);
    reader.report(
      null,
      `scenario is ${text.length} bytes; the limit is ${LIMITS.textBytes}`,
      undefined,
      'scenario-syntax',
    );
    return { problems: reader.problems };
  }
  // Refused before the yaml library reads the text: too deep to parse, or too many steps to build.
  const deep = nestingProblem(text);
  const many = deep ? undefined : tooManySteps(text);
  const early = deep
    ? { ...deep, code: 'scenario-syntax' as const }
    : many && { ...many, code: 'scenario-schema' as const };
  if (early) {
    // Positions before the yaml library has counted lines: count them up to the problem.
    lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0 && i < early.offset; i = text.indexOf('\n', i + 1))
      lines.addNewLine(i + 1);
    reader.problems.push({
      code: early.code,
      severity: 'error',
      message: early.message,
      span: reader.spanAt(early.offset, early.offset + 1),
    });
    return { problems: reader.problems };
  }
  let doc: ReturnType<typeof parseDocument>;
  try {
    // Duplicate keys are found by the Reader: the library's check is quadratic in a map's size.
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  } catch (e) {
    // The yaml library's own limits (stack depth): still a positioned problem, never a throw.
    if (lines.lineStarts.length === 0) lines.addNewLine(0);
    reader.report(
      null,
      `the scenario could not be parsed: ${(e as Error).message}`,
      undefined,
      'scenario-syntax',
    );
    return { problems: reader.problems };
  }
  for (const error of doc.errors) {
    reader.problems.push({
      code: 'scenario-syntax',
      severity: 'error',
      message: error.message.split('\n')[0],
      span: reader.spanAt(error.pos[0], Math.max(error.pos[1], error.pos[0] + 1)),
    });
  }
  if (doc.errors.length > 0) return { problems: reader.problems };
  const top = reader.fields(doc.contents as Node, TOP_KEYS, 'the scenario');
  if (!top) return { problems: reader.problems };
  const scenario = readScenario(reader, top);
  return { scenario, problems: reader.problems };
}

function readScenario(r: Reader, top: Fields): Scenario | undefined {
  const name = top.has('name') ? r.text(top.value('name'), 'name') : undefined;
  const archNode = top.required('arch', 'the scenario');
  const arch =
    archNode &&
    r.oneOf(
      archNode,
      ARCH_PRESETS.map((a) => a.name),
      'arch',
    );
  const kernel = readKernel(r, top.required('kernel', 'the scenario'));
  const cost = readCost(r, top);
  const machine = readMachine(r, top.required('machine', 'the scenario'));
  const deviceNodes = r.list(top.value('devices'), 'devices') ?? [];
  if (deviceNodes.length > LIMITS.devices)
    r.report(top.value('devices'), `${deviceNodes.length} devices; the limit is ${LIMITS.devices}`);
  const devices = deviceNodes
    .slice(0, LIMITS.devices)
    .map((d) => parseDevice(r, d))
    .filter((d): d is DeviceSpec => !!d);
  const rangeCount = devices.reduce((n, d) => n + (d.kind === 'pgmap' ? d.ranges.length : 0), 0);
  if (rangeCount > LIMITS.ranges)
    r.report(
      top.value('devices'),
      `the devices have ${rangeCount} ranges in all; the limit is ${LIMITS.ranges}`,
    );
  checkDeviceNames(r, devices);
  const names = new DeviceNames(r, deviceNames(deviceNodes));
  const steps = parseSteps(r, top.value('steps'), LIMITS.steps, names);
  const expect = parseExpectations(r, top.value('expect'), LIMITS.expectations, names);
  const options = readOptions(r, top.value('options'));
  if (!arch || !kernel || !cost || !machine || !steps || !expect) return undefined;
  return {
    name: name ?? 'unnamed scenario',
    arch: { name: arch, span: r.span(archNode) },
    kernel,
    cost,
    machine,
    devices,
    steps,
    expect,
    options,
  };
}

function readKernel(r: Reader, node: Node | undefined): KernelChoice | undefined {
  if (!node) return undefined;
  if (isScalar(node)) {
    const name = kernelName(r, node);
    return name ? { name, overrides: {}, span: r.span(node) } : undefined;
  }
  const f = r.fields(node, ['preset', 'features'], 'kernel');
  if (!f) return undefined;
  const name = kernelName(r, f.required('preset', 'kernel'));
  const overrides: Partial<Record<FeatureName, unknown>> = {};
  const features = f.value('features');
  if (features) {
    const ff = r.fields(features, Object.keys(FEATURE_VALUES), 'kernel features');
    for (const [key, pair] of ff?.pairs ?? []) {
      const allowed = FEATURE_VALUES[key as FeatureName];
      const value = isScalar(pair.value) ? pair.value.value : undefined;
      if (
        allowed === 'string'
          ? typeof value === 'string'
          : (allowed as readonly unknown[]).includes(value)
      ) {
        overrides[key as FeatureName] = value;
      } else {
        const expected =
          allowed === 'string' ? 'a string' : (allowed as readonly unknown[]).join(', ');
        r.report(pair.value, `feature ${key} must be one of ${expected}`);
      }
    }
  }
  return name
    ? { name, overrides: overrides as Partial<KernelFeatures>, span: r.span(node) }
    : undefined;
}

/**
 * A preset name or any modelled release, as written: the source text, so that `4.20` (a YAML
 * float) stays 4.20.
 */
function kernelName(r: Reader, node: Node | null | undefined): string | undefined {
  const raw = scalarSource(node);
  if (raw === undefined || raw === '') {
    r.report(node, 'kernel must be a release (e.g. 6.12, v5.14, 6.1.0-56-amd64) or a preset');
    return undefined;
  }
  const problem = kernelNameProblem(raw);
  if (!problem) return raw;
  r.report(node, problem.message, problem.suggestion);
  return undefined;
}
function readCost(r: Reader, top: Fields): CostChoice | undefined {
  const node = top.value('cost');
  if (!node) return { profile: 'default', overrides: {}, span: r.span(top.node) };
  if (isScalar(node)) {
    const profile = r.text(node, 'cost');
    return profile !== undefined ? { profile, overrides: {}, span: r.span(node) } : undefined;
  }
  const f = r.fields(node, ['profile', 'overrides'], 'cost');
  if (!f) return undefined;
  const profile = f.has('profile') ? r.text(f.value('profile'), 'cost profile') : 'default';
  const overrides: Partial<Record<CostName, number>> = {};
  const o = f.value('overrides');
  if (o) {
    const of = r.fields(o, Object.keys(COST_DOCS), 'cost overrides');
    for (const [key, pair] of of?.pairs ?? []) {
      // A YAML number only: Number() would make blank, ~ and "" 0 ns and true 1 ns.
      const value =
        isScalar(pair.value) && typeof pair.value.value === 'number' ? pair.value.value : NaN;
      if (isCostName(key) && Number.isFinite(value) && value >= 0) overrides[key] = value;
      else r.report(pair.value, `cost ${key} must be a non-negative number of nanoseconds`);
    }
  }
  return profile !== undefined ? { profile, overrides, span: r.span(node) } : undefined;
}

function readMachine(r: Reader, node: Node | undefined): Scenario['machine'] | undefined {
  if (!node) return undefined;
  const f = r.fields(
    node,
    ['nodes', 'ram', 'pmem', 'struct_page_size', 'auto_online_blocks', 'online_policy'],
    'machine',
  );
  if (!f) return undefined;
  const nodeList = r.list(f.required('nodes', 'machine'), 'machine.nodes') ?? [];
  if (nodeList.length === 0) r.report(node, 'machine needs at least one node');
  if (nodeList.length > LIMITS.nodes)
    r.report(f.value('nodes'), `${nodeList.length} nodes; the limit is ${LIMITS.nodes}`);
  const nodes: NodeSpec[] = [];
  let totalCpus = 0;
  let cursor = 0;
  for (const n of nodeList.slice(0, LIMITS.nodes)) {
    const nf = r.fields(n, ['ram', 'cpus', 'pmem'], 'a node');
    if (!nf) continue;
    const ram = nf.has('ram') ? r.size(nf.value('ram'), 'ram') : 0;
    // A CPU-less node is normal for pmem and CXL memory.
    const cpus = nf.has('cpus') ? r.integer(nf.value('cpus'), 'cpus', 0, 4096) : 1;
    const pmem = nf.has('pmem') ? r.size(nf.value('pmem'), 'pmem') : 0;
    if (ram === undefined || cpus === undefined || pmem === undefined) continue;
    totalCpus += cpus;
    if (totalCpus > LIMITS.cpus && totalCpus - cpus <= LIMITS.cpus)
      r.report(
        nf.value('cpus') ?? n,
        `the machine has more than ${LIMITS.cpus} CPUs (NR_CPUS); this node brings it to ${totalCpus}`,
      );
    // Auto layout: RAM then pmem, each from the next GiB (run/layout.ts); it must stay in 52 bits.
    const before = cursor;
    for (const [size, auto] of [
      [ram, !f.has('ram')],
      [pmem, !f.has('pmem')],
    ] as const)
      if (auto && size > 0) cursor = alignUp(cursor + size, GiB);
    if (cursor > MAX_PHYS_BYTES && before <= MAX_PHYS_BYTES) {
      r.report(
        n,
        "the nodes' memory, laid out one after the other, ends beyond the 52-bit physical address space (4 PiB)",
      );
    }
    nodes.push({ ram, cpus, pmem, span: r.span(n) });
  }
  const ranges = (key: 'ram' | 'pmem'): RangeSpec[] | undefined => {
    if (!f.has(key)) return undefined;
    const out: RangeSpec[] = [];
    const items = r.list(f.value(key), `machine.${key}`) ?? [];
    if (items.length > LIMITS.ranges) {
      r.report(
        f.value(key),
        `${items.length} machine.${key} ranges; the limit is ${LIMITS.ranges}`,
      );
      return out;
    }
    for (const item of items) {
      const rf = r.fields(item, ['node', 'start', 'size'], `a machine.${key} range`);
      if (!rf) continue;
      const nodeId = r.integer(
        rf.required('node', `a ${key} range`),
        'node',
        0,
        nodeList.length - 1,
      );
      const start = r.address(rf.required('start', `a ${key} range`), 'start');
      const size = r.size(rf.required('size', `a ${key} range`), 'size');
      if (start !== undefined && size !== undefined && start + size > MAX_PHYS_BYTES) {
        r.report(
          item,
          `a machine.${key} range ending at ${start + size} bytes is beyond the 52-bit physical address space (4 PiB)`,
        );
        continue;
      }
      if (nodeId !== undefined && start !== undefined && size !== undefined)
        out.push({ node: nodeId, start, size, span: r.span(item) });
    }
    return out;
  };
  const structPageSize = f.has('struct_page_size')
    ? r.integer(f.value('struct_page_size'), 'struct_page_size', 40, 256)
    : 64;
  if (structPageSize === undefined) return undefined;
  const autoOnline = f.has('auto_online_blocks')
    ? r.oneOf(f.value('auto_online_blocks'), AUTO_ONLINE, 'auto_online_blocks')
    : 'offline';
  const onlinePolicy = f.has('online_policy')
    ? r.oneOf(f.value('online_policy'), ONLINE_POLICIES, 'online_policy')
    : 'contig-zones';
  if (autoOnline === undefined || onlinePolicy === undefined) return undefined;
  return {
    nodes,
    ram: ranges('ram'),
    pmem: ranges('pmem'),
    structPageSize,
    autoOnline,
    onlinePolicy,
    span: r.span(node),
  };
}

function readOptions(r: Reader, node: Node | null | undefined): Scenario['options'] {
  const options: Scenario['options'] = {
    longLockThresholdNs: DEFAULT_LONG_LOCK_THRESHOLD_NS,
    longLockThresholdFrom: 'default',
  };
  if (!node) return options;
  const f = r.fields(node, ['long-lock-threshold', 'quiet'], 'options');
  const threshold = f?.has('long-lock-threshold')
    ? r.duration(f.value('long-lock-threshold'), 'long-lock-threshold')
    : undefined;
  const quiet = f?.has('quiet')
    ? (r.list(f.value('quiet'), 'quiet') ?? []).flatMap((n) => {
        const code = r.text(n, 'diagnostic code');
        return code === undefined ? [] : [{ code, span: r.span(n) }];
      })
    : undefined;
  return {
    ...(threshold === undefined
      ? options
      : { longLockThresholdNs: threshold, longLockThresholdFrom: 'scenario' as const }),
    ...(quiet ? { quiet } : {}),
  };
}

/**
 * A block list under a top-level `steps:` longer than the limit, found by counting its item lines
 * before the YAML library builds a node for each (a second for 10 000 items here): the problem and where.
 */
function tooManySteps(text: string): { offset: number; message: string } | undefined {
  const at = /^steps:[ \t]*(#.*)?$/m.exec(text);
  if (!at) return undefined;
  let items = 0;
  let indent: string | undefined;
  let first = at.index;
  const rest = /^(?:([ \t]*)- |\S)/gm;
  rest.lastIndex = at.index + at[0].length;
  for (let m = rest.exec(text); m; m = rest.exec(text)) {
    if (m[1] === undefined) break; // the next top-level key
    if (indent === undefined) [indent, first] = [m[1], m.index + m[1].length];
    if (m[1] === indent) items++; // a deeper `- ` is a list inside a step
  }
  // At the list, as the parser reports the limit once it has the list.
  return items > LIMITS.steps
    ? { offset: first, message: `${items} steps; the limit is ${LIMITS.steps}` }
    : undefined;
}

/** Every device's name, also of a device with a mistake elsewhere (its steps are not unknown names). */
function deviceNames(nodes: Node[]): string[] {
  return nodes.flatMap((n) => {
    const name = isMap(n) ? n.get('name') : undefined;
    return typeof name === 'string' ? [name] : [];
  });
}

function checkDeviceNames(r: Reader, devices: DeviceSpec[]): void {
  const seen = new Set<string>();
  for (const d of devices) {
    if (seen.has(d.name))
      r.problems.push({
        code: 'scenario-schema',
        severity: 'error',
        message: `device name '${d.name}' is used twice`,
        span: d.span,
      });
    seen.add(d.name);
  }
}
