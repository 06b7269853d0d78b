import { calibrateCommands } from './calibrateFromKernelLog';
import { exportTraceCommands } from './exportTrace';
import { importKernelLogCommands } from './importKernelLog';
import { kernelLogCommands } from './kernelLogCommands';
import { newScenarioCommands } from './newScenario';
import { newScenarioFromMachineCommands } from './newScenarioFromMachine';
import { runCommands } from './runCommands';
import type { Services } from './services';
import { viewCommands } from './viewCommands';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command takes its own arguments
export type CommandFactory = (s: Services) => (...args: any[]) => unknown;

/**
 * Every command, by id (package.json contributes the same ids, and activation registers those):
 * a bundle of its own, loaded when a command first runs.
 */
export const COMMANDS: Record<string, CommandFactory> = {
  ...runCommands,
  ...viewCommands,
  ...exportTraceCommands,
  ...importKernelLogCommands,
  ...kernelLogCommands,
  ...calibrateCommands,
  ...newScenarioCommands,
  ...newScenarioFromMachineCommands,
};
