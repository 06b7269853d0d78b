import {
  formatKmemP,
  KMEM_P_MAX_ROWS,
  type KmemPAnswer,
  type KmemPModel,
} from '../../src/engine/views/kmemPText';
import { h, replace } from '../shared/dom';
import { button, textField } from '../shared/toolkit';

/** How many struct pages the pane shows when the user has not said: one vmemmap page's worth on x86. */
const DEFAULT_COUNT = 16;

/**
 * crash's `kmem -p` over a range of pfns: the rows as crash prints them, in a block of selectable
 * text with a Copy button, and what the columns can and cannot hold. `fetch` asks the run (at the
 * scrubber's step) and answers undefined when a newer question made the answer moot.
 */
export class KmemPane {
  readonly element: HTMLElement;
  private readonly start = textField({
    label: 'kmem -p start: pfn (hex, as crash reads it), struct page address or device+offset',
    placeholder: '6c00200 or pmem0+0',
    size: 22,
    onEnter: () => void this.refresh(),
  });
  private readonly count = textField({
    label: `struct pages (1 to ${KMEM_P_MAX_ROWS})`,
    value: String(DEFAULT_COUNT),
    size: 4,
    onEnter: () => void this.refresh(),
  });
  private readonly status = h('span', { class: 'muted', attrs: { 'aria-live': 'polite' } });
  private readonly error = h('span', { class: 'error', attrs: { role: 'alert' } });
  private readonly body = h('div');
  private model: KmemPModel | undefined;

  constructor(
    private readonly fetch: (text: string, count: number) => Promise<KmemPAnswer | undefined>,
  ) {
    this.element = h(
      'section',
      { class: 'kmem', attrs: { 'aria-label': 'kmem -p' } },
      h('h2', { text: 'kmem -p' }),
      h(
        'div',
        { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'kmem -p tools' } },
        this.start,
        this.count,
        button('Show', () => void this.refresh()),
        button('Copy', () => void this.copy(), { secondary: true, name: 'Copy kmem -p text' }),
        this.status,
        this.error,
      ),
      this.body,
    );
    this.body.append(
      h('p', {
        class: 'hint',
        text: 'Struct pages from a pfn, one row each, as crash prints them: a bare number is hex, as in crash.',
      }),
    );
  }

  /** Shows `count` struct pages from `text`, unless the user already chose a start. */
  async offer(text: string): Promise<void> {
    if (this.start.value.trim()) return;
    this.start.value = text;
    await this.refresh();
  }

  /** Asks again (a new start, count or step). */
  async refresh(): Promise<void> {
    const text = this.start.value.trim();
    if (!text) return;
    this.error.textContent = '';
    this.status.textContent = '';
    const count = this.count.value.trim();
    if (!/^\d+$/.test(count)) {
      this.error.textContent = `'${count}' is not a number of struct pages (1 to ${KMEM_P_MAX_ROWS})`;
      return;
    }
    const answer = await this.fetch(text, Number(count));
    if (!answer) return;
    if ('error' in answer) {
      this.error.textContent = answer.error;
      return;
    }
    this.model = answer;
    replace(
      this.body,
      h('pre', {
        class: 'kmem-text',
        text: formatKmemP(answer),
        attrs: { tabindex: 0, 'aria-label': 'kmem -p output' },
      }),
      h('ul', { class: 'notes muted' }, ...answer.notes.map((n) => h('li', { text: n }))),
    );
  }

  private async copy(): Promise<void> {
    if (!this.model) return;
    try {
      await navigator.clipboard.writeText(formatKmemP(this.model));
      this.status.textContent = `Copied ${this.model.rows.length} row(s)`;
    } catch {
      // The clipboard can refuse a webview without focus; the text stays selectable.
      const pre = this.body.querySelector('pre');
      if (pre) getSelection()?.selectAllChildren(pre);
      this.status.textContent = 'Selected: press Ctrl+C (Cmd+C) to copy';
    }
  }
}
