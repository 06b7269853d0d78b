/**
 * Colours come from VS Code's theme variables (and media/webview.css, which maps them to the
 * view's own names), so light, dark and high-contrast themes all work; canvases and charts read
 * them here and redraw when the theme changes.
 */
export interface ThemeColors {
  foreground: string;
  background: string;
  muted: string;
  border: string;
  grid: string;
  focus: string;
  selection: string;
  warn: string;
  error: string;
  info: string;
  font: string;
  monoFont: string;
  /** A high-contrast theme: outline shapes, no translucency. */
  contrast: boolean;
  /** The view's named colours (--mm-*), e.g. `kind('device')`. */
  named(name: string): string;
}

export function cssVar(name: string, fallback = ''): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function themeColors(): ThemeColors {
  const body = document.body.classList;
  const foreground = cssVar('--vscode-foreground', '#333');
  return {
    foreground,
    background: cssVar('--vscode-editor-background', '#fff'),
    muted: cssVar('--vscode-descriptionForeground', '#777'),
    border: cssVar('--vscode-panel-border', cssVar('--vscode-widget-border', '#8884')),
    grid: withAlpha(foreground, 0.1),
    focus: cssVar('--vscode-focusBorder', '#07f'),
    selection: cssVar('--vscode-editor-selectionBackground', '#07f4'),
    warn: cssVar('--vscode-editorWarning-foreground', '#c80'),
    error: cssVar('--vscode-editorError-foreground', '#e00'),
    info: cssVar('--vscode-editorInfo-foreground', '#07f'),
    font: `${cssVar('--vscode-font-size', '13px')} ${cssVar('--vscode-font-family', 'sans-serif')}`,
    monoFont: `${cssVar('--vscode-editor-font-size', '12px')} ${cssVar('--vscode-editor-font-family', 'monospace')}`,
    contrast: body.contains('vscode-high-contrast') || body.contains('vscode-high-contrast-light'),
    named: (name) => cssVar(`--mm-${name}`, '#888'),
  };
}

/**
 * Calls `fn` when VS Code switches theme: it changes the body's class and theme attributes and
 * the `--vscode-*` variables on the root element, in either order, so both are watched and the
 * last change wins. Returns the way to stop.
 */
export function onThemeChange(fn: () => void): () => void {
  const observer = new MutationObserver(fn);
  observer.observe(document.body, {
    attributes: true,
    attributeFilter: ['class', 'data-vscode-theme-kind', 'style'],
  });
  observer.observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['style', 'class'],
  });
  return () => observer.disconnect();
}

/** A colour with an alpha, for translucent fills over the background. */
export function withAlpha(color: string, alpha: number): string {
  const c = color.trim();
  const hex = /^#([0-9a-f]{3,8})$/i.exec(c)?.[1];
  if (hex) {
    const full = hex.length <= 4 ? [...hex].map((x) => x + x).join('') : hex;
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^)]+)\)$/.exec(c)?.[1].split(',').slice(0, 3).join(',');
  return rgb ? `rgba(${rgb}, ${alpha})` : c;
}
