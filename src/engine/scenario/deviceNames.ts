import type { Node } from 'yaml';
import type { Reader } from './reader';
import { nearest } from './suggest';

/**
 * Reads the device names steps and expectations use. A name the scenario does not define is one
 * error at the name, with the nearest defined name as its fix (as for keys and modes), rather
 * than a run whose later steps all fail with it.
 */
export class DeviceNames {
  constructor(
    readonly r: Reader,
    private readonly names: readonly string[],
  ) {}

  /** A device name; one the scenario does not define is reported at the name, with the nearest. */
  read(node: Node | null | undefined, what: string): string | undefined {
    const name = this.r.text(node, what);
    if (name === undefined || this.names.includes(name)) return name;
    const guess = nearest(name, this.names);
    const known = this.names.length
      ? `the devices are ${this.names.join(', ')}`
      : 'the scenario has no devices';
    this.r.report(
      node,
      `no device named '${name}'` + (guess ? `; did you mean '${guess}'?` : `; ${known}`),
      guess,
    );
    return name;
  }
}
