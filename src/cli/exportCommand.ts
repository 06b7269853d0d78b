import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { toChromeTrace } from '../engine/trace/chrome';
import { toDmesgText } from '../engine/trace/exportDmesg';
import { toLockStatText } from '../engine/trace/lockStatText';
import type { Trace } from '../engine/trace/model';
import type { Args } from './args';
import { CliError } from './io';
import { analyseFile } from './runCommand';

const FORMATS: Record<string, (t: Trace) => string> = {
  chrome: (t) => JSON.stringify(toChromeTrace(t)),
  lock_stat: toLockStatText,
  dmesg: toDmesgText,
};

/** memmap-lab export <scenario> --format chrome|lock_stat|dmesg [-o file]: an emulated run in a real tool's format. */
export function exportCommand(args: Args, out: (s: string) => void): number {
  const file = args.positional[0];
  const format = args.options.get('--format') ?? 'chrome';
  const write = FORMATS[format];
  if (!file || !write) throw new CliError(`usage: memmap-lab export <scenario> --format ${Object.keys(FORMATS).join('|')} [-o file]`);
  const text = write(analyseFile(file, args).run!.trace);
  const target = args.options.get('-o') ?? args.options.get('--output');
  if (!target) {
    out(text.replace(/\n$/, ''));
    return 0;
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  out(`${format} written to ${target}`);
  return 0;
}
