import * as vscode from 'vscode';
import type { RunService } from '../runService';
import type { FromWebview, ToWebview, ViewKind } from '../../protocol/webview';
import type { ViewController } from './controller';
import { makeNonce, webviewHtml } from './html';
import { parseFromWebview } from './validate';

/** The webview panel types; a serializer per type brings panels back after a window reload. */
export const VIEW_TYPES: Record<ViewKind, string> = {
  timeline: 'memmapLab.timeline',
  locks: 'memmapLab.locks',
  inspector: 'memmapLab.inspector',
  compare: 'memmapLab.compare',
};

const TITLES: Record<ViewKind, string> = {
  timeline: 'Init timeline',
  locks: 'Lock hold durations',
  inspector: 'Page inspector',
  compare: 'Compare',
};

/** What a panel asks of the rest of the extension. */
export interface PanelActions {
  revealStep(uri: string, step: number): Promise<void>;
  openInspector(uri: string, pfnText: string): Promise<void>;
}

/** Shows a model only after this long without one, so quick refreshes do not flash "Running…". */
const RUNNING_NOTICE_MS = 150;

/** Every panel's webview: scripts on, and files only from the built webview folder and media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

export function panelTitle(view: ViewKind, uri: string): string {
  return `${TITLES[view]}: ${decodeURIComponent(uri.split('/').pop() ?? uri).replace(/\.memmap\.(ya?ml|json)$/, '')}`;
}

/**
 * Gives a panel its page: the view's script and styles. Called before the controller is made,
 * which loads the panels' bundle: the webview starts its page while the host loads that.
 */
export function loadView(
  panel: vscode.WebviewPanel,
  view: ViewKind,
  extensionUri: vscode.Uri,
): void {
  const webview = panel.webview;
  webview.options = webviewOptions(extensionUri);
  const asset = (...path: string[]) =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  webview.html = webviewHtml({
    view,
    title: panel.title,
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: asset('dist', 'webview', `${view}.js`),
    styleUris: [asset('media', 'webview.css'), asset('media', `${view}.css`)],
  });
}

/** One open view (its page loaded by loadView): VS Code's panel, wired to its controller and the run service. */
export class ViewPanel implements vscode.Disposable {
  private ready = false;
  /** Refreshes can overlap (an edit while a run is under way); only the newest may post. */
  private generation = 0;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The last model or status the view was sent: what it shows (the integration tests read it). */
  shown?: ToWebview;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly controller: ViewController,
    runs: RunService,
    private readonly actions: PanelActions,
    onDispose: () => void,
  ) {
    const webview = panel.webview;
    this.subscriptions.push(
      webview.onDidReceiveMessage((raw) => this.receive(raw)),
      runs.onDidRun((run) => {
        if (this.ready && controller.concerns(run)) void this.refresh();
      }),
      panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
    );
  }

  /** Posts only once the webview said `ready`; before that it would be lost. */
  post(message: ToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  async refresh(): Promise<void> {
    const { controller } = this;
    const mine = ++this.generation;
    const post = (message: ToWebview) => {
      if (mine !== this.generation) return;
      this.shown = message;
      this.post(message);
    };
    const notice = setTimeout(
      () =>
        post({
          type: 'status',
          uri: controller.uri,
          state: 'running',
          message: 'Running the scenario…',
        }),
      RUNNING_NOTICE_MS,
    );
    try {
      post(await controller.model());
    } catch (e) {
      post({
        type: 'status',
        uri: controller.uri,
        state: 'failed',
        message: `Could not build the view: ${e instanceof Error ? e.message : String(e)}`,
      });
    } finally {
      clearTimeout(notice);
    }
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseFromWebview(raw);
    if (message) await this.handle(message);
  }

  private async handle(message: FromWebview): Promise<void> {
    const { controller } = this;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        return this.refresh();
      case 'request':
        try {
          this.post({
            type: 'reply',
            id: message.id,
            reply: await controller.answer(message.request),
          });
        } catch (e) {
          this.post({
            type: 'reply',
            id: message.id,
            error: e instanceof Error ? e.message : String(e),
          });
        }
        return;
      case 'revealStep':
        return this.actions.revealStep(controller.uri, message.step);
      case 'openInspector':
        return this.actions.openInspector(controller.uri, message.text);
      case 'compareVariants':
        if (controller.handle?.(message)) await this.refresh();
        return;
      default: {
        const never: never = message;
        throw new Error(`unhandled message ${JSON.stringify(never)}`);
      }
    }
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }
}
