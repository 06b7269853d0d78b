import { memunmapPages } from '../mm/memremap';
import { deviceList } from './args';
import type { StepOpModule } from './stepOp';

const step: StepOpModule<'remove'> = {
  doc:
    'Unbind: `memunmap_pages()` — `percpu_ref_kill()`, put the map-time references, ' +
    '`wait_for_completion(&pgmap->done)`, then `arch_remove_memory()` under the hotplug lock.',
  keys: [],
  read: deviceList,
  *run(s, step) {
    for (const name of step.devices) {
      const d = s.live(name);
      if (typeof d === 'string') return d;
      d.dev.state = 'removing';
      yield* memunmapPages(s.on(name, d.dev), d.pgmap);
      d.dev.state = 'removed';
    }
    return undefined;
  },
};

export default step;
