import { runCommands } from './runCommands';
import type { CommandFactory } from './table';
import { viewCommands } from './viewCommands';

/**
 * The commands a user runs most (run a scenario, open its views): a small bundle of their own, so
 * that opening a view does not first load the engine code of the import, calibrate, export and
 * twin commands (table.ts).
 */
export const QUICK_COMMANDS: Record<string, CommandFactory> = {
  ...runCommands,
  ...viewCommands,
};
