import { describe, expect, it } from 'vitest';
import { latestBoundary, nextBoundary } from './reset-schedule.js';

const d = (iso: string) => new Date(iso);

describe('reset schedule boundaries', () => {
  it('daily, weekly and monthly in UTC', () => {
    const now = d('2026-11-27T15:30:00Z'); // a Friday
    expect(latestBoundary('none', null, now, 'UTC')).toBeNull();
    expect(latestBoundary('daily', null, now, 'UTC')).toEqual(d('2026-11-27T00:00:00Z'));
    expect(nextBoundary('daily', null, now, 'UTC')).toEqual(d('2026-11-28T00:00:00Z'));
    expect(latestBoundary('weekly', 1, now, 'UTC')).toEqual(d('2026-11-23T00:00:00Z'));
    expect(latestBoundary('weekly', 5, now, 'UTC')).toEqual(d('2026-11-27T00:00:00Z'));
    expect(latestBoundary('weekly', 0, now, 'UTC')).toEqual(d('2026-11-22T00:00:00Z'));
    expect(latestBoundary('weekly', 7, now, 'UTC')).toEqual(d('2026-11-22T00:00:00Z'));
    expect(nextBoundary('weekly', 1, now, 'UTC')).toEqual(d('2026-11-30T00:00:00Z'));
    expect(latestBoundary('monthly', 1, now, 'UTC')).toEqual(d('2026-11-01T00:00:00Z'));
    expect(latestBoundary('monthly', 28, now, 'UTC')).toEqual(d('2026-10-28T00:00:00Z'));
    expect(nextBoundary('monthly', 1, now, 'UTC')).toEqual(d('2026-12-01T00:00:00Z'));
  });

  it('clamps day 31 to short months', () => {
    expect(latestBoundary('monthly', 31, d('2027-03-15T00:00:00Z'), 'UTC')).toEqual(
      d('2027-02-28T00:00:00Z'),
    );
    expect(nextBoundary('monthly', 31, d('2027-03-15T00:00:00Z'), 'UTC')).toEqual(
      d('2027-03-31T00:00:00Z'),
    );
    expect(nextBoundary('monthly', 31, d('2027-01-31T12:00:00Z'), 'UTC')).toEqual(
      d('2027-02-28T00:00:00Z'),
    );
  });

  it('uses local midnight of the panel time zone, across DST', () => {
    // Europe/Berlin: 1 Nov 2026 00:00 local is 31 Oct 23:00 UTC (CET, +01:00).
    expect(latestBoundary('monthly', 1, d('2026-11-27T12:00:00Z'), 'Europe/Berlin')).toEqual(
      d('2026-10-31T23:00:00Z'),
    );
    // 1 Apr 2027 00:00 local is 31 Mar 22:00 UTC (CEST, +02:00).
    expect(nextBoundary('monthly', 1, d('2027-03-20T12:00:00Z'), 'Europe/Berlin')).toEqual(
      d('2027-03-31T22:00:00Z'),
    );
    expect(() => latestBoundary('daily', null, new Date(), 'Mars/Olympus')).toThrow(/time zone/);
  });

  it('a boundary exactly at now counts as passed', () => {
    const b = d('2026-12-01T00:00:00Z');
    expect(latestBoundary('monthly', 1, b, 'UTC')).toEqual(b);
    expect(nextBoundary('monthly', 1, b, 'UTC')).toEqual(d('2027-01-01T00:00:00Z'));
  });
});
