/**
 * Conversions for values whose JavaScript type differs between drivers: aggregates such as
 * `sum(bigint)` come back as bigint (SQLite), numeric string (PostgreSQL) or decimal string
 * (MySQL). Plain columns never need these: the dialect adapters already map them (README.md).
 */

/** Converts an integer from any driver (bigint, safe integer number, decimal string) to bigint. */
export function toBigInt(value: unknown, what = 'value'): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new RangeError(`${what} is not a safe integer: ${value}`);
    return BigInt(value);
  }
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  // `sum()` of no rows is null; decimals such as "12.0000" are not integers.
  throw new TypeError(`${what} is not an integer: ${String(value)}`);
}

/** Like {@link toBigInt}, but null and undefined map to null. */
export function toBigIntOrNull(value: unknown, what = 'value'): bigint | null {
  return value === null || value === undefined ? null : toBigInt(value, what);
}

/** Converts an integer from any driver to a number, throwing when it exceeds ±(2^53 − 1). */
export function toSafeNumber(value: unknown, what = 'value'): number {
  const big = toBigInt(value, what);
  if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${what} does not fit a JavaScript number: ${big}`);
  }
  return Number(big);
}
