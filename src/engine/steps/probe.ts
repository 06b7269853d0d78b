import { probeDevice } from '../nvdimm/probe';
import type { KThread } from '../sim/scheduler';
import { deviceList } from './args';
import type { StepOpModule } from './stepOp';
import type { StepRun } from './stepRun';

const step: StepOpModule<'probe'> = {
  doc:
    'Bind the devices: `nd_pfn_probe()` → `devm_memremap_pages()` → `memremap_pages()` → ' +
    '`pagemap_range()`: `arch_add_memory()` under `mem_hotplug_lock`, ' +
    '`move_pfn_range_to_zone()`, then `memmap_init_zone_device()`.',
  keys: [],
  read: deviceList,
  *run(s, step) {
    const { k } = s;
    const refused = checkDevices(s, step.devices);
    if (refused) return refused;
    const threads: KThread[] = [];
    for (const name of step.devices) {
      const dev = s.device(name)!;
      dev.state = 'probing';
      threads.push(
        (yield {
          kind: 'spawn',
          name: `probe/${dev.spec.node}:${name}`,
          node: dev.spec.node,
          body: function* (t) {
            const ok = yield* probeDevice(
              { k, t, step: step.index, device: name, devName: dev.devName },
              dev,
            );
            dev.state = ok ? 'live' : 'failed';
          },
        }) as KThread,
      );
    }
    yield { kind: 'join', threads };
    // A probe worker killed by an oops never reported back.
    for (const n of step.devices)
      if (s.device(n)?.state === 'probing') s.device(n)!.state = 'failed';
    const notProbed = step.devices.filter((n) => s.device(n)?.state === 'failed');
    if (notProbed.length) s.status.devicesFailed = notProbed;
    return notProbed.length ? `probe failed: ${notProbed.join(', ')}` : undefined;
  },
};

/** Every device is checked before any probe starts: a bad name must not leave workers running. */
function checkDevices(s: StepRun, devices: string[]): string | undefined {
  const { k } = s;
  for (const [i, name] of devices.entries()) {
    const dev = s.device(name);
    if (!dev) return s.fail(`no device named '${name}'`);
    if (devices.indexOf(name) !== i) return s.fail(`device '${name}' is listed twice`);
    if (dev.state !== 'idle' && dev.state !== 'removed')
      return s.fail(
        `device '${name}' is already ${dev.state}`,
        undefined,
        'invalid-step',
        s.failed(dev),
      );
    // include/linux/memremap.h: MEMORY_DEVICE_COHERENT arrived in v6.0 (f25cbb7a95a2).
    if (dev.spec.kind === 'pgmap' && dev.spec.type === 'coherent' && !k.f.coherentPgmap) {
      return s.fail(
        `device '${name}': MEMORY_DEVICE_COHERENT pgmaps exist from v6.0; ${k.f.version} has none`,
      );
    }
    // mm/Kconfig: ZONE_DEVICE depends on the arch (ARCH_HAS_ZONE_DEVICE, then ARCH_HAS_PTE_DEVMAP).
    if (!k.f.zoneDevice) {
      return s.fail(
        `device '${name}': ${k.g.arch} has no ZONE_DEVICE in ${k.f.version} (mm/Kconfig: ` +
          'ZONE_DEVICE depends on ARCH_HAS_ZONE_DEVICE / ARCH_HAS_PTE_DEVMAP, ' +
          `which ${k.g.arch} does not select)`,
      );
    }
  }
  return undefined;
}

export default step;
