import { describe, expect, it } from 'vitest';
import { NAME_SORT_KEY_LENGTH, nameSortKey } from './name-sort-key.js';

/** Sorts as the databases do: by key, byte for byte (code point order), ties keep input order. */
const sorted = (names: string[]) =>
  [...names].sort((a, b) => {
    const [x, y] = [Array.from(nameSortKey(a)), Array.from(nameSortKey(b))];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = (x[i] as string).codePointAt(0)! - (y[i] as string).codePointAt(0)!;
      if (d !== 0) return d;
    }
    return x.length - y.length;
  });

describe('nameSortKey', () => {
  it('orders numbers inside names by value, whatever their length', () => {
    expect(sorted(['user 10', 'user 2', 'user 1', 'user 100', 'user 9'])).toEqual([
      'user 1',
      'user 2',
      'user 9',
      'user 10',
      'user 100',
    ]);
    expect(sorted(['a1b10', 'a1b9', 'a10b1', 'a2'])).toEqual(['a1b9', 'a1b10', 'a2', 'a10b1']);
    expect(sorted(['+79161234567', '+8', '+1000000000000'])).toEqual([
      '+8',
      '+79161234567',
      '+1000000000000',
    ]);
  });

  it('ignores case and leading zeros; letters after digits, as plain text does', () => {
    expect(sorted(['Bravo', 'alpha', 'Charlie'])).toEqual(['alpha', 'Bravo', 'Charlie']);
    expect(nameSortKey('User 007')).toBe(nameSortKey('user 7'));
    expect(nameSortKey('0')).toBe('010');
    expect(sorted(['x a', 'x 5', 'x'])).toEqual(['x', 'x 5', 'x a']);
    expect(nameSortKey('')).toBe('');
  });

  it('is cut to the column width in code points, never inside a character', () => {
    const long = nameSortKey('☃1'.repeat(255));
    expect(Array.from(long)).toHaveLength(NAME_SORT_KEY_LENGTH);
    expect(long.startsWith('☃011☃011')).toBe(true);
    expect(nameSortKey('9'.repeat(120))).toBe(`99${'9'.repeat(120)}`);
  });
});
