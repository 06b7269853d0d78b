import { calibrateCommands } from './calibrateFromKernelLog';
import { exportTraceCommands } from './exportTrace';
import { importKernelLogCommands } from './importKernelLog';
import { kernelLogCommands } from './kernelLogCommands';
import { newScenarioCommands } from './newScenario';
import { newScenarioFromMachineCommands } from './newScenarioFromMachine';
import type { Services } from './services';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command takes its own arguments
export type CommandFactory = (s: Services) => (...args: any[]) => unknown;

/**
 * The commands not in the quick table, by id (package.json contributes the ids of both, and
 * activation registers those): a bundle of its own, loaded when one of them first runs.
 */
export const COMMANDS: Record<string, CommandFactory> = {
  ...exportTraceCommands,
  ...importKernelLogCommands,
  ...kernelLogCommands,
  ...calibrateCommands,
  ...newScenarioCommands,
  ...newScenarioFromMachineCommands,
};
