import { describe, expect, it } from 'vitest';
import { daysUntil, decideResellerSpend, type ResellerAllowance } from './reseller-limits.js';

const now = new Date('2026-12-01T12:00:00Z');
const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);
const open: ResellerAllowance = {
  maxSubscribers: null,
  maxTrafficBytes: null,
  maxExpiryDays: null,
  balanceBytes: null,
  balanceDays: null,
};
const none = { subscribers: 0, trafficBytes: 0n };

describe('decideResellerSpend', () => {
  it('spends the limit and the days (rounded up) of a new subscriber', () => {
    const r = decideResellerSpend(
      { ...open, balanceBytes: 100n, balanceDays: 30 },
      none,
      null,
      { trafficLimit: 60n, expiryDate: new Date(inDays(9).getTime() + 1) },
      now,
    );
    expect(r).toEqual({ ok: true, bytes: 60n, days: 10 });
  });

  it('refuses, with the balance left, what would take it below zero', () => {
    const a = { ...open, balanceBytes: 50n, balanceDays: 5 };
    expect(
      decideResellerSpend(a, none, null, { trafficLimit: 60n, expiryDate: inDays(1) }, now),
    ).toEqual({
      ok: false,
      field: 'traffic_limit',
      message: 'needs 60 bytes of your balance; 50 are left',
    });
    expect(
      decideResellerSpend(a, none, null, { trafficLimit: 10n, expiryDate: inDays(6) }, now),
    ).toMatchObject({
      ok: false,
      field: 'expiry_date',
      message: 'needs 6 days of your balance; 5 are left',
    });
  });

  it('spends only what an extension adds', () => {
    const a = { ...open, balanceBytes: 10n, balanceDays: 3 };
    const before = { trafficLimit: 100n, expiryDate: inDays(10) };
    expect(
      decideResellerSpend(a, none, before, { trafficLimit: 105n, expiryDate: inDays(13) }, now),
    ).toEqual({
      ok: true,
      bytes: 5n,
      days: 3,
    });
    expect(
      decideResellerSpend(a, none, before, { trafficLimit: 50n, expiryDate: inDays(2) }, now),
    ).toEqual({
      ok: true,
      bytes: 0n,
      days: 0,
    });
  });

  it('holds the most subscribers, total traffic and longest expiry', () => {
    expect(
      decideResellerSpend(
        { ...open, maxSubscribers: 2 },
        { subscribers: 2, trafficBytes: 0n },
        null,
        { trafficLimit: null, expiryDate: null },
        now,
      ),
    ).toMatchObject({ ok: false, field: 'name' });
    expect(
      decideResellerSpend(
        { ...open, maxTrafficBytes: 100n },
        { subscribers: 1, trafficBytes: 70n },
        null,
        { trafficLimit: 31n, expiryDate: null },
        now,
      ),
    ).toMatchObject({
      ok: false,
      field: 'traffic_limit',
      message: expect.stringContaining('30 are left'),
    });
    expect(
      decideResellerSpend(
        { ...open, maxExpiryDays: 30 },
        none,
        null,
        { trafficLimit: null, expiryDate: inDays(31) },
        now,
      ),
    ).toMatchObject({ ok: false, field: 'expiry_date' });
  });

  it('needs a limit and a date when the limits count them', () => {
    expect(
      decideResellerSpend(
        { ...open, balanceBytes: 1n },
        none,
        null,
        { trafficLimit: null, expiryDate: null },
        now,
      ),
    ).toMatchObject({
      ok: false,
      field: 'traffic_limit',
    });
    expect(
      decideResellerSpend(
        { ...open, maxExpiryDays: 1 },
        none,
        null,
        { trafficLimit: 1n, expiryDate: null },
        now,
      ),
    ).toMatchObject({
      ok: false,
      field: 'expiry_date',
    });
  });

  it('counts days rounded up, a date passed as none', () => {
    expect(daysUntil(inDays(-1), now)).toBe(0);
    expect(daysUntil(new Date(now.getTime() + 1), now)).toBe(1);
  });
});
