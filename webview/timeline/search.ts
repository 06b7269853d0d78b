import type { TimelineModel } from '../../src/protocol/webview';
import { searchTimeline, type SearchMatches } from '../../src/engine/views/timelineSearch';
import { h } from '../shared/dom';
import { textField } from '../shared/toolkit';

/** What the search drives: the canvas. */
export interface SearchTarget {
  setMatches(found: SearchMatches | undefined): void;
  /** Brings a span to the middle of the view and selects it. */
  centre(span: number): void;
}

/**
 * The timeline's search: highlights the spans whose function, device or thread matches, and
 * Enter / Shift+Enter step through them in time order, each brought to the middle ("k of n").
 */
export function timelineSearch(
  m: TimelineModel,
  c: SearchTarget,
  saved: string | undefined,
  save: (text: string) => void,
): { field: HTMLElement; count: HTMLElement } {
  const count = h('span', { class: 'count', attrs: { 'aria-live': 'polite' } });
  let found: SearchMatches = { spans: [], lanes: [] };
  let at = -1;
  const show = () => {
    const n = found.spans.length;
    count.textContent = !field.value.trim()
      ? ''
      : !n
        ? 'no matches'
        : at < 0
          ? `${n} match${n === 1 ? '' : 'es'} · Enter steps through them`
          : `${at + 1} of ${n}`;
  };
  const apply = (text: string) => {
    save(text);
    found = searchTimeline(m, text);
    at = -1;
    c.setMatches(text.trim() ? found : undefined);
    show();
  };
  const field = textField({
    label: 'Search spans by function, device or thread',
    placeholder: 'search: memmap_init, pmem0, pgdatinit…',
    value: saved ?? '',
    onInput: apply,
  });
  field.addEventListener('keydown', (e) => {
    const n = found.spans.length;
    if (e.key !== 'Enter' || !n) return;
    e.preventDefault();
    at = e.shiftKey ? (at <= 0 ? n - 1 : at - 1) : (at + 1) % n;
    c.centre(found.spans[at]);
    show();
  });
  if (saved) apply(saved);
  return { field, count };
}
