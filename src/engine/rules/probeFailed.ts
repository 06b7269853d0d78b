import { kernelEventRule } from './kernelEvent';

/** The driver core's line for a failed probe; when a WARN before it says why, that WARN carries it. */
export default kernelEventRule({
  code: 'probe-failed',
  severity: 'error',
  title: 'The device did not probe',
  doc: 'The driver returned an error from probe (drivers/base/dd.c prints it); the device has no pgmap, and later steps that use it cannot run.',
  source: 'drivers/base/dd.c: really_probe()',
});
