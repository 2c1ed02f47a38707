import { describe, expect, it } from 'vitest';
import {
  agoText,
  endOfMonth,
  expiryText,
  formatBytes,
  formatDuration,
  formatRate,
  rateLimitText,
  splitBytes,
  toBytes,
} from '../../web/src/lib/format.js';

// The web UI's pure display helpers (web/src/lib/format.ts), run in Node.
describe('web UI formatting', () => {
  const now = Date.parse('2026-11-27T12:00:00Z');
  const at = (ms: number) => new Date(now + ms).toISOString();
  const H = 3_600_000;

  it('counts down to an expiry and back from it', () => {
    expect(expiryText(null, now)).toBe('never');
    expect(expiryText(at(3 * 24 * H), now)).toBe('in 3 days');
    expect(expiryText(at(7 * 24 * H - 5_000), now)).toBe('in 7 days');
    expect(expiryText(at(1 * 24 * H), now)).toBe('in 1 day');
    expect(expiryText(at(-2 * H), now)).toBe('expired 2 h ago');
    expect(expiryText(at(-90_000), now)).toBe('expired 2 min ago');
    expect(expiryText(at(30_000), now)).toBe('in 30 s');
  });

  it('says how long ago', () => {
    expect(agoText(null, now)).toBe('never');
    expect(agoText(at(-500), now)).toBe('just now');
    expect(agoText(at(-12_000), now)).toBe('12 s ago');
    expect(formatDuration(23.6 * H)).toBe('1 day');
  });

  it('formats speed limits: "10 Mbit/s down, 2 up"', () => {
    expect(formatRate(2_500_000)).toBe('2.5 Mbit/s');
    expect(rateLimitText(10_000_000, 2_000_000)).toBe('10 Mbit/s down, 2 up');
    expect(rateLimitText(10_000_000, 800_000)).toBe('10 Mbit/s down, 800 kbit/s up');
    expect(rateLimitText(null, 1_000_000_000)).toBe('1 Gbit/s up');
    expect(rateLimitText(null, null)).toBeNull();
  });

  it('formats bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(5 * 2 ** 30)).toBe('5.00 GiB');
    expect(formatBytes(150 * 2 ** 20)).toBe('150 MiB');
  });

  it('turns limits into form amounts and back', () => {
    expect(splitBytes(10 * 2 ** 30)).toEqual({ amount: 10, unit: 'GiB' });
    expect(splitBytes(2 * 2 ** 40)).toEqual({ amount: 2, unit: 'TiB' });
    expect(splitBytes(500 * 2 ** 20)).toEqual({ amount: 500, unit: 'MiB' });
    expect(toBytes(1.5, 'GiB')).toBe(1.5 * 2 ** 30);
    for (const b of [10 * 2 ** 30, 2 * 2 ** 40, 500 * 2 ** 20, 1536 * 2 ** 20]) {
      const { amount, unit } = splitBytes(b);
      expect(toBytes(amount, unit)).toBe(b);
    }
  });

  it('ends the month on its last day', () => {
    const d = endOfMonth(new Date(2026, 1, 10, 8, 0));
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours()]).toEqual([2026, 1, 28, 23]);
  });
});
