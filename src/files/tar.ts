/** One regular file of a tar archive. */
export interface TarFile {
  path: string;
  data: Buffer;
}

/** A tar archive that is not one, or is cut short: what is wrong and at which byte. */
export class TarError extends Error {}

const BLOCK = 512;

/** A header's numeric field: octal text, or (GNU, for sizes past 8 GiB) big-endian base-256. */
function number(h: Buffer, at: number, len: number): number {
  if (h[at] & 0x80) {
    let n = 0;
    for (let i = at + 1; i < at + len; i++) n = n * 256 + h[i];
    return n;
  }
  const text = h
    .toString('latin1', at, at + len)
    .replace(/\0.*$/s, '')
    .trim();
  return text === '' ? 0 : parseInt(text, 8);
}

const str = (h: Buffer, at: number, len: number) =>
  h.toString('utf8', at, at + len).replace(/\0.*$/s, '');

/** The unsigned sum of the header with its checksum field read as spaces (POSIX ustar). */
function checksumOk(h: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return sum === number(h, 148, 8);
}

/** pax extended header records: "<len> path=<value>\n". */
function paxPath(data: Buffer): string | undefined {
  const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
  return m?.[1];
}

/**
 * The regular files of a ustar/pax/GNU tar archive held in memory, with the names that pax
 * (`path=`) and GNU (`././@LongLink`) headers give long paths. Links, devices and folders are
 * passed over. `want` chooses the files whose data is kept (the rest are skipped unread).
 */
export function tarFiles(buf: Buffer, want: (path: string) => boolean): TarFile[] {
  const out: TarFile[] = [];
  let longName: string | undefined;
  for (let at = 0; at + BLOCK <= buf.length;) {
    const h = buf.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) break;
    if (!checksumOk(h)) throw new TarError(`not a tar archive (bad header checksum at byte ${at})`);
    const size = number(h, 124, 12);
    const type = String.fromCharCode(h[156] || 48);
    const dataAt = at + BLOCK;
    if (dataAt + size > buf.length)
      throw new TarError(`cut short: an entry at byte ${at} runs past the end`);
    const data = buf.subarray(dataAt, dataAt + size);
    at = dataAt + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x' || type === 'L') {
      longName = type === 'x' ? paxPath(data) : data.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    const prefix = h.toString('latin1', 257, 262) === 'ustar' ? str(h, 345, 155) : '';
    const path = longName ?? (prefix ? `${prefix}/${str(h, 0, 100)}` : str(h, 0, 100));
    longName = undefined;
    if (type !== '0' && type !== '7') continue;
    const clean = path.replace(/^(\.\/)+/, '');
    // A path that climbs out or starts at / names nothing inside the report.
    if (clean.startsWith('/') || clean.split('/').includes('..')) continue;
    if (want(clean)) out.push({ path: clean, data });
  }
  return out;
}
