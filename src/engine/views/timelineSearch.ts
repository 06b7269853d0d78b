import type { TimelineModel } from './timelineModel';

/** What a timeline search found. */
export interface SearchMatches {
  /** Matching spans, earliest first: Enter steps through them in this order. */
  spans: number[];
  /** Lanes whose thread name matched (their names are highlighted). */
  lanes: number[];
}

/**
 * The spans a search text finds, case-insensitive: by function, by device, or by thread — a
 * matching thread contributes its outermost spans (what the thread did), not every nested call.
 * Linear in spans; names, devices and threads are tested once each, not once per span.
 */
export function searchTimeline(model: TimelineModel, text: string): SearchMatches {
  const q = text.trim().toLowerCase();
  if (!q) return { spans: [], lanes: [] };
  const hit = (s: string) => s.toLowerCase().includes(q);
  const names = model.names.map(hit);
  const devices = model.devices.map(hit);
  const lanes = model.lanes.map((l) => hit(l.name));
  const { name, device, lane, depth, start } = model.spans;
  const spans: number[] = [];
  for (let i = 0; i < name.length; i++)
    if (
      names[name[i]] ||
      (device[i] >= 0 && devices[device[i]]) ||
      (lanes[lane[i]] && depth[i] === 0)
    )
      spans.push(i);
  spans.sort((a, b) => start[a] - start[b] || a - b);
  return { spans, lanes: lanes.flatMap((m, i) => (m ? [i] : [])) };
}
