import type { Trace } from '../trace/model';
import { DmesgParser } from '../trace/import/dmesgParser';
import type { LogEvent } from '../trace/import/types';

/** An event of an emulated run with the interval the kernel would have measured for it. */
export interface EmulatedEvent extends LogEvent {
  /** What the kernel's "in Nms" measures, exactly (the printed ms are rounded down). */
  ns?: number;
}

/**
 * The events an emulated run printed, recognised by the same parser as a real log, so both sides
 * of a comparison are the same kinds with the same fields. With `debug` (the default) pr_debug
 * lines count too: the v6.1+ device init line is pr_debug, and a user who compares has enabled it.
 */
export function emulatedEvents(trace: Trace, options: { debug?: boolean } = {}): EmulatedEvent[] {
  const events: EmulatedEvent[] = [];
  const parser = new DmesgParser({
    event: (e) => events.push(e),
    unknown: () => undefined,
    raw: () => undefined,
  });
  let no = 0;
  if (options.debug === false) {
    for (const l of trace.dmesg) parser.line(l.text, ++no, l.t);
  } else {
    for (const i of [...trace.instants].sort((a, b) => a.t - b.t))
      for (const text of i.lines ?? [i.text]) parser.line(text, ++no, i.t);
  }
  parser.end();
  for (const e of events) e.ns = measuredInterval(trace, e);
  return events;
}

/**
 * The span behind an init line: memmap_init_zone_device prints at the end of its span;
 * deferred_init_memmap prints after its span, measuring from the span's start.
 */
function measuredInterval(trace: Trace, e: LogEvent): number | undefined {
  if (e.t === undefined) return undefined;
  const t = e.t;
  if (e.kind === 'zone-device-init') {
    const s = trace.spans.find(
      (x) =>
        x.name === 'memmap_init_zone_device' &&
        x.start <= t &&
        t <= x.end &&
        x.args.pages === e.fields.pages,
    );
    return s ? s.end - s.start : undefined;
  }
  if (e.kind === 'deferred-init') {
    const s = trace.spans.find(
      (x) => x.name === 'deferred_init_memmap' && x.args.node === e.fields.node && x.start <= t,
    );
    return s ? t - s.start : undefined;
  }
  return undefined;
}
