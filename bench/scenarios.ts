/** Scenario text generators for the benchmarks: the same shape at any size. */
export function pmemMachine(
  nodes: number,
  pmemPerNode: string,
  ramPerNode = '384GiB',
  kernel = 'v5.10',
): string {
  const lines = ['name: bench', 'arch: x86_64', `kernel: ${kernel}`, 'machine:', '  nodes:'];
  for (let n = 0; n < nodes; n++)
    lines.push(`    - { ram: ${ramPerNode}, cpus: 28, pmem: ${pmemPerNode} }`);
  lines.push('devices:');
  for (let n = 0; n < nodes; n++)
    lines.push(`  - { name: pmem${n}, node: ${n}, mode: fsdax, map: dev }`);
  const names = Array.from({ length: nodes }, (_, n) => `pmem${n}`).join(', ');
  lines.push('steps:', '  - boot', `  - probe: [${names}]`, `  - remove: [${names}]`);
  return lines.join('\n') + '\n';
}

/** A scenario with many page operations on one device: `ops` get_page/put_page pairs. */
export function pageOpsScenario(ops: number): string {
  const lines = [
    'name: page ops',
    'arch: x86_64',
    'kernel: v6.4',
    'machine:',
    '  nodes:',
    '    - { ram: 64GiB, cpus: 16, pmem: 64GiB }',
    'devices:',
    '  - { name: pmem0, node: 0, mode: fsdax, map: dev, size: 32GiB }',
    'steps:',
    '  - boot',
    '  - probe: [pmem0]',
  ];
  for (let i = 0; i < ops; i++) {
    const pfn = `+0x${((i * 7919) % 0x100000).toString(16)}`;
    lines.push(
      `  - get_page: { device: pmem0, pfn: ${pfn} }`,
      `  - put_page: { device: pmem0, pfn: ${pfn} }`,
    );
  }
  lines.push('  - remove: pmem0');
  return lines.join('\n') + '\n';
}

/** A scenario of `bytes` characters whose steps are one flow list: the most YAML nodes per byte. */
export function flowListScenario(bytes: number): string {
  const head = pageOpsScenario(0).replace(/steps:[\s\S]*/, '');
  const items = Math.floor((bytes - head.length - 20) / 6);
  return `${head}steps: [${'boot, '.repeat(items)}boot]\n`;
}
