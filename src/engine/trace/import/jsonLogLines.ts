/**
 * Logs written one JSON object per line, each record turned back into the line it was.
 *
 * `journalctl -o json` and `-o json-seq`: kernel records carry `_TRANSPORT=kernel` and
 * `_SOURCE_MONOTONIC_TIMESTAMP`, the printk time in µs (systemd's journald-kmsg.c copies it from
 * /dev/kmsg), so each becomes the dmesg line it was; other programs' records become syslog lines
 * at their `__REALTIME_TIMESTAMP`, which never join a kernel message.
 *
 * A container runtime's json-file log (`{"log":"[    1.234567] …\n","stream":"stdout","time":…}`,
 * a VM's serial console captured by a container): the `log` value is the console line.
 */
export const JSON_LOG_LINES =
  /^\u001e?\{(?:"log"\s*:\s*"|.*"(?:__REALTIME_TIMESTAMP|_TRANSPORT|MESSAGE)"\s*:)/;

interface Entry {
  log?: unknown;
  MESSAGE?: unknown;
  _TRANSPORT?: unknown;
  _SOURCE_MONOTONIC_TIMESTAMP?: unknown;
  __MONOTONIC_TIMESTAMP?: unknown;
  SYSLOG_IDENTIFIER?: unknown;
  _HOSTNAME?: unknown;
  __REALTIME_TIMESTAMP?: unknown;
}

/** The line as dmesg, syslog or the console printed it, or undefined when it is no such record. */
export function jsonLogLine(raw: string): string | undefined {
  const text = raw.replace(/^\u001e/, '');
  if (!text.startsWith('{')) return undefined;
  let e: Entry;
  try {
    e = JSON.parse(text) as Entry;
  } catch {
    return undefined;
  }
  if (typeof e !== 'object' || e === null) return undefined;
  if (typeof e.log === 'string') return e.log.replace(/\r?\n$/, '');
  if (typeof e.MESSAGE !== 'string') return undefined;
  if (e._TRANSPORT === 'kernel') {
    const us = Number(e._SOURCE_MONOTONIC_TIMESTAMP ?? e.__MONOTONIC_TIMESTAMP);
    if (!Number.isSafeInteger(us) || us < 0) return e.MESSAGE;
    return `[${String(Math.floor(us / 1e6)).padStart(5)}.${String(us % 1e6).padStart(6, '0')}] ${e.MESSAGE}`;
  }
  const ident = typeof e.SYSLOG_IDENTIFIER === 'string' ? e.SYSLOG_IDENTIFIER : 'journal';
  const host = typeof e._HOSTNAME === 'string' ? e._HOSTNAME : 'localhost';
  const us = Number(e.__REALTIME_TIMESTAMP);
  const when =
    Number.isSafeInteger(us) && us >= 0 && us < 8.64e18
      ? new Date(us / 1000).toISOString()
      : '1970-01-01T00:00:00Z';
  return `${when} ${host.replace(/\s/g, '_')} ${ident.replace(/\s/g, '_')}: ${e.MESSAGE}`;
}
