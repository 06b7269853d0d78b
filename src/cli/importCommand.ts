import type { ImportedLog, LogEvent } from '../engine/trace/import/types';
import { importLogFileSync } from '../files/importLogFile';
import { formatPrinted } from '../engine/trace/printedTime';
import { CliError, type Args } from './args';
import { EXIT } from './exitCodes';
import { printable } from '../engine/printable';

/** Events listed in text mode unless --all. */
const SHOWN = 200;

/** A log the commands that need one can use: one that is not a log is exit 1 with the importer's reason. */
export function importLogOrFail(file: string): ImportedLog {
  const log = importLogFileSync(file);
  if (log.error) throw new CliError(`${file}: ${log.error}`, EXIT.diagnostics.code);
  return log;
}

/** memmap-lab import <file> [--json] [--all]: what the importer recognised, with line numbers. */
export function importCommand(args: Args, out: (s: string) => void): number {
  const file = args.positional[0];
  const log = importLogFileSync(file);
  if (args.flags.has('--json')) {
    out(
      JSON.stringify(
        {
          format: log.format,
          error: log.error,
          summary: log.summary,
          events: log.events,
          unknownLines: log.unknownLines.slice(0, 1000),
        },
        null,
        2,
      ),
    );
  } else {
    out(formatImport(file, log, args.flags.has('--all')));
  }
  return log.error ? EXIT.diagnostics.code : EXIT.ok.code;
}

const TIMING = {
  kernel: 'kernel timestamps',
  relative: 'deltas between lines (dmesg -H)',
  syslog: 'wall clock (syslog, journal, dmesg -T)',
  trace: 'trace timestamps',
  'line-order': 'no timestamps (line order)',
};

export function formatImport(file: string, log: ImportedLog, all: boolean): string {
  if (log.error) return `${printable(file)}: ${printable(log.error)}`;
  const s = log.summary;
  const kinds = Object.entries(s.byKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const lines = [
    `${printable(file)}: ${log.format}, ${s.lines} ${log.format === 'chrome-json' ? 'trace events' : 'lines'}, ${s.events} events${kinds ? ` (${kinds})` : ''}, ${s.unknownLines} unknown lines; times from ${TIMING[s.timing]}`,
  ];
  if (s.timeJumps) {
    lines.push(
      `  timestamps went backwards ${s.timeJumps} time(s): ${s.timeJumps + 1} segments ` +
        '(boots or pasted logs), each line with the time it printed',
    );
  }
  if (s.truncated) lines.push('  the input ends inside a record (truncated file?)');
  if (s.truncatedLines) lines.push(`  ${s.truncatedLines} over-long lines were cut`);
  if (s.droppedState)
    lines.push(
      `  ${s.droppedState} threads, CPUs, open calls, stack lines, lock_stat rows or time jumps past their caps were not kept`,
    );
  if (s.invalidEvents)
    lines.push(
      `  ${s.invalidEvents} trace events skipped: not JSON, or a ts/dur that is not a finite number`,
    );
  if (s.oversizedEvents) lines.push(`  ${s.oversizedEvents} trace events skipped: over 1 MiB each`);
  if (s.droppedRecords)
    lines.push(
      `  the trace keeps the first records; ${s.droppedRecords} more spans/counters/instants were not kept`,
    );
  if (s.droppedRawLines)
    lines.push(
      `  the raw log keeps the first ${log.trace.dmesg.length} message lines; ${s.droppedRawLines} more were not kept`,
    );
  if (s.droppedEvents || s.droppedUnknownLines)
    lines.push(
      `  kept the first ${log.events.length} events and ${log.unknownLines.length} unknown lines (${s.droppedEvents} and ${s.droppedUnknownLines} more not kept)`,
    );
  const shown = all ? log.events : log.events.slice(0, SHOWN);
  for (const e of shown) lines.push(`  ${formatEvent(e)}`);
  if (shown.length < log.events.length)
    lines.push(
      `  … ${log.events.length - shown.length} more (--all lists them, --json gives every field)`,
    );
  if (log.trace.lockClasses) lines.push(`  lock classes: ${log.trace.lockClasses.length}`);
  return lines.join('\n');
}

function formatEvent(e: LogEvent): string {
  const where = e.endLine > e.line ? `L${e.line}-${e.endLine}` : `L${e.line}`;
  const axis = e.t === undefined ? '' : `${(e.t / 1e9).toFixed(6)} s`;
  const t = e.printed ? formatPrinted(e.printed) : axis;
  const fields = Object.entries(e.fields)
    .filter(([k]) => k !== 'message')
    .map(([k, v]) => `${printable(k)}=${printable(String(v))}`)
    .join(' ');
  const trace = e.callTrace?.length
    ? `\n      call trace: ${e.callTrace.slice(0, 8).map(printable).join(' < ')}${e.callTrace.length > 8 ? ' < …' : ''}`
    : '';
  return `${where.padEnd(10)} ${t.padStart(16)}  ${e.kind.padEnd(28)} ${printable(e.text)}${fields ? `\n      ${fields}` : ''}${e.code ? `  [${e.code}]` : ''}${trace}`;
}
