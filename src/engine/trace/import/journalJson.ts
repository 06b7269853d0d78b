/**
 * `journalctl -o json` and `-o json-seq`: one JSON object per line with the journal's fields.
 * Kernel records carry `_TRANSPORT=kernel` and `_SOURCE_MONOTONIC_TIMESTAMP`, the printk time in
 * µs (systemd's journald-kmsg.c copies it from /dev/kmsg), so each becomes the dmesg line it was;
 * other programs' records become syslog lines at their `__REALTIME_TIMESTAMP`, which never join
 * a kernel message.
 */
export const JOURNAL_JSON = /^\u001e?\{.*"(?:__REALTIME_TIMESTAMP|_TRANSPORT|MESSAGE)"\s*:/;

interface Entry {
  MESSAGE?: unknown;
  _TRANSPORT?: unknown;
  _SOURCE_MONOTONIC_TIMESTAMP?: unknown;
  __MONOTONIC_TIMESTAMP?: unknown;
  SYSLOG_IDENTIFIER?: unknown;
  _HOSTNAME?: unknown;
  __REALTIME_TIMESTAMP?: unknown;
}

/** The line as dmesg or syslog would have printed it, or undefined when it is no journal record. */
export function journalLine(raw: string): string | undefined {
  const text = raw.replace(/^\u001e/, '');
  if (!text.startsWith('{')) return undefined;
  let e: Entry;
  try {
    e = JSON.parse(text) as Entry;
  } catch {
    return undefined;
  }
  if (typeof e !== 'object' || e === null || typeof e.MESSAGE !== 'string') return undefined;
  if (e._TRANSPORT === 'kernel') {
    const us = Number(e._SOURCE_MONOTONIC_TIMESTAMP ?? e.__MONOTONIC_TIMESTAMP);
    if (!Number.isSafeInteger(us) || us < 0) return e.MESSAGE;
    return `[${String(Math.floor(us / 1e6)).padStart(5)}.${String(us % 1e6).padStart(6, '0')}] ${e.MESSAGE}`;
  }
  const ident = typeof e.SYSLOG_IDENTIFIER === 'string' ? e.SYSLOG_IDENTIFIER : 'journal';
  const host = typeof e._HOSTNAME === 'string' ? e._HOSTNAME : 'localhost';
  const us = Number(e.__REALTIME_TIMESTAMP);
  const when = Number.isSafeInteger(us) && us >= 0 && us < 8.64e18 ? new Date(us / 1000).toISOString() : '1970-01-01T00:00:00Z';
  return `${when} ${host.replace(/\s/g, '_')} ${ident.replace(/\s/g, '_')}: ${e.MESSAGE}`;
}
