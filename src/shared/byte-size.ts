/**
 * Byte sizes as people write them: an integer number of bytes, or a number with a unit. Decimal
 * units are powers of 1000 (`KB`, `MB`, `GB`, `TB`), binary units powers of 1024 (`KiB`, `MiB`,
 * `GiB`, `TiB`); `B` is bytes. Case of the unit is ignored except that `b` alone means bytes too.
 * Results are integers (fractions like `1.5GiB` are rounded down to a byte) up to 2^53 − 1.
 */
const UNITS: Record<string, bigint> = {
  b: 1n,
  kb: 1000n,
  mb: 1000n ** 2n,
  gb: 1000n ** 3n,
  tb: 1000n ** 4n,
  kib: 1024n,
  mib: 1024n ** 2n,
  gib: 1024n ** 3n,
  tib: 1024n ** 4n,
};

export const MAX_BYTES = BigInt(Number.MAX_SAFE_INTEGER);

/** Thrown for a size that does not parse or is out of range; the message says why. */
export class ByteSizeError extends Error {}

/** Parses `10737418240`, `"10GiB"`, `"500 MB"`, `"1.5TiB"` into bytes. */
export function parseByteSize(input: number | string): bigint {
  if (typeof input === 'number') {
    if (!Number.isInteger(input) || input < 0)
      throw new ByteSizeError('must be a non-negative integer number of bytes');
    if (!Number.isSafeInteger(input))
      throw new ByteSizeError('is larger than 2^53 - 1 bytes; send it as a string with a unit');
    return BigInt(input);
  }
  const m = /^\s*(\d+)(?:\.(\d+))?\s*([A-Za-z]*)\s*$/.exec(input);
  if (!m)
    throw new ByteSizeError(`"${input}" is not a size (examples: 10737418240, "10GiB", "500MB")`);
  const unit = UNITS[(m[3] || 'b').toLowerCase()];
  if (unit === undefined)
    throw new ByteSizeError(`unknown unit "${m[3]}" (use B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)`);
  const frac = m[2] ?? '';
  const scale = 10n ** BigInt(frac.length);
  const bytes = ((BigInt(m[1] as string) * scale + BigInt(frac || '0')) * unit) / scale;
  if (bytes > MAX_BYTES) throw new ByteSizeError('is larger than 2^53 - 1 bytes (about 8 PiB)');
  return bytes;
}

/** Formats bytes with a binary unit, e.g. `1.5 GiB`, for messages and the UI. */
export function formatBytes(bytes: bigint | number): string {
  const b = Number(bytes);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  let v = b;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${b} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}
