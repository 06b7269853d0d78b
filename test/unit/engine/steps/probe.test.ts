import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, scenario } from '../../helpers';

/** Probe one fsdax namespace on the given release and arch: the probe step as the user sees it. */
function probe(kernel: string, arch: string) {
  const a = run(
    scenario({
      kernel,
      arch,
      nodes: ['{ ram: 16GiB, cpus: 4 }'],
      machine: ['pmem:', '    - { node: 0, start: 0x480000000, size: 8GiB }'],
      devices: ['{ name: pmem0, node: 0, mode: fsdax, map: mem, size: 1GiB }'],
      steps: ['boot', 'probe: [pmem0]'],
    }),
  );
  return a.run!.steps[1];
}

test('ZONE_DEVICE per arch: s390 from v6.17 (d438d2734170), LoongArch from v6.11 (b7a2750ef268)', () => {
  assert.match(probe('v6.16', 's390x').error!, /s390x has no ZONE_DEVICE in v6\.16/);
  assert.equal(probe('v6.17', 's390x').outcome, 'ok');
  assert.match(probe('v6.10', 'loongarch64').error!, /loongarch64 has no ZONE_DEVICE in v6\.10/);
  assert.equal(probe('v6.11', 'loongarch64').outcome, 'ok');
});
