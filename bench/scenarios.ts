/** Scenario text generators for the benchmarks: the same shape at any size. */
export function pmemMachine(nodes: number, pmemPerNode: string, ramPerNode = '384GiB', kernel = 'v5.10'): string {
  const lines = ['name: bench', 'arch: x86_64', `kernel: ${kernel}`, 'machine:', '  nodes:'];
  for (let n = 0; n < nodes; n++) lines.push(`    - { ram: ${ramPerNode}, cpus: 28, pmem: ${pmemPerNode} }`);
  lines.push('devices:');
  for (let n = 0; n < nodes; n++) lines.push(`  - { name: pmem${n}, node: ${n}, mode: fsdax, map: dev }`);
  const names = Array.from({ length: nodes }, (_, n) => `pmem${n}`).join(', ');
  lines.push('steps:', '  - boot', `  - probe: [${names}]`, `  - remove: [${names}]`);
  return lines.join('\n') + '\n';
}
