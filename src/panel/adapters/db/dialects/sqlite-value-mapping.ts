/**
 * How SQLite values map to JavaScript, decided by each result column's declared type.
 *
 * SQLite has no BIGINT, BOOLEAN or DATETIME storage: everything integer is a 64-bit INTEGER and
 * instants are ISO-8601 text. better-sqlite3 runs with `safeIntegers`, so every integer arrives
 * as bigint (never rounded); these converters then narrow by the column's declared type so a row
 * reads the same as on PostgreSQL and MySQL.
 */

/** What a declared column type means for the value read back. */
export type SqliteValueKind = 'bigint' | 'integer' | 'boolean' | 'timestamp' | 'other';

/** Classifies a declared type (`bigint`, `INTEGER`, `boolean`, `datetime`, null, …). */
export function classifyDeclaredType(declared: string | null): SqliteValueKind {
  if (declared === null) return 'other'; // an expression: integers stay bigint, like count(*)
  const type = declared.toLowerCase();
  if (type.includes('bigint') || type.includes('int8')) return 'bigint';
  if (type.includes('bool')) return 'boolean';
  if (type.includes('datetime') || type.includes('timestamp')) return 'timestamp';
  if (type.includes('int')) return 'integer';
  return 'other';
}

/** Returns the converter for a kind, or undefined when values pass through unchanged. */
export function converterFor(
  kind: SqliteValueKind,
  column: string,
): ((value: unknown) => unknown) | undefined {
  switch (kind) {
    case 'integer':
      return (value) => (typeof value === 'bigint' ? bigintToNumber(value, column) : value);
    case 'boolean':
      return (value) =>
        typeof value === 'bigint' || typeof value === 'number' ? value != 0 : value;
    case 'timestamp':
      return (value) => (typeof value === 'string' ? parseStoredInstant(value, column) : value);
    default:
      return undefined;
  }
}

/** Converts a parameter to what better-sqlite3 can bind, in the form the columns store. */
export function toSqliteParameter(value: unknown): unknown {
  if (value instanceof Date) return formatInstant(value);
  if (typeof value === 'boolean') return value ? 1n : 0n;
  // Bind integers as INTEGER, not REAL (better-sqlite3 binds every number as a double).
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  return value;
}

/** True when toSqliteParameter would change the value (false: it binds as it is). */
export function needsSqliteConversion(value: unknown): boolean {
  return (
    value instanceof Date ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isSafeInteger(value))
  );
}

/** The stored form of an instant: `YYYY-MM-DDTHH:MM:SS.sssZ`, which sorts chronologically. */
export function formatInstant(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('cannot store an invalid Date');
  return date.toISOString();
}

/** Parses a stored instant; text without an offset (e.g. SQLite's CURRENT_TIMESTAMP) is UTC. */
export function parseStoredInstant(text: string, column: string): Date {
  // The form this adapter stores (`…T…sssZ`, 24 characters) needs no check of its zone.
  const hasZone =
    (text.length === 24 && text.charCodeAt(23) === 90) || /(?:Z|[+-]\d\d:?\d\d)$/i.test(text);
  const date = new Date(hasZone ? text : `${text.replace(' ', 'T')}Z`);
  if (Number.isNaN(date.getTime()))
    throw new TypeError(`${column} holds no valid instant: ${text}`);
  return date;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

function bigintToNumber(value: bigint, column: string): number {
  if (value > MAX_SAFE || value < MIN_SAFE) {
    throw new RangeError(`${column} holds ${value}, beyond a safe JavaScript number`);
  }
  return Number(value);
}
