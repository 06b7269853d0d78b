import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'section-already-deactivated',
  severity: 'error',
  title: 'Removing sub-sections that are not active',
  doc: 'section_deactivate() found a requested sub-section bit clear: the range was never added, or was removed twice.',
  source: 'mm/sparse.c: section_deactivate()',
});
