import { EXPORT_FORMATS, isExportFormat } from '../engine/trace/exportFormats';
import { writeFileAtomic } from '../files/writeFileAtomic';
import { UsageError, type Args } from './args';
import { EXIT } from './exitCodes';
import { analyseFile } from './runCommand';

/** memmap-lab export <scenario> --format chrome|lock_stat|dmesg [-o file]: an emulated run in a real tool's format. */
export function exportCommand(args: Args, out: (s: string) => void): number {
  const file = args.positional[0];
  const format = args.options.get('--format') ?? 'chrome';
  if (!isExportFormat(format))
    throw new UsageError(
      `--format ${format}: expected one of ${Object.keys(EXPORT_FORMATS).join(', ')}`,
    );
  const text = EXPORT_FORMATS[format].render(analyseFile(file, args).run!.trace);
  const target = args.options.get('-o');
  if (!target) {
    out(text.replace(/\n$/, ''));
    return EXIT.ok.code;
  }
  writeFileAtomic(target, text, [file]);
  out(`${format} written to ${target}`);
  return EXIT.ok.code;
}
