import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isReportInput, reportInputs, type ReportFile } from '../engine/twin/report';
import type { TwinInput } from '../engine/twin/source';
import { formatSize, MiB } from '../engine/units';
import { FileError, errorCode } from './fileError';
import { readRegularBytes, readRegularFile } from './readRegularFile';
import { TarError, tarFiles } from './tar';

/** One input file of a report: a boot log of a big machine with dyndbg on runs to tens of MB. */
export const REPORT_FILE_CAP = 64 * MiB;
/** A report archive as stored, and unpacked: past these, unpack it and give the folder. */
const ARCHIVE_CAP = 512 * MiB;
const UNPACKED_CAP = 1024 * MiB;
/** A folder walk stops this deep and after this many entries (a report has some 10 000). */
const WALK_DEPTH = 12;
const WALK_ENTRIES = 200_000;

/** The archive formats a report may come in, told by their first bytes; only tar and gzip are read. */
const COMPRESSIONS: [string, number[], boolean][] = [
  ['gzip', [0x1f, 0x8b], true],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], false],
  ['bzip2', [0x42, 0x5a, 0x68], false],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd], false],
];

/** A name a report archive goes by (sosreport: .tar.xz/.tar.gz; supportconfig: .txz/.tgz). */
export function isReportArchive(path: string): boolean {
  return /\.(tar|tar\.gz|tgz|tar\.xz|txz|tar\.bz2|tbz2?|tar\.zst)$/i.test(path);
}

/**
 * The twin's inputs the user names: files as they are, and what a report folder or archive holds
 * (readMachineReport). The CLI and the editor command both read through this.
 */
export function readTwinInputs(paths: string[]): TwinInput[] {
  return paths.flatMap((path) =>
    isReportArchive(path) || isFolder(path)
      ? readMachineReport(path)
      : [{ file: path, text: readRegularFile(path, REPORT_FILE_CAP, 'a twin input') }],
  );
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The twin's inputs in a sosreport or supportconfig given as a folder or a .tar/.tar.gz archive.
 * Only regular files are read (links are passed over, so nothing outside the report is reached),
 * each at most REPORT_FILE_CAP; an archive compressed otherwise than gzip is refused by name.
 */
export function readMachineReport(path: string): TwinInput[] {
  const name = basename(path).replace(/\/+$/, '');
  const files = isDirectory(path) ? readReportFolder(path) : readReportArchive(path);
  const inputs = reportInputs(name, files);
  if (inputs.length === 0) {
    throw new FileError(
      path,
      'no input the twin reads is in it (sosreport: sos_commands/kernel/dmesg, proc/iomem, sos_commands/pmem/ndctl_list_-vvv, …; supportconfig: boot.txt, memory.txt, pmem.txt)',
    );
  }
  return inputs;
}

/** The folder the user names may be a link; inside it, links are passed over. */
function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (e) {
    throw new FileError(path, errorCode(e));
  }
}

/** A report's path for a file: from the report's own top folder, which the given folder may hold. */
function inReport(rel: string): string | undefined {
  if (isReportInput(rel)) return rel;
  const inner = rel.split('/').slice(1).join('/');
  return inner && isReportInput(inner) ? inner : undefined;
}

function readReportFolder(root: string): ReportFile[] {
  const out: ReportFile[] = [];
  let seen = 0;
  const walk = (dir: string, rel: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      throw new FileError(dir, errorCode(e));
    }
    for (const e of entries) {
      if (++seen > WALK_ENTRIES)
        throw new FileError(root, `more than ${WALK_ENTRIES} entries: not a report`);
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && depth < WALK_DEPTH) walk(join(dir, e.name), path, depth + 1);
      const at = e.isFile() ? inReport(path) : undefined;
      if (at)
        out.push({
          path: at,
          text: readRegularFile(join(dir, e.name), REPORT_FILE_CAP, 'a report file'),
        });
    }
  };
  walk(root, '', 0);
  return out;
}

function readReportArchive(path: string): ReportFile[] {
  let buf = readRegularBytes(path, ARCHIVE_CAP, 'a report archive');
  const packed = COMPRESSIONS.find(([, magic]) => magic.every((b, i) => buf[i] === b));
  if (packed && !packed[2]) {
    throw new FileError(
      path,
      `${packed[0]}-compressed: only .tar and .tar.gz are read here; unpack it (tar -xf ${basename(path)}) and give the folder`,
    );
  }
  if (packed) {
    try {
      buf = gunzipSync(buf, { maxOutputLength: UNPACKED_CAP });
    } catch (e) {
      const over = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw new FileError(
        path,
        over
          ? `over ${formatSize(UNPACKED_CAP)} unpacked: unpack it and give the folder`
          : `not gzip data: ${errorCode(e)}`,
      );
    }
  }
  try {
    return tarFiles(buf, (p) => inReport(p) !== undefined).flatMap((f) => {
      if (f.data.length > REPORT_FILE_CAP)
        throw new FileError(
          `${path}:${f.path}`,
          `over the ${formatSize(REPORT_FILE_CAP)} limit for a report file`,
        );
      return [{ path: inReport(f.path)!, text: f.data.toString('utf8') }];
    });
  } catch (e) {
    if (e instanceof TarError) throw new FileError(path, e.message);
    throw e;
  }
}
