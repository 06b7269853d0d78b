import { readMapping, runMapping } from './map';
import type { StepOpModule } from './stepOp';

const step: StepOpModule<'unmap'> = {
  doc: '`zap_pte_range()`: unmap the pages and drop what `map` took.',
  keys: ['device', 'pfn', 'pages'],
  read: readMapping,
  run: runMapping,
};

export default step;
