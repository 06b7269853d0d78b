import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyse, type Analysis } from '../../src/engine/analyse';
import type { RunOptions } from '../../src/engine/run/runScenario';
import { summarize, type RunSummary } from '../../src/engine/run/summary';

export const ROOT = join(__dirname, '..', '..');

export function exampleText(name: string): string {
  return readFileSync(join(ROOT, 'examples', `${name}.memmap.yaml`), 'utf8');
}

/** Parses and runs a scenario; fails the test if it does not parse. */
export function run(text: string, options: RunOptions = {}): Analysis & { summary: RunSummary } {
  const a = analyse(text, options);
  if (!a.run)
    throw new Error(
      `scenario did not run: ${a.diagnostics.map((d) => `${d.span.line}:${d.span.column} ${d.code} ${d.message}`).join('; ')}`,
    );
  return { ...a, summary: summarize(a.run, a.diagnostics, a.expectations) };
}

export function codes(a: Analysis): string[] {
  return [...new Set(a.diagnostics.map((d) => d.code))].sort();
}

/** Within `pct` percent of `target`. */
export function near(actual: number, target: number, pct = 5): boolean {
  return Math.abs(actual - target) <= (Math.abs(target) * pct) / 100;
}

/** A small scenario: one x86_64 node with RAM and pmem, the given devices and steps. */
export function scenario(opts: {
  kernel?: string;
  arch?: string;
  nodes?: string[];
  machine?: string[];
  devices?: string[];
  steps?: string[];
  expect?: string[];
  options?: string[];
}): string {
  const lines = [
    'name: test',
    `arch: ${opts.arch ?? 'x86_64'}`,
    `kernel: ${opts.kernel ?? 'v5.10'}`,
    'machine:',
    '  nodes:',
    ...(opts.nodes ?? ['{ ram: 16GiB, cpus: 4, pmem: 16GiB }']).map((n) => `    - ${n}`),
    ...(opts.machine ?? []).map((m) => `  ${m}`),
    'devices:',
    ...(opts.devices ?? []).map((d) => `  - ${d}`),
    'steps:',
    ...(opts.steps ?? ['boot']).map((s) => `  - ${s}`),
  ];
  if (opts.expect) lines.push('expect:', ...opts.expect.map((e) => `  - ${e}`));
  if (opts.options) lines.push('options:', ...opts.options.map((o) => `  ${o}`));
  return lines.join('\n') + '\n';
}

/** A devdax page put to refcount 0 and taken again: get_page()'s VM_BUG check and its dump_page(). */
export function freedDevdaxPage(kernel: string, arch = 'x86_64'): string {
  return scenario({
    kernel,
    arch,
    nodes: ['{ ram: 16GiB, cpus: 4 }'],
    machine: ['pmem:', '    - { node: 0, start: 0x480000000, size: 8GiB }'],
    devices: ['{ name: dax0, node: 0, mode: devdax, map: mem, size: 1GiB, align: 2MiB }'],
    steps: [
      'boot',
      'probe: [dax0]',
      'put_page: { device: dax0, pfn: +0 }',
      'get_page: { device: dax0, pfn: +0 }',
    ],
  });
}
