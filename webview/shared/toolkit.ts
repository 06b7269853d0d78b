/**
 * The only module that knows the UI component library. @vscode/webview-ui-toolkit is archived
 * upstream; moving to @vscode-elements/elements means rewriting these few factories, not the views.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
} from '@vscode/webview-ui-toolkit';

// No vsCodeBadge: FAST's badge template binds a style attribute, which our CSP (no
// 'unsafe-inline') blocks; views draw badges with plain CSS instead. No vsCodeTextField either:
// it replaced our aria-label with "Text field", so a screen reader never said what to type.
provideVSCodeDesignSystem().register(
  vsCodeButton(),
  vsCodeDropdown(),
  vsCodeOption(),
  vsCodeProgressRing(),
);

/** An element with a `value`, as the toolkit's inputs are. */
export type ValueElement = HTMLElement & { value: string };

/**
 * A button. `name` is what a screen reader announces when the label is a symbol ("◀" would be
 * read as "left-pointing triangle").
 */
export function button(
  label: string,
  onClick: () => void,
  opts: { secondary?: boolean; title?: string; name?: string } = {},
): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  if (opts.secondary) b.setAttribute('appearance', 'secondary');
  if (opts.title) b.title = opts.title;
  if (opts.name) b.setAttribute('aria-label', opts.name);
  b.addEventListener('click', onClick);
  return b;
}

/** A text field (a plain input in the theme's colours); `onEnter` fires on Enter, `onInput` on every edit. */
export function textField(opts: {
  label: string;
  placeholder?: string;
  value?: string;
  size?: number;
  onInput?: (v: string) => void;
  onEnter?: (v: string) => void;
}): ValueElement {
  const f = document.createElement('input');
  f.type = 'text';
  f.className = 'text-field';
  f.spellcheck = false;
  f.setAttribute('aria-label', opts.label);
  if (opts.placeholder) f.setAttribute('placeholder', opts.placeholder);
  if (opts.size) f.setAttribute('size', String(opts.size));
  f.value = opts.value ?? '';
  f.addEventListener('input', () => opts.onInput?.(f.value));
  f.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') opts.onEnter?.(f.value);
  });
  return f;
}

/** A dropdown of plain string choices. */
export function dropdown(opts: {
  label: string;
  choices: { value: string; label: string }[];
  value: string;
  onChange: (v: string) => void;
}): ValueElement {
  const d = document.createElement('vscode-dropdown') as ValueElement;
  d.setAttribute('aria-label', opts.label);
  for (const c of opts.choices) {
    const o = document.createElement('vscode-option') as ValueElement;
    o.setAttribute('value', c.value);
    o.textContent = c.label;
    if (c.value === opts.value) o.setAttribute('selected', '');
    d.append(o);
  }
  d.addEventListener('change', () => opts.onChange(d.value));
  return d;
}

export function progress(label: string): HTMLElement {
  const p = document.createElement('vscode-progress-ring');
  p.setAttribute('aria-label', label);
  return p;
}
