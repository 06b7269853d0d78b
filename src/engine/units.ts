/**
 * Byte sizes, pfns and alignment on plain numbers.
 *
 * Physical addresses fit in 52 bits on every supported arch, so JS numbers (exact to 2^53) hold
 * them; JS bitwise operators are 32-bit, hence arithmetic instead of masks throughout.
 */

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;
export const PiB = 1024 * TiB;

/** Largest physical address the emulator accepts: 52 bits, the widest any supported arch has. */
export const MAX_PHYS_BYTES = 2 ** 52;

const UNITS: Record<string, number> = {
  '': 1,
  B: 1,
  K: KiB,
  KB: KiB,
  KIB: KiB,
  M: MiB,
  MB: MiB,
  MIB: MiB,
  G: GiB,
  GB: GiB,
  GIB: GiB,
  T: TiB,
  TB: TiB,
  TIB: TiB,
  P: PiB,
  PB: PiB,
  PIB: PiB,
};

/**
 * Parses "3TiB", "16G", "0x6000000000", "4096". Units are binary (KB means KiB, as the kernel's
 * memparse does). Returns undefined when the text is not a size.
 */
export function parseSize(text: string): number | undefined {
  const t = text.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return hexToNumber(t);
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(t);
  if (!m) return undefined;
  const unit = UNITS[m[2].toUpperCase()];
  if (unit === undefined) return undefined;
  const value = Number(m[1]) * unit;
  return Number.isInteger(value) ? value : undefined;
}

/** Parses a hex or decimal address; undefined if not one. */
export function parseAddress(text: string): number | undefined {
  const t = text.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return hexToNumber(t);
  if (/^\d+$/.test(t)) return Number(t);
  return undefined;
}

function hexToNumber(t: string): number | undefined {
  const big = BigInt(t);
  return big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(big);
}

/** "3 TiB", "2 MiB", "8 KiB", "5000 B": the largest binary unit that divides the value exactly. */
export function formatSize(bytes: number): string {
  const units: [number, string][] = [
    [PiB, 'PiB'],
    [TiB, 'TiB'],
    [GiB, 'GiB'],
    [MiB, 'MiB'],
    [KiB, 'KiB'],
  ];
  // A whole number of a unit give or take a sliver reads as such: "3 TiB − 2 MiB", not "3145726 MiB".
  for (const [size, name] of units) {
    const whole = Math.round(bytes / size);
    const off = bytes - whole * size;
    if (whole >= 1 && off !== 0 && Math.abs(off) * 64 < size && bytes >= size / 2) {
      const rest = formatSize(Math.abs(off));
      if (!rest.includes('.')) return `${whole} ${name} ${off < 0 ? '−' : '+'} ${rest}`;
    }
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${name}`;
  }
  for (const [size, name] of units)
    if (bytes >= size) return `${(bytes / size).toFixed(2)} ${name}`;
  return `${bytes} B`;
}

/** The kernel's %#lx. */
export function hex(value: number): string {
  return '0x' + value.toString(16);
}

/** The kernel's %pa: a zero-padded 64-bit physical address. */
export function pa(addr: number): string {
  return '0x' + addr.toString(16).padStart(16, '0');
}

export function alignDown(value: number, align: number): number {
  return value - (value % align);
}

export function alignUp(value: number, align: number): number {
  const r = value % align;
  return r === 0 ? value : value + align - r;
}

export function isAligned(value: number, align: number): boolean {
  return value % align === 0;
}

export function log2(value: number): number {
  return Math.round(Math.log2(value));
}

export function isPowerOfTwo(value: number): boolean {
  return value > 0 && 2 ** log2(value) === value;
}

/** Virtual nanoseconds as a human figure: "24.17 s", "3.2 ms", "850 ns". */
export function formatNs(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${Math.round(ns)} ns`;
}

/** Parses "1s", "250ms", "20us", "100ns", or a bare number of ns. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s)?$/.exec(text.trim());
  if (!m) return undefined;
  const scale = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 }[(m[2] ?? 'ns') as 'ns'];
  return Math.round(Number(m[1]) * scale);
}
