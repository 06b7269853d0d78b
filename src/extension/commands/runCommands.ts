import * as vscode from 'vscode';
import { stepExtent } from '../../engine/views/stepExtent';
import { scenarioBaseName } from '../documents';
import { runLine, type RunSnapshot } from '../runService';
import type { Services } from './services';
import { pickVariant, scenarioUri } from './pick';

/** A run the user asked for: a notification with Cancel while it runs. */
export function runWithProgress(
  s: Services,
  uri: vscode.Uri,
  options: { variant?: string } = {},
): Promise<RunSnapshot | undefined> {
  const what = `${scenarioBaseName(uri)}${options.variant ? ` (${options.variant})` : ''}`;
  return Promise.resolve(
    vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Memmap Lab: running ${what}`,
        cancellable: true,
      },
      (_progress, token) => s.runs.run(uri.toString(), options, token),
    ),
  );
}

/** The document's own run, running it first if it never ran. */
export async function ensureRun(s: Services, uri: vscode.Uri): Promise<RunSnapshot | undefined> {
  return s.runs.latest(uri.toString()) ?? runWithProgress(s, uri);
}

function report(
  s: Services,
  uri: vscode.Uri,
  r: RunSnapshot,
  actions: Record<string, () => unknown>,
): void {
  s.output.info(
    `${vscode.workspace.asRelativePath(uri)}: ${runLine(r)} (${r.wallMs.toFixed(0)} ms)`,
  );
  for (const d of r.diagnostics)
    s.output.info(`  ${d.span.line}:${d.span.column} ${d.severity} ${d.code}: ${d.message}`);
  for (const e of r.expectations)
    s.output.info(`  ${e.pass ? 'pass' : 'FAIL'} line ${e.span.line}: ${e.title} — ${e.message}`);
  const failed =
    !r.summary ||
    r.diagnostics.some((d) => d.severity === 'error') ||
    r.expectations.some((e) => !e.pass);
  const show = failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(runLine(r), ...Object.keys(actions)).then((choice) => choice && actions[choice]());
}

export const runCommands = {
  'memmapLab.run': (s: Services) => async (arg?: unknown) => {
    const uri = await scenarioUri(arg, s.docs);
    const r = uri && (await runWithProgress(s, uri));
    if (uri && r)
      report(s, uri, r, {
        'Open Timeline': () => s.panels.openTimeline(uri),
        'Show Output': () => s.output.show(),
      });
    return r;
  },

  'memmapLab.runWithVariant': (s: Services) => async (arg?: unknown, variant?: string) => {
    const uri = await scenarioUri(arg, s.docs);
    const own = uri && s.runs.latest(uri.toString())?.variant;
    const chosen =
      uri && (variant ?? (await pickVariant('Run Scenario with Variant…', undefined, own)));
    const r = uri && chosen ? await runWithProgress(s, uri, { variant: chosen }) : undefined;
    if (uri && r) {
      const compare: Record<string, () => unknown> =
        own && own !== r.variant
          ? { [`Compare with ${own}`]: () => s.panels.openCompare(uri, own, r.variant) }
          : {};
      report(s, uri, r, { ...compare, 'Show Output': () => s.output.show() });
    }
    return r;
  },

  /**
   * The whole scenario runs (later steps cannot change what happened before this one, and a
   * partial run would stand in for the file's run in diagnostics and lenses); the timeline then
   * shows the run up to (a little past) the end of this step, with markers A/B on the step itself.
   */
  'memmapLab.runToStep': (s: Services) => async (arg: unknown, step: number) => {
    const uri = await scenarioUri(arg, s.docs);
    const r = uri && (await runWithProgress(s, uri));
    const extent = r?.trace && stepExtent(r.trace, step);
    // Some room after the step, so its end (marker B) is not on the edge of the view.
    const focus = extent && {
      window: [0, extent[1] + Math.max((extent[1] - extent[0]) / 2, extent[1] / 20)] as [
        number,
        number,
      ],
      markers: extent,
    };
    if (uri && r) await s.panels.openTimeline(uri, focus);
    return r;
  },

  'memmapLab.compareVariants':
    (s: Services) => async (arg?: unknown, variantA?: string, variantB?: string) => {
      const uri = await scenarioUri(arg, s.docs);
      if (!uri) return undefined;
      const own = (await ensureRun(s, uri))?.variant;
      const a = variantA ?? (await pickVariant('Compare Variants… (1/2): the first kernel', own));
      const b =
        a &&
        (variantB ?? (await pickVariant(`Compare Variants… (2/2): ${a} against`, undefined, a)));
      if (!a || !b) return undefined;
      const [ra, rb] = await Promise.all([
        runWithProgress(s, uri, { variant: a }),
        runWithProgress(s, uri, { variant: b }),
      ]);
      if (ra && rb) await s.panels.openCompare(uri, a, b);
      return ra && rb ? [ra, rb] : undefined;
    },
};
