/**
 * A row may carry the ISO text of its timestamp columns without their Dates: a method under this
 * key, `(column) => text | null` (`undefined`: not a timestamp column of it). SQLite's row views
 * do (their instants are stored as that text); plain rows do not.
 */
export const INSTANT_TEXT: unique symbol = Symbol('wgfleet.instantText');

interface MayCarryText {
  readonly [INSTANT_TEXT]?: (column: string) => string | null | undefined;
}

/**
 * `row[column]`'s ISO text (`Date#toISOString`), null when it is null: read from the row's
 * INSTANT_TEXT when it has one, else from the Date.
 */
export function instantText<R extends object, K extends keyof R & string>(
  row: R,
  column: K,
): R[K] extends Date ? string : R[K] extends Date | null ? string | null : never {
  const text = (row as MayCarryText)[INSTANT_TEXT]?.(column);
  if (text !== undefined) return text as never;
  const value = row[column] as Date | null;
  return (value === null ? null : value.toISOString()) as never;
}
