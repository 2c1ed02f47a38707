import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateSubscriber, type PolicySubscriber } from './evaluate-subscriber.js';
import { DEFAULT_POLICY_SETTINGS } from './types.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const DAY = 24 * 3600 * 1000;
const MiB = 1024n * 1024n;

const base: PolicySubscriber = {
  status: 'active',
  restrictionReason: null,
  trafficLimit: null,
  expiryDate: null,
  warnThreshold: 80,
  usage: 0n,
  trafficWarned: false,
  expiryWarnedFor: null,
  resetSchedule: 'none',
  resetAnchor: null,
  periodStartedAt: new Date('2026-11-01T00:00:00Z'),
  onHoldDays: null,
  activatedAt: null,
};
const run = (s: Partial<PolicySubscriber>, handshake: Date | null = null, now = NOW) =>
  evaluateSubscriber({ ...base, ...s }, handshake, now, DEFAULT_POLICY_SETTINGS);
const types = (o: ReturnType<typeof run>) => o.events.map((e) => e.type);

describe('subscriber policy', () => {
  it('restricts on the sum of its peers over the limit, restores when the limit is raised', () => {
    const cut = run({ trafficLimit: 2n * MiB, usage: 3n * MiB });
    expect(cut.events).toEqual([
      { type: 'warning', usage: 3n * MiB, limit: 2n * MiB, percent: 150 },
      { type: 'exceeded', usage: 3n * MiB, limit: 2n * MiB },
      { type: 'restricted', reason: 'traffic_limit' },
    ]);
    expect(cut.next.status).toBe('restricted');
    const back = run({
      status: 'restricted',
      restrictionReason: 'traffic_limit',
      trafficLimit: 4n * MiB,
      usage: 3n * MiB,
      trafficWarned: true,
    });
    expect(types(back)).toEqual(['restored']);
    expect(back.next).toMatchObject({ status: 'active', restrictionReason: null });
  });

  it('on hold: the date does not run until the first handshake, then it is that handshake + N days', () => {
    const held = run({
      status: 'on_hold',
      onHoldDays: 30,
      expiryDate: new Date(NOW.getTime() - DAY),
    });
    expect(held.events).toEqual([]);
    expect(held.next.status).toBe('on_hold');
    const handshake = new Date(NOW.getTime() - 5000);
    const on = run({ status: 'on_hold', onHoldDays: 30 }, handshake);
    const expiry = new Date(handshake.getTime() + 30 * DAY);
    expect(on.events).toEqual([{ type: 'activated', handshakeAt: handshake, expiryDate: expiry }]);
    expect(on.next).toMatchObject({ status: 'active', expiryDate: expiry, activatedAt: handshake });
    // Activated long ago: the new date has passed already, so it is cut at once.
    const late = run({ status: 'on_hold', onHoldDays: 1 }, new Date(NOW.getTime() - 2 * DAY));
    expect(types(late)).toEqual(['activated', 'expired', 'restricted']);
  });

  it('a subscriber restricted while on hold comes back on hold', () => {
    const cut = run({ status: 'on_hold', onHoldDays: 7, trafficLimit: 0n });
    expect(cut.next).toMatchObject({ status: 'restricted', restrictionReason: 'traffic_limit' });
    const back = run({
      status: 'restricted',
      restrictionReason: 'traffic_limit',
      onHoldDays: 7,
      trafficLimit: 10n,
    });
    expect(back.next.status).toBe('on_hold');
  });

  it('never lifts a manual restriction', () => {
    const o = run({ status: 'restricted', restrictionReason: 'manual', trafficLimit: 10n });
    expect(o.events).toEqual([]);
    expect(o.next.status).toBe('restricted');
  });

  it('throttles over a quota with on_limit throttle: exceeded then throttled, no restricted', () => {
    const o = run({
      downloadLimit: 10n * MiB,
      download: 12n * MiB,
      upload: MiB,
      usage: 13n * MiB,
      onLimit: 'throttle',
    });
    expect(o.events).toEqual([
      { type: 'warning', usage: 12n * MiB, limit: 10n * MiB, percent: 120, quota: 'download' },
      { type: 'exceeded', usage: 12n * MiB, limit: 10n * MiB, quota: 'download' },
      { type: 'throttled', quota: 'download' },
    ]);
    expect(o.next).toMatchObject({ status: 'active', throttled: true, downloadWarned: true });
    // The limit raised: back at full speed, still active.
    const back = run({
      downloadLimit: 20n * MiB,
      download: 12n * MiB,
      onLimit: 'throttle',
      throttled: true,
      downloadWarned: true,
    });
    expect(types(back)).toEqual(['unthrottled']);
    expect(back.next).toMatchObject({ status: 'active', throttled: false, downloadWarned: false });
  });

  it("restricts on the sum of its peers' upload by default", () => {
    const o = run({ uploadLimit: 5n * MiB, upload: 5n * MiB, usage: 6n * MiB });
    expect(types(o)).toEqual(['warning', 'exceeded', 'restricted']);
    expect(o.events[1]).toMatchObject({ quota: 'upload' });
    expect(o.next).toMatchObject({ status: 'restricted', restrictionReason: 'traffic_limit' });
  });

  it("a throttled subscriber's date still cuts it off", () => {
    const o = run({
      onLimit: 'throttle',
      throttled: true,
      trafficLimit: MiB,
      usage: 2n * MiB,
      trafficWarned: true,
      expiryDate: new Date(NOW.getTime() - 1000),
    });
    expect(types(o)).toEqual(['expired', 'restricted']);
    expect(o.next).toMatchObject({ status: 'restricted', throttled: false });
  });

  it('daily limit: the day in the panel time zone cuts, the next local midnight restores', () => {
    const settings = { ...DEFAULT_POLICY_SETTINGS, timezone: 'Europe/Moscow' };
    // 12:00 UTC = 15:00 in Moscow: the day began at 21:00 UTC the evening before.
    const dayStart = new Date('2026-11-26T21:00:00Z');
    const first = evaluateSubscriber({ ...base, dailyLimit: MiB }, null, NOW, settings);
    expect(first.next).toMatchObject({ dayStartedAt: dayStart, resetDay: true });
    const cut = evaluateSubscriber(
      { ...base, dailyLimit: MiB, dayUsage: MiB, dayStartedAt: dayStart },
      null,
      NOW,
      settings,
    );
    expect(types(cut)).toEqual(['warning', 'exceeded', 'restricted']);
    expect(cut.events[1]).toMatchObject({ quota: 'daily' });
    const restricted = {
      ...base,
      status: 'restricted' as const,
      restrictionReason: 'traffic_limit' as const,
      dailyLimit: MiB,
      dayUsage: MiB,
      dayStartedAt: dayStart,
      dailyWarned: true,
    };
    const lateSameDay = new Date('2026-11-27T20:59:59Z');
    expect(evaluateSubscriber(restricted, null, lateSameDay, settings).events).toEqual([]);
    const midnight = new Date('2026-11-27T21:00:00Z');
    const back = evaluateSubscriber(restricted, null, midnight, settings);
    expect(types(back)).toEqual(['restored']);
    expect(back.next).toMatchObject({
      status: 'active',
      dayStartedAt: midnight,
      resetDay: true,
      dailyWarned: false,
    });
  });

  it('is idempotent', () => {
    const arb = fc.record({
      status: fc.constantFrom('active' as const, 'on_hold' as const, 'restricted' as const),
      trafficLimit: fc.option(fc.bigInt(0n, 10n ** 9n)),
      usage: fc.bigInt(0n, 10n ** 9n),
      expiryDays: fc.option(fc.integer({ min: -10, max: 10 })),
      onHoldDays: fc.option(fc.integer({ min: 1, max: 30 })),
      handshakeDays: fc.option(fc.integer({ min: -40, max: 0 })),
      downloadLimit: fc.option(fc.bigInt(0n, 10n ** 9n)),
      dailyLimit: fc.option(fc.bigInt(0n, 10n ** 9n)),
      download: fc.bigInt(0n, 10n ** 9n),
      dayUsage: fc.bigInt(0n, 10n ** 9n),
      throttle: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, (a) => {
        const s: PolicySubscriber = {
          ...base,
          status: a.status,
          restrictionReason: a.status === 'restricted' ? 'traffic_limit' : null,
          trafficLimit: a.trafficLimit,
          usage: a.usage,
          expiryDate: a.expiryDays === null ? null : new Date(NOW.getTime() + a.expiryDays * DAY),
          onHoldDays: a.onHoldDays,
          downloadLimit: a.downloadLimit,
          dailyLimit: a.dailyLimit,
          download: a.download,
          dayUsage: a.dayUsage,
          onLimit: a.throttle ? 'throttle' : 'restrict',
        };
        const hs =
          a.handshakeDays === null ? null : new Date(NOW.getTime() + a.handshakeDays * DAY);
        const first = evaluateSubscriber(s, hs, NOW, DEFAULT_POLICY_SETTINGS);
        const n = first.next;
        const again = evaluateSubscriber(
          {
            ...s,
            status: n.status,
            restrictionReason: n.restrictionReason,
            trafficWarned: n.trafficWarned,
            expiryWarnedFor: n.expiryWarnedFor,
            periodStartedAt: n.periodStartedAt,
            expiryDate: n.expiryDate,
            activatedAt: n.activatedAt,
            throttled: n.throttled,
            dayStartedAt: n.dayStartedAt,
            dayUsage: n.resetDay ? 0n : s.dayUsage,
            downloadWarned: n.downloadWarned,
            uploadWarned: n.uploadWarned,
            dailyWarned: n.dailyWarned,
          },
          hs,
          NOW,
          DEFAULT_POLICY_SETTINGS,
        );
        expect(again.events).toEqual([]);
      }),
    );
  });
});
