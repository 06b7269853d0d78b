import { h, replace } from './dom';

export interface Column<R> {
  label: string;
  /** The value sorted on. */
  value: (row: R) => number | string | undefined;
  /** The text shown (defaults to the value). */
  format?: (row: R) => string;
  numeric?: boolean;
  title?: string;
  /** Extra class per cell (e.g. a delta's sign). */
  cellClass?: (row: R) => string | undefined;
}

export interface TableOptions<R> {
  caption: string;
  /** Column index and direction to start with. */
  sort?: { column: number; descending: boolean };
  onActivate?: (row: R) => void;
  rowClass?: (row: R) => string | undefined;
  /** At most this many rows are rendered (the caption says how many were left out). */
  limit?: number;
}

/**
 * A table sortable by any column: click a header (or Enter on it). Rows that can be activated
 * are focusable and take Enter/Space, so the table is the keyboard path through a chart.
 */
export function sortableTable<R>(
  rows: R[],
  columns: Column<R>[],
  opts: TableOptions<R>,
): HTMLTableElement {
  let sort = opts.sort ?? { column: 0, descending: false };
  const table = h('table', { class: 'data' });
  const render = () => {
    const col = columns[sort.column];
    const sorted = [...rows].sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      const c =
        typeof x === 'number' && typeof y === 'number'
          ? x - y
          : String(x ?? '').localeCompare(String(y ?? ''));
      return sort.descending ? -c : c;
    });
    const shown = opts.limit === undefined ? sorted : sorted.slice(0, opts.limit);
    const more = sorted.length - shown.length;
    replace(
      table,
      h('caption', {
        text:
          more > 0 ? `${opts.caption} (first ${shown.length} of ${sorted.length})` : opts.caption,
      }),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...columns.map((c, i) =>
            h(
              'th',
              {
                attrs: {
                  scope: 'col',
                  'aria-sort':
                    i === sort.column ? (sort.descending ? 'descending' : 'ascending') : undefined,
                },
                class: c.numeric ? 'num' : undefined,
              },
              h('button', {
                class: 'sort',
                text: c.label + (i === sort.column ? (sort.descending ? ' ▾' : ' ▴') : ''),
                title: c.title ?? `Sort by ${c.label}`,
                on: {
                  click: () => {
                    sort = {
                      column: i,
                      descending: i === sort.column ? !sort.descending : !!c.numeric,
                    };
                    render();
                  },
                },
              }),
            ),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...shown.map((r) => {
          const tr = h(
            'tr',
            { class: opts.rowClass?.(r) },
            ...columns.map((c) =>
              h('td', {
                class:
                  [c.numeric ? 'num' : '', c.cellClass?.(r) ?? ''].join(' ').trim() || undefined,
                text: c.format ? c.format(r) : String(c.value(r) ?? ''),
              }),
            ),
          );
          if (opts.onActivate) {
            tr.tabIndex = 0;
            tr.classList.add('activatable');
            tr.addEventListener('click', () => opts.onActivate!(r));
            tr.addEventListener('keydown', (e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                opts.onActivate!(r);
              }
            });
          }
          return tr;
        }),
      ),
    );
  };
  render();
  return table;
}

/** A chart's text alternative, collapsed under the chart. */
export function alternative(summary: string, content: HTMLElement): HTMLDetailsElement {
  return h('details', { class: 'alternative' }, h('summary', { text: summary }), content);
}
