/**
 * VS Code's theme variables for the harness: a subset of Light Modern and Dark Modern, enough for
 * our CSS, the canvases and the toolkit's components. VS Code injects these on the webview's
 * <html>; the harness serves them as a style sheet before ours.
 */
const common = {
  '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
  '--vscode-editor-font-size': '13px',
};

export const THEMES = {
  light: {
    ...common,
    '--vscode-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff', '--vscode-descriptionForeground': '#717171',
    '--vscode-panel-border': '#e5e5e5', '--vscode-widget-border': '#e5e5e5', '--vscode-focusBorder': '#005fb8',
    '--vscode-editor-selectionBackground': '#add6ff', '--vscode-editorWarning-foreground': '#bf8803',
    '--vscode-editorError-foreground': '#e51400', '--vscode-editorInfo-foreground': '#1a85ff', '--vscode-errorForeground': '#f85149',
    '--vscode-charts-foreground': '#616161', '--vscode-charts-lines': 'rgba(97, 97, 97, 0.5)', '--vscode-charts-red': '#e51400',
    '--vscode-charts-blue': '#1a85ff', '--vscode-charts-yellow': '#bf8803', '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#388a34', '--vscode-charts-purple': '#652d90', '--vscode-editorWidget-background': '#f8f8f8',
    '--vscode-list-hoverBackground': '#f2f2f2', '--vscode-list-inactiveSelectionBackground': '#e4e6f1',
    '--vscode-list-activeSelectionBackground': '#e8e8e8', '--vscode-list-activeSelectionForeground': '#000000',
    '--vscode-textLink-foreground': '#005fb8', '--vscode-editorHoverWidget-background': '#f8f8f8',
    '--vscode-editorHoverWidget-foreground': '#3b3b3b', '--vscode-editorHoverWidget-border': '#c8c8c8',
    '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#0258a8',
    '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b',
    '--vscode-button-secondaryHoverBackground': '#cccccc', '--vscode-button-border': 'rgba(0, 0, 0, 0.1)',
    '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#3b3b3b', '--vscode-input-border': '#cecece',
    '--vscode-input-placeholderForeground': '#767676', '--vscode-dropdown-background': '#ffffff', '--vscode-dropdown-foreground': '#3b3b3b',
    '--vscode-dropdown-border': '#cecece', '--vscode-badge-background': '#cccccc', '--vscode-badge-foreground': '#3b3b3b',
    '--vscode-checkbox-background': '#f8f8f8', '--vscode-checkbox-border': '#cecece', '--vscode-checkbox-foreground': '#3b3b3b',
    '--vscode-progressBar-background': '#005fb8', '--vscode-inputValidation-errorBorder': '#be1100',
    '--vscode-disabledForeground': 'rgba(97, 97, 97, 0.5)', '--vscode-scrollbarSlider-background': 'rgba(100, 100, 100, 0.4)',
  },
  dark: {
    ...common,
    '--vscode-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f', '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-panel-border': '#2b2b2b', '--vscode-widget-border': '#313131', '--vscode-focusBorder': '#0078d4',
    '--vscode-editor-selectionBackground': '#264f78', '--vscode-editorWarning-foreground': '#cca700',
    '--vscode-editorError-foreground': '#f14c4c', '--vscode-editorInfo-foreground': '#3794ff', '--vscode-errorForeground': '#f85149',
    '--vscode-charts-foreground': '#cccccc', '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)', '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-blue': '#3794ff', '--vscode-charts-yellow': '#cca700', '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#89d185', '--vscode-charts-purple': '#b180d7', '--vscode-editorWidget-background': '#202020',
    '--vscode-list-hoverBackground': '#2a2d2e', '--vscode-list-inactiveSelectionBackground': '#37373d',
    '--vscode-list-activeSelectionBackground': '#04395e', '--vscode-list-activeSelectionForeground': '#ffffff',
    '--vscode-textLink-foreground': '#4daafc', '--vscode-editorHoverWidget-background': '#202020',
    '--vscode-editorHoverWidget-foreground': '#cccccc', '--vscode-editorHoverWidget-border': '#454545',
    '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#026ec1',
    '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc',
    '--vscode-button-secondaryHoverBackground': '#3c3c3c', '--vscode-button-border': 'rgba(255, 255, 255, 0.07)',
    '--vscode-input-background': '#313131', '--vscode-input-foreground': '#cccccc', '--vscode-input-border': '#3c3c3c',
    '--vscode-input-placeholderForeground': '#989898', '--vscode-dropdown-background': '#313131', '--vscode-dropdown-foreground': '#cccccc',
    '--vscode-dropdown-border': '#3c3c3c', '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8',
    '--vscode-checkbox-background': '#313131', '--vscode-checkbox-border': '#3c3c3c', '--vscode-checkbox-foreground': '#cccccc',
    '--vscode-progressBar-background': '#0078d4', '--vscode-inputValidation-errorBorder': '#be1100',
    '--vscode-disabledForeground': 'rgba(204, 204, 204, 0.5)', '--vscode-scrollbarSlider-background': 'rgba(121, 121, 121, 0.4)',
  },
  hc: {
    ...common,
    '--vscode-foreground': '#ffffff', '--vscode-editor-background': '#000000', '--vscode-descriptionForeground': '#ffffffb3',
    '--vscode-panel-border': '#6fc3df', '--vscode-widget-border': '#6fc3df', '--vscode-contrastBorder': '#6fc3df',
    '--vscode-contrastActiveBorder': '#f38518', '--vscode-focusBorder': '#f38518', '--vscode-editor-selectionBackground': '#ffffff',
    '--vscode-editorWarning-foreground': '#ffd370', '--vscode-editorError-foreground': '#f48771', '--vscode-editorInfo-foreground': '#3794ff',
    '--vscode-errorForeground': '#f48771', '--vscode-charts-foreground': '#ffffff', '--vscode-charts-lines': 'rgba(255, 255, 255, 0.5)',
    '--vscode-charts-red': '#f14c4c', '--vscode-charts-blue': '#3794ff', '--vscode-charts-yellow': '#cca700', '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#89d185', '--vscode-charts-purple': '#b180d7', '--vscode-editorWidget-background': '#0c141f',
    '--vscode-list-hoverBackground': '#000000', '--vscode-list-inactiveSelectionBackground': '#000000',
    '--vscode-textLink-foreground': '#21a6ff', '--vscode-editorHoverWidget-background': '#0c141f',
    '--vscode-editorHoverWidget-foreground': '#ffffff', '--vscode-editorHoverWidget-border': '#6fc3df',
    '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff', '--vscode-button-border': '#6fc3df',
    '--vscode-button-secondaryBackground': '#000000', '--vscode-button-secondaryForeground': '#ffffff',
    '--vscode-input-background': '#000000', '--vscode-input-foreground': '#ffffff', '--vscode-input-border': '#6fc3df',
    '--vscode-dropdown-background': '#000000', '--vscode-dropdown-foreground': '#ffffff', '--vscode-dropdown-border': '#6fc3df',
    '--vscode-badge-background': '#000000', '--vscode-badge-foreground': '#ffffff', '--vscode-progressBar-background': '#6fc3df',
    '--vscode-inputValidation-errorBorder': '#f48771', '--vscode-disabledForeground': '#a5a5a5',
  },
} as const;

/** The body class VS Code gives each kind of theme. */
export const THEME_CLASS = { light: 'vscode-light', dark: 'vscode-dark', hc: 'vscode-high-contrast' } as const;

export type ThemeName = keyof typeof THEMES;

export function themeCss(name: ThemeName): string {
  return `:root {\n${Object.entries(THEMES[name]).map(([k, v]) => `  ${k}: ${v};`).join('\n')}\n}\n`;
}
