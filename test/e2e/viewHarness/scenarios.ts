import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness';

/** An example scenario's URI and text, as the extension would see the open document. */
export function example(name: string): { uri: string; text: string } {
  const path = join(ROOT, 'examples', `${name}.memmap.yaml`);
  return { uri: `file://${path}`, text: readFileSync(path, 'utf8') };
}

/**
 * A run with about `spans` spans: many get_page/put_page pairs on one fs-dax namespace (each
 * step is two spans: the step and the kernel function), up to the scenario step limit (10k
 * spans). Generated, not kept in examples/: 5k steps of YAML is not a story anyone reads.
 */
export function manyPageOps(spans = 9_900): { uri: string; text: string } {
  const pairs = Math.ceil(spans / 4);
  const lines = [
    'name: 10k page operations',
    'arch: x86_64',
    'kernel: v4.20',
    'machine:',
    '  nodes:',
    '    - { ram: 16GiB, cpus: 8, pmem: 16GiB }',
    'devices:',
    '  - { name: pmem0, node: 0, mode: fsdax, map: dev, size: 8GiB, align: 2MiB }',
    'steps:',
    '  - boot',
    '  - probe: [pmem0]',
  ];
  for (let i = 0; i < pairs; i++)
    lines.push(
      `  - get_page: { device: pmem0, pfn: +${i * 7} }`,
      `  - put_page: { device: pmem0, pfn: +${i * 7} }`,
    );
  return { uri: 'memmap-lab:/generated/many-page-ops.memmap.yaml', text: lines.join('\n') + '\n' };
}
