import { describe, expect, it } from 'vitest';
import { parseUtcDate } from './utc-date.js';

describe('parseUtcDate', () => {
  it('reads ISO 8601, a value without offset being UTC', () => {
    expect(parseUtcDate('2025-12-31T23:59:59')?.toISOString()).toBe('2025-12-31T23:59:59.000Z');
    expect(parseUtcDate('2025-12-31 23:59:59')?.toISOString()).toBe('2025-12-31T23:59:59.000Z');
    expect(parseUtcDate('2025-12-31')?.toISOString()).toBe('2025-12-31T00:00:00.000Z');
    expect(parseUtcDate('2025-12-31T23:59:59.5Z')?.toISOString()).toBe('2025-12-31T23:59:59.500Z');
    expect(parseUtcDate('2025-12-31T23:59:59+02:00')?.toISOString()).toBe(
      '2025-12-31T21:59:59.000Z',
    );
    expect(parseUtcDate('2025-12-31T23:59-0530')?.toISOString()).toBe('2026-01-01T05:29:00.000Z');
  });

  it('refuses what is not a date', () => {
    for (const bad of [
      '',
      'tomorrow',
      '2025-02-30',
      '2025-13-01',
      '2025-12-31T24:00:00',
      '31/12/2025',
      '2025-12-31T10:00:00+5',
    ])
      expect(parseUtcDate(bad), bad).toBeNull();
  });
});
