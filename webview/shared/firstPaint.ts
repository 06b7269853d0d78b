/**
 * Marks the first frame drawn with a model (`performance.mark`), so the browser harness and a
 * developer's DevTools can read the time to first paint of a big run.
 */
export function markFirstPaint(): void {
  if (performance.getEntriesByName('memmap-lab:first-paint').length) return;
  requestAnimationFrame(() =>
    requestAnimationFrame(() => performance.mark('memmap-lab:first-paint')),
  );
}
