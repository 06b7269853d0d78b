import type { Expectation } from '../scenario/model';
import { markdownText } from '../printable';
import { DEVICE_INIT_SPANS } from '../run/measure';
import { formatNs, parseDuration } from '../units';

/**
 * A value inside an expectation: a duration bound (in ns, and what the run measures against it),
 * a lock class, a page flag or a zone by their kernel names. `field` and `item` are the path
 * below the expectation's kind (`below`; `flags`, 0).
 */
export function expectHover(e: Expectation, field: unknown, word: string): string[] | undefined {
  const ns = parseDuration(word);
  const bound = (what: string) =>
    ns === undefined ? undefined : [`**${formatNs(ns)}** (${ns.toLocaleString('en-US')} ns)`, what];
  if (e.kind === 'time' && (field === 'below' || field === 'above')) {
    const measured =
      e.device !== undefined
        ? `the time ${markdownText(e.device)}'s struct pages took to initialise (${[...DEVICE_INIT_SPANS].map((s) => `\`${s}\``).join(', ')}), lock waits excluded,`
        : e.node !== undefined
          ? `node ${e.node}'s deferred struct page init (\`deferred_init_memmap\`)`
          : 'the whole run, from its first step to the end of its last';
    return bound(`The run passes when ${measured} is ${field} it.`);
  }
  if (e.kind === 'lock' && (field === 'max-hold-below' || field === 'max-wait-below')) {
    const stat = field === 'max-hold-below' ? 'holdtime-max' : 'waittime-max';
    return bound(
      `The run passes when the longest ${field === 'max-hold-below' ? 'hold' : 'wait'} of ${markdownText(e.name)} is below it (/proc/lock_stat's ${stat}).`,
    );
  }
  if (e.kind === 'lock' && field === 'name') {
    return [
      `**${markdownText(word)}**: a lock class as /proc/lock_stat names it`,
      'Its longest hold and wait over the whole run are checked; a lock the run never takes fails the expectation.',
    ];
  }
  if (e.kind === 'page' && field === 'flags') {
    return [
      `**PG_${markdownText(word)}**: a page->flags bit, as %pGp prints it: ${markdownText(word)}`,
      'The page must carry exactly the flags listed.',
    ];
  }
  if (e.kind === 'page' && field === 'zone') {
    return [
      `**ZONE_${markdownText(word.toUpperCase())}**: page_zone(page), as /proc/zoneinfo names it: ${markdownText(word)}`,
    ];
  }
  return undefined;
}
