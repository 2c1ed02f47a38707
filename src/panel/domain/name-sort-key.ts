/** Longest sort key stored (code points): the column's width. Longer keys are cut (ties → id). */
export const NAME_SORT_KEY_LENGTH = 512;

/**
 * The key peer names sort by, so that `user 2` comes before `user 10` (natural order) and case
 * does not matter, the same on every database: compared byte for byte (code point order).
 * Lower-cased; each run of digits becomes its length in two digits, then the digits without
 * leading zeros (`2` → `012`, `10` → `0210`), so shorter numbers sort first and equal lengths
 * compare digit by digit. Runs longer than 99 digits count as 99 long.
 *
 * Stored with each peer (`peers.name_sort_key`). Changing this rule needs a new migration that
 * recomputes every stored key.
 */
export function nameSortKey(name: string): string {
  const key = name.toLowerCase().replace(/[0-9]+/g, (run) => {
    const digits = run.replace(/^0+(?=[0-9])/, '');
    return `${String(Math.min(digits.length, 99)).padStart(2, '0')}${digits}`;
  });
  const points = Array.from(key);
  return points.length > NAME_SORT_KEY_LENGTH
    ? points.slice(0, NAME_SORT_KEY_LENGTH).join('')
    : key;
}
