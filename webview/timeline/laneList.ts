import type { TimelineModel } from '../../src/protocol/webview';
import type { LaneItem } from '../../src/engine/views/laneGroups';
import type { LaneView } from '../shared/timelineLayout';
import { h, replace } from '../shared/dom';

/** What the list changes: the canvas. */
export interface LaneListTarget {
  laneGroups(): LaneItem[];
  lanes(): LaneView;
  toggleGroup(key: string): void;
  togglePin(lane: number): void;
}

/**
 * The timeline's groups and threads as buttons, the keyboard's way to fold a group or pin a
 * lane (the canvas does the same on a click of a header or a thread's name). Redrawn by `update`
 * when the canvas changes them.
 */
export function laneList(
  model: TimelineModel,
  c: LaneListTarget,
): { element: HTMLElement; update(): void } {
  const element = h('div', { class: 'lane-list' });
  const items = (list: LaneItem[], view: LaneView): HTMLElement =>
    h(
      'ul',
      {},
      ...list.map((item) => {
        if ('group' in item) {
          const g = item.group;
          const folded = view.folded.has(g.key);
          return h(
            'li',
            {},
            h('button', {
              class: 'fold',
              text: `${folded ? '▸' : '▾'} ${g.label} (${g.lanes} thread${g.lanes === 1 ? '' : 's'})`,
              attrs: { type: 'button', 'aria-expanded': String(!folded), 'data-key': `g${g.key}` },
              on: { click: () => c.toggleGroup(g.key) },
            }),
            folded ? undefined : items(g.items, view),
          );
        }
        const lane = model.lanes[item.lane];
        const pinned = view.pinned.has(item.lane);
        return h(
          'li',
          {},
          h('span', { text: lane.name }),
          h('button', {
            class: 'pin',
            text: pinned ? 'Unpin' : 'Pin',
            attrs: {
              type: 'button',
              'aria-pressed': String(pinned),
              'aria-label': `Pin ${lane.name} to the top`,
              'data-key': `l${item.lane}`,
            },
            on: { click: () => c.togglePin(item.lane) },
          }),
        );
      }),
    );
  const update = () => {
    // Keep the keyboard where it was: the redrawn button for the same group or lane.
    const focused = element.contains(document.activeElement)
      ? document.activeElement?.getAttribute('data-key')
      : undefined;
    replace(element, items(c.laneGroups(), c.lanes()));
    if (focused)
      [...element.querySelectorAll('button')].find((b) => b.dataset.key === focused)?.focus();
  };
  update();
  return { element, update };
}
