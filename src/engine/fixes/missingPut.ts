import type { PfnRef, Problem, Scenario, Step } from '../scenario/model';
import { stepAt } from '../editor/context';
import { lineStart } from './edits';
import type { QuickFix } from './edits';

/** A step to insert, as its op and arguments in order. */
type NewStep = [op: string, args: [string, string | number][]];

/**
 * leaked-pgmap-ref: memunmap_pages() waits for references nobody put. Before the blamed remove,
 * add the put_dev_pagemap (and unmap) that balance each earlier get_dev_pagemap (and map) of the
 * removed devices — the "obvious" fix; where the put belongs in a real driver is the user's call.
 */
export function missingPutFix(text: string, s: Scenario, p: Problem): QuickFix[] {
  const remove = stepAt(s, p.span);
  if (remove?.op !== 'remove') return [];
  const before = s.steps.filter((st) => st.index < remove.index);
  const steps = remove.devices.flatMap((d) => [
    ...missingPuts(before, d),
    ...missingUnmaps(text, before, d),
  ]);
  if (steps.length === 0) return [];
  const names = steps.map(([op, args]) => `${op}(${args.map(([, v]) => v).join(', ')})`).join(', ');
  return [
    {
      title: `Add the missing ${names} before this remove`,
      edits: [insertBefore(text, remove, steps)],
      preferred: true,
    },
  ];
}

function missingPuts(steps: Step[], device: string): NewStep[] {
  let held = 0;
  for (const st of steps) {
    if (st.op === 'get_dev_pagemap' && st.device === device) held += st.count;
    if (st.op === 'put_dev_pagemap' && st.device === device) held -= st.count;
  }
  return held > 0
    ? [
        [
          'put_dev_pagemap',
          [
            ['device', device],
            ['count', held],
          ],
        ],
      ]
    : [];
}

/** Every map of the device not followed by an unmap of the same pages. */
function missingUnmaps(text: string, steps: Step[], device: string): NewStep[] {
  const open: Extract<Step, { op: 'map' }>[] = [];
  for (const st of steps) {
    if (st.op === 'map' && st.device === device) open.push(st);
    if (st.op === 'unmap' && st.device === device) {
      const i = open.findIndex((m) => samePfn(m.pfn, st.pfn) && m.pages === st.pages);
      if (i >= 0) open.splice(i, 1);
    }
  }
  return open.map((m) => [
    'unmap',
    [
      ['device', device],
      ['pfn', pfnText(text, m)],
      ['pages', m.pages],
    ],
  ]);
}

const samePfn = (a: PfnRef, b: PfnRef) =>
  a.relative === b.relative && a.value === b.value && (!a.relative || a.device === b.device);

/** The pfn as the map step wrote it ("+0x1000" stays "+0x1000"). */
function pfnText(text: string, st: Step): string {
  const span = st.fields.pfn;
  return span ? text.slice(span.offset, span.endOffset).replace(/^["']|["']$/g, '') : '';
}

/**
 * Inserts steps before another in the list's own style: a `- op: {…}` line for a block list, a
 * `{ op: {…} },` item for a flow list, JSON in a JSON scenario.
 */
function insertBefore(text: string, step: Step, steps: NewStep[]) {
  const json = text.trimStart().startsWith('{');
  const flowMap = (args: [string, string | number][]) =>
    `{ ${args.map(([k, v]) => `${json ? JSON.stringify(k) : k}: ${json && typeof v === 'string' ? JSON.stringify(v) : v}`).join(', ')} }`;
  const item = ([op, args]: NewStep) => `${json ? JSON.stringify(op) : op}: ${flowMap(args)}`;
  const start = lineStart(text, step.span.offset);
  const prefix = text.slice(start, step.span.offset);
  if (/^\s*-\s+$/.test(prefix)) {
    return {
      offset: start,
      endOffset: start,
      newText: steps.map((st) => `${prefix}${item(st)}\n`).join(''),
    };
  }
  const sep = /^\s*$/.test(prefix) ? `,\n${prefix}` : ', ';
  return {
    offset: step.span.offset,
    endOffset: step.span.offset,
    newText: steps.map((st) => `{ ${item(st)} }${sep}`).join(''),
  };
}
