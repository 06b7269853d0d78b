import type { DetailsPaneState } from '../../src/protocol/webview';
import { h } from '../shared/dom';
import { button } from '../shared/toolkit';

/** Narrower than this, a span's cost table no longer fits. */
const MIN_WIDTH = 180;
/** Keyboard steps of the splitter, px (Shift: the larger). */
const STEP = 16;
const BIG_STEP = 64;

/** The details pane beside the lanes, the splitter that resizes it and the toolbar toggle. */
export interface DetailsPane {
  /** The splitter and the pane, to place after the canvas. */
  parts: HTMLElement[];
  /** Where a span's details go. */
  content: HTMLElement;
  /** Shows or hides the pane (toolbar). */
  toggle: HTMLElement;
}

/**
 * A pane the user sizes (drag the splitter, or focus it and use ←/→, Home, End) and closes,
 * kept in the webview's state. Its first width is a share of the view: at a 770 px panel the
 * lanes keep most of the width.
 */
export function detailsPane(
  saved: DetailsPaneState | undefined,
  save: (state: DetailsPaneState) => void,
): DetailsPane {
  const content = h('div', { class: 'pane-content', attrs: { 'aria-live': 'polite' } });
  const pane = h(
    'aside',
    { class: 'details', attrs: { id: 'timeline-details', 'aria-label': 'Span details' } },
    h(
      'div',
      { class: 'pane-head' },
      h('span', { class: 'pane-title', text: 'Span details' }),
      button('×', () => setOpen(false), {
        secondary: true,
        name: 'Close span details',
        title: 'Close the details pane (Show details in the toolbar opens it again)',
      }),
    ),
    content,
  );
  const splitter = h('div', {
    class: 'splitter',
    attrs: {
      role: 'separator',
      tabindex: 0,
      'aria-orientation': 'vertical',
      'aria-controls': 'timeline-details',
      'aria-label': 'Resize span details (← wider, → narrower)',
    },
  });
  // Says what it will do: the toolkit's button passes no aria-expanded to its inner <button>.
  const toggle = button('', () => setOpen(!state.open), {
    secondary: true,
    title: 'Show or hide the span details pane',
  });
  const state: DetailsPaneState = { open: saved?.open ?? true, width: saved?.width };

  const maxWidth = () =>
    Math.max(MIN_WIDTH, Math.round((pane.parentElement?.clientWidth ?? 0) * 0.7));
  const defaultWidth = () =>
    Math.min(360, Math.max(200, Math.round((pane.parentElement?.clientWidth ?? 0) * 0.26)));
  const setWidth = (w: number, keep = true) => {
    const width = Math.round(Math.min(maxWidth(), Math.max(MIN_WIDTH, w)));
    pane.style.width = `${width}px`;
    splitter.setAttribute('aria-valuemin', String(MIN_WIDTH));
    splitter.setAttribute('aria-valuemax', String(maxWidth()));
    splitter.setAttribute('aria-valuenow', String(width));
    splitter.setAttribute('aria-valuetext', `details ${width} px wide`);
    if (!keep) return;
    state.width = width;
    save(state);
  };
  const show = (open: boolean) => {
    state.open = open;
    pane.hidden = splitter.hidden = !open;
    toggle.textContent = open ? 'Hide details' : 'Show details';
  };
  const setOpen = (open: boolean) => {
    show(open);
    save(state);
    if (!open) toggle.focus();
  };

  splitter.addEventListener('keydown', (e) => {
    const now = pane.getBoundingClientRect().width;
    const by = e.shiftKey ? BIG_STEP : STEP;
    const to: Record<string, number> = {
      ArrowLeft: now + by,
      ArrowRight: now - by,
      Home: maxWidth(),
      End: MIN_WIDTH,
    };
    if (!(e.key in to)) return;
    e.preventDefault();
    setWidth(to[e.key]);
  });
  splitter.addEventListener('pointerdown', (e) => {
    splitter.setPointerCapture(e.pointerId);
    const from = { x: e.clientX, width: pane.getBoundingClientRect().width };
    const move = (m: PointerEvent) => setWidth(from.width + from.x - m.clientX);
    splitter.addEventListener('pointermove', move);
    splitter.addEventListener(
      'pointerup',
      () => splitter.removeEventListener('pointermove', move),
      {
        once: true,
      },
    );
  });
  // The pane knows the view's width only once it is in the page.
  queueMicrotask(() => {
    setWidth(state.width ?? defaultWidth(), state.width !== undefined);
    show(state.open);
  });
  return { parts: [splitter, pane], content, toggle };
}
