import { randomBytes } from 'node:crypto';
import type { ViewKind } from '../../protocol/webview';

/** What the page needs from the host: URIs already passed through `asWebviewUri`. */
export interface PageSources {
  view: ViewKind;
  title: string;
  /** `webview.cspSource`: the only origin scripts, styles, fonts and images may come from. */
  cspSource: string;
  scriptUri: string;
  styleUris: string[];
  /** Fresh per page load. */
  nonce: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The one HTML page every view uses. Strict CSP: no network, no inline script; the bundle runs
 * only with the nonce. The toolkit's components style themselves through constructable
 * stylesheets (not governed by style-src); its one probe <style> takes the nonce from the
 * `csp-nonce` meta, as FAST looks for it.
 */
export function webviewHtml(p: PageSources): string {
  const csp = [
    "default-src 'none'",
    `img-src ${p.cspSource} data:`,
    `font-src ${p.cspSource}`,
    `style-src ${p.cspSource} 'nonce-${p.nonce}'`,
    `script-src 'nonce-${p.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${p.nonce}">
${p.styleUris.map((u) => `<link rel="stylesheet" href="${escape(u)}" nonce="${p.nonce}">`).join('\n')}
<title>${escape(p.title)}</title>
</head>
<body data-view="${p.view}">
<main id="app"><p class="status loading" role="status">Loading…</p></main>
<script nonce="${p.nonce}" src="${escape(p.scriptUri)}"></script>
</body>
</html>`;
}
