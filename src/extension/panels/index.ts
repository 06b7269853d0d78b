import * as vscode from 'vscode';
import { isScenarioUri } from '../documents';
import type { LogSource, RunService } from '../runService';
import type { SavedState, TimelineFocus, ToWebview, ViewKind } from '../../protocol/webview';
import type { ViewController } from './controller';
import { lazy } from '../lazy';
import type * as Controllers from './controllers';
import { revealStep } from './reveal';
import { parseSavedState } from './validate';
import { loadView, panelTitle, VIEW_TYPES, ViewPanel, webviewOptions } from './viewPanel';

const controllers = lazy<typeof Controllers>('controllers');

/** How the core (commands, CodeLens) opens the views. A URI may be a string or a `vscode.Uri`. */
export interface PanelCommands {
  /** The init timeline; `focus.device` scrolls to that device's spans (CodeLens "Show in timeline"). */
  openTimeline(uri: vscode.Uri | string, focus?: TimelineFocus): Promise<void>;
  openLocks(uri: vscode.Uri | string): Promise<void>;
  /** The page inspector, on a pfn if given (`0x6c00200` or `pmem0+0x1000`). */
  openInspector(uri: vscode.Uri | string, pfnText?: string): Promise<void>;
  /** Two variants (kernel presets) of the scenario side by side. */
  openCompare(uri: vscode.Uri | string, variantA: string, variantB: string): Promise<void>;
  /** The scenario's latest run beside a real kernel log (dmesg, journal, lock_stat, ftrace). */
  openCompareWithLog(uri: vscode.Uri | string, logUri: vscode.Uri | string): Promise<void>;
  /** An imported kernel log in the timeline. */
  openLogTimeline(logUri: vscode.Uri | string): Promise<void>;
  /** An imported kernel log's /proc/lock_stat (or lock events) in the lock view. */
  openLogLocks(logUri: vscode.Uri | string): Promise<void>;
  /** What an open panel was last sent (its model, or a status), if the panel is open; `logUri` for a compare with a log. */
  shown(
    view: ViewKind,
    uri: vscode.Uri | string,
    logUri?: vscode.Uri | string,
  ): ToWebview | undefined;
}

/**
 * Registers the four views' serializers and returns the functions that open them. One panel per
 * view and document: opening it again reveals it (and refocuses it).
 */
export function registerPanels(
  context: vscode.ExtensionContext,
  runs: RunService,
  logs: LogSource,
  longLockSettingNs: () => number | undefined,
): PanelCommands {
  const open = new Map<string, ViewPanel>();
  const key = (view: ViewKind, uri: string) => `${view}\0${uri}`;
  const actions = {
    revealStep: (uri: string, step: number) => revealStep(runs, uri, step),
    openInspector: (uri: string, text: string) => commands.openInspector(uri, text),
  };

  const attach = (panel: vscode.WebviewPanel, controller: ViewController): ViewPanel => {
    const k = key(controller.view, controller.key ?? controller.uri);
    const host = new ViewPanel(panel, controller, runs, actions, () => open.delete(k));
    open.set(k, host);
    return host;
  };

  const show = (
    view: ViewKind,
    uri: string,
    make: () => ViewController,
    update: (host: ViewPanel) => void,
    title = panelTitle(view, uri),
  ): void => {
    const existing = open.get(key(view, uri));
    if (existing) {
      update(existing);
      existing.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPES[view],
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { ...webviewOptions(context.extensionUri), enableFindWidget: true },
    );
    loadView(panel, view, context.extensionUri);
    attach(panel, make());
  };

  const commands: PanelCommands = {
    async openTimeline(u, focus) {
      const uri = u.toString();
      show(
        'timeline',
        uri,
        () => new (controllers().TimelineController)(runs, uri, focus),
        (host) => {
          // A hidden webview reloads when revealed and drops messages meanwhile: it gets the focus with its model.
          if (!focus || !(host.controller instanceof controllers().TimelineController)) return;
          if (host.panel.visible) host.post({ type: 'focus', focus });
          else host.controller.refocus(focus);
        },
      );
    },
    async openLocks(u) {
      const uri = u.toString();
      show(
        'locks',
        uri,
        () => new (controllers().LocksController)(runs, uri),
        () => undefined,
      );
    },
    async openInspector(u, pfnText) {
      const uri = u.toString();
      show(
        'inspector',
        uri,
        () => new (controllers().InspectorController)(runs, uri, pfnText),
        (host) => {
          if (!pfnText || !(host.controller instanceof controllers().InspectorController)) return;
          if (host.panel.visible) void host.controller.inspect(pfnText).then((m) => host.post(m));
          else host.controller.select(pfnText);
        },
      );
    },
    async openCompare(u, variantA, variantB) {
      const uri = u.toString();
      show(
        'compare',
        uri,
        () => new (controllers().CompareController)(runs, uri, [variantA, variantB]),
        (host) => {
          if (host.controller.handle?.({ type: 'compareVariants', a: variantA, b: variantB }))
            void host.refresh();
        },
      );
    },
    async openCompareWithLog(u, l) {
      const [uri, logUri] = [u.toString(), l.toString()];
      const title = `${panelTitle('compare', uri)} vs ${decodeURIComponent(logUri.split('/').pop() ?? logUri)}`;
      // Opening it again (the log was imported anew) redraws it.
      show(
        'compare',
        controllers().logCompareKey(uri, logUri),
        () => new (controllers().LogCompareController)(runs, logs, uri, logUri),
        (host) => void host.refresh(),
        title,
      );
    },
    async openLogTimeline(l) {
      const uri = l.toString();
      show(
        'timeline',
        uri,
        () => new (controllers().LogTimelineController)(logs, uri),
        (host) => void host.refresh(),
      );
    },
    async openLogLocks(l) {
      const uri = l.toString();
      show(
        'locks',
        uri,
        () => new (controllers().LogLocksController)(logs, uri, longLockSettingNs),
        (host) => void host.refresh(),
      );
    },
    shown(view, u, l) {
      return open.get(
        key(
          view,
          l === undefined ? u.toString() : controllers().logCompareKey(u.toString(), l.toString()),
        ),
      )?.shown;
    },
  };
  const isLog = (uri: string) => !isScenarioUri(vscode.Uri.parse(uri));
  // A restored view names its file in state the webview kept: a log (shown as it is) is read again
  // only inside the workspace, so a tampered state cannot make the host display any file.
  const workspaceLog = (uri: string) =>
    vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(uri)) !== undefined;

  // The webview restores its own window, pfn and step from its saved state; the host needs the document.
  const restore: Record<ViewKind, (state: SavedState) => ViewController | undefined> = {
    timeline: ({ uri }) =>
      !isLog(uri)
        ? new (controllers().TimelineController)(runs, uri)
        : workspaceLog(uri)
          ? new (controllers().LogTimelineController)(logs, uri)
          : undefined,
    locks: ({ uri }) =>
      !isLog(uri)
        ? new (controllers().LocksController)(runs, uri)
        : workspaceLog(uri)
          ? new (controllers().LogLocksController)(logs, uri, longLockSettingNs)
          : undefined,
    inspector: ({ uri }) =>
      isLog(uri) ? undefined : new (controllers().InspectorController)(runs, uri),
    compare: ({ uri, variants, log }) =>
      isLog(uri)
        ? undefined
        : log
          ? workspaceLog(log)
            ? new (controllers().LogCompareController)(runs, logs, uri, log)
            : undefined
          : variants
            ? new (controllers().CompareController)(runs, uri, variants)
            : undefined,
  };
  context.subscriptions.push({
    dispose: () => [...open.values()].forEach((host) => host.panel.dispose()),
  });
  for (const view of Object.keys(VIEW_TYPES) as ViewKind[]) {
    context.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPES[view], {
        async deserializeWebviewPanel(panel, raw) {
          const state = parseSavedState(raw, view);
          if (state) loadView(panel, view, context.extensionUri);
          const controller = state && restore[view](state);
          // A state we did not write (or none: the panel closed before its first model) is not restorable.
          if (!controller) return panel.dispose();
          attach(panel, controller);
        },
      }),
    );
  }
  return commands;
}
