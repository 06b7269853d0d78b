import * as vscode from 'vscode';
import { compareWithLog, type Comparison } from '../../engine/compare/compareWithLog';
import { formatComparison } from '../../engine/compare/formatComparison';
import { scenarioBaseName } from '../documents';
import type { Services } from './services';
import { importedOrSay, importWithProgress, logUri, scenarioAndLog } from './kernelLog';
import { scenarioUri } from './pick';
import { ensureRun } from './runCommands';

export const kernelLogCommands = {
  /**
   * A scenario's run beside a real kernel log, in the compare view: init times per node and device
   * with measured / predicted, lock_stat deltas, the timelines on one axis, both dmesgs. The
   * matching is `memmap-lab compare`'s, and its table goes to the output. Returns the comparison.
   */
  'memmapLab.compareWithKernelLog':
    (s: Services) =>
    async (arg?: unknown, logArg?: unknown): Promise<Comparison | undefined> => {
      const [scenarioArg, logFileArg] = scenarioAndLog(arg, logArg);
      const uri = await scenarioUri(scenarioArg, s.docs);
      const log =
        uri &&
        (await logUri(
          s,
          logFileArg,
          `Compare ${scenarioBaseName(uri)} with Kernel Log…`,
          'Compare',
        ));
      if (!uri || !log) return undefined;
      const [run, imported] = await Promise.all([ensureRun(s, uri), importedOrSay(s, log)]);
      if (!run || !imported) return undefined;
      if (!run.trace) {
        void vscode.window.showWarningMessage(
          `${scenarioBaseName(uri)} did not run (see the Problems panel): there is nothing to compare with the log.`,
        );
        return undefined;
      }
      const comparison = compareWithLog(run.trace, imported);
      s.output.info(
        formatComparison(
          `${vscode.workspace.asRelativePath(uri)} (kernel ${run.variant})`,
          vscode.workspace.asRelativePath(log),
          comparison,
        ),
      );
      await s.panels.openCompareWithLog(uri, log);
      return comparison;
    },

  /** An imported kernel log's spans and messages in the timeline (the argument, the active log, or a pick). */
  'memmapLab.openKernelLogTimeline': (s: Services) => async (arg?: unknown) => {
    const log = await logUri(s, arg, 'Open Kernel Log in Timeline', 'Open');
    if (log && (await importedOrSay(s, log))) await s.panels.openLogTimeline(log);
    return log;
  },

  /** An imported kernel log's /proc/lock_stat in the lock view. */
  'memmapLab.openKernelLogLocks': (s: Services) => async (arg?: unknown) => {
    const log = await logUri(s, arg, 'Open Kernel Log in Lock Analysis', 'Open');
    const imported = log && (await importWithProgress(s, log));
    if (!log || !imported) return undefined;
    if (imported.error) void vscode.window.showErrorMessage(imported.error);
    else if (!imported.trace.lockClasses && imported.trace.locks.length === 0)
      void vscode.window.showInformationMessage(
        `${log.path.split('/').pop()} has no /proc/lock_stat rows or lock events.`,
      );
    else await s.panels.openLogLocks(log);
    return log;
  },
};
