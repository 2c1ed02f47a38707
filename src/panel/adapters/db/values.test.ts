import { describe, expect, it } from 'vitest';
import { toBigInt, toBigIntOrNull, toSafeNumber } from './values.js';

describe('toBigInt', () => {
  it('accepts what each driver returns for an integer aggregate', () => {
    expect(toBigInt(9223372036854775807n)).toBe(9223372036854775807n);
    expect(toBigInt('9223372036854775807')).toBe(9223372036854775807n);
    expect(toBigInt('-12')).toBe(-12n);
    expect(toBigInt(42)).toBe(42n);
  });

  it('refuses anything that is not an exact integer', () => {
    expect(() => toBigInt(2 ** 53 + 2)).toThrow(RangeError);
    expect(() => toBigInt(1.5)).toThrow(RangeError);
    expect(() => toBigInt('12.0000')).toThrow(TypeError);
    expect(() => toBigInt(null, 'sum')).toThrow(/sum/);
  });

  it('maps null to null when asked', () => {
    expect(toBigIntOrNull(null)).toBeNull();
    expect(toBigIntOrNull(undefined)).toBeNull();
    expect(toBigIntOrNull('7')).toBe(7n);
  });
});

describe('toSafeNumber', () => {
  it('narrows within ±(2^53 − 1) and throws beyond', () => {
    expect(toSafeNumber(9007199254740991n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(toSafeNumber('-9007199254740991')).toBe(Number.MIN_SAFE_INTEGER);
    expect(() => toSafeNumber(9007199254740992n, 'peers.id')).toThrow(/peers.id/);
  });
});
