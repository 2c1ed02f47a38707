import { describe, expect, it } from 'vitest';
import { RateError, formatRate, formatRateLimit, parseRate } from './rates.js';

describe('rates', () => {
  it('parses bits per second and decimal units', () => {
    expect(parseRate(10_000_000)).toBe(10_000_000);
    expect(parseRate('10Mbit')).toBe(10_000_000);
    expect(parseRate('2.5 Mbit/s')).toBe(2_500_000);
    expect(parseRate('500kbps')).toBe(500_000);
    expect(parseRate('1G')).toBe(1_000_000_000);
    expect(parseRate('64000')).toBe(64_000);
  });

  it('refuses what is not a speed or out of range, saying why', () => {
    expect(() => parseRate(1.5)).toThrow(RateError);
    expect(() => parseRate('10 MiB')).toThrow('is not a speed');
    expect(() => parseRate(100)).toThrow('from 8000 bit/s');
    expect(() => parseRate('200G')).toThrow('100 Gbit/s');
  });

  it('formats for people: "10 Mbit/s down, 2 up"', () => {
    expect(formatRate(10_000_000)).toBe('10 Mbit/s');
    expect(formatRate(2_500_000)).toBe('2.5 Mbit/s');
    expect(formatRate(800_000)).toBe('800 kbit/s');
    expect(formatRateLimit(10_000_000, 2_000_000)).toBe('10 Mbit/s down, 2 up');
    expect(formatRateLimit(10_000_000, 500_000)).toBe('10 Mbit/s down, 500 kbit/s up');
    expect(formatRateLimit(null, 2_000_000)).toBe('2 Mbit/s up');
    expect(formatRateLimit(null, null)).toBeNull();
  });
});
