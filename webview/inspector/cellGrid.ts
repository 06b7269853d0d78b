import { h } from '../shared/dom';

export interface Cell {
  /** Read by screen readers and shown as the tooltip. */
  label: string;
  /** CSS class for the colour (a section or page kind). */
  kind: string;
  /** Short text inside the cell, if it fits. */
  text?: string;
  selected?: boolean;
  /** Drawn dimmed with a dashed outline (a sub-section whose bit is clear). */
  inactive?: boolean;
}

/**
 * A strip or grid of small cells, one tab stop: arrow keys move, Enter/Space or a click
 * activates. Used for a section's sub-sections, its pageblocks, and a window of pages.
 */
export function cellGrid(
  cells: Cell[],
  opts: {
    label: string;
    cols: number;
    onActivate: (index: number) => void;
    size?: 'small' | 'wide';
  },
): HTMLElement {
  const grid = h('div', {
    class: `cells ${opts.size ?? ''}`.trim(),
    attrs: { role: 'listbox', 'aria-label': opts.label },
  });
  grid.style.gridTemplateColumns = `repeat(${opts.cols}, var(--cell-w))`;
  let focus = Math.max(
    0,
    cells.findIndex((c) => c.selected),
  );
  const items = cells.map((c, i) =>
    h('div', {
      class: `cell ${c.kind}${c.selected ? ' selected' : ''}${c.inactive ? ' inactive' : ''}`,
      title: c.label,
      text: c.text,
      attrs: {
        role: 'option',
        'aria-label': c.label,
        'aria-selected': !!c.selected,
        tabindex: i === focus ? 0 : -1,
      },
      on: { click: () => opts.onActivate(i) },
    }),
  );
  grid.append(...items);
  grid.addEventListener('keydown', (e) => {
    const moves: Record<string, number> = {
      ArrowLeft: -1,
      ArrowRight: 1,
      ArrowUp: -opts.cols,
      ArrowDown: opts.cols,
      Home: -focus,
      End: cells.length - 1 - focus,
    };
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      opts.onActivate(focus);
      return;
    }
    const move = moves[e.key];
    if (move === undefined) return;
    e.preventDefault();
    items[focus].tabIndex = -1;
    focus = Math.min(cells.length - 1, Math.max(0, focus + move));
    items[focus].tabIndex = 0;
    items[focus].focus();
  });
  return grid;
}
