import { KiB } from '../units';

/**
 * Scenario limits: beyond these a file is a mistake, not a machine. `cpus` is the largest NR_CPUS
 * (x86 MAXSMP); `ranges` bounds machine.ram/pmem lists and all pgmap ranges. `textBytes` bounds
 * the parse whatever the file's shape: the YAML library reads under a megabyte a second on a
 * slow machine, and a scenario is parsed again after every pause in typing, so the whole file
 * must parse in well under a second (about a third of one at these limits). `steps` and
 * `expectations` fit inside it with room for comments.
 */
export const LIMITS = {
  nodes: 1024,
  cpus: 8192,
  devices: 4096,
  ranges: 4096,
  steps: 5_000,
  expectations: 5_000,
  textBytes: 256 * KiB,
};
