import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluatePeer } from './evaluate.js';
import {
  DEFAULT_POLICY_SETTINGS,
  type PolicyPeer,
  type PolicySettings,
  type PolicyState,
} from './types.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const HOUR = 3600 * 1000;
const MiB = 1024n ** 2n;

const base: PolicyPeer = {
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
};

const evaluate = (p: Partial<PolicyPeer>, now = NOW, settings = DEFAULT_POLICY_SETTINGS) =>
  evaluatePeer({ ...base, ...p }, now, settings);

/** The peer after its decisions were carried out (the day's usage zeroed on a new day). */
function apply(p: PolicyPeer, s: PolicyState): PolicyPeer {
  return {
    ...p,
    status: s.status,
    restrictionReason: s.restrictionReason,
    trafficWarned: s.trafficWarned,
    expiryWarnedFor: s.expiryWarnedFor,
    periodStartedAt: s.periodStartedAt,
    restrictedBySubscriber: s.restrictedBySubscriber,
    usage: s.resetUsage ? 0n : p.usage,
    download: s.resetUsage ? 0n : (p.download ?? 0n),
    upload: s.resetUsage ? 0n : (p.upload ?? 0n),
    dayUsage: s.resetDay ? 0n : (p.dayUsage ?? 0n),
    throttled: s.throttled,
    dayStartedAt: s.dayStartedAt,
    downloadWarned: s.downloadWarned,
    uploadWarned: s.uploadWarned,
    dailyWarned: s.dailyWarned,
  };
}

const types = (o: ReturnType<typeof evaluate>) => o.events.map((e) => e.type);
const today = new Date('2026-11-27T00:00:00Z');

describe('throttle instead of cut off', () => {
  it('keeps a peer over its limit active and throttled: exceeded, then throttled, no restricted', () => {
    const o = evaluate({ trafficLimit: 10n * MiB, usage: 10n * MiB, onLimit: 'throttle' });
    expect(o.events).toEqual([
      { type: 'warning', usage: 10n * MiB, limit: 10n * MiB, percent: 100 },
      { type: 'exceeded', usage: 10n * MiB, limit: 10n * MiB },
      { type: 'throttled', quota: 'traffic' },
    ]);
    expect(o.next).toMatchObject({ status: 'active', restrictionReason: null, throttled: true });
  });

  it('brings a throttled peer back to full speed when the cause is lifted', () => {
    const throttled = { trafficLimit: 10n * MiB, onLimit: 'throttle' as const, throttled: true };
    // Usage reset.
    expect(types(evaluate({ ...throttled, usage: 0n }))).toEqual(['unthrottled']);
    // Limit raised, or cleared.
    expect(types(evaluate({ ...throttled, usage: 10n * MiB, trafficLimit: 20n * MiB }))).toEqual([
      'unthrottled',
    ]);
    expect(evaluate({ ...throttled, usage: 10n * MiB, trafficLimit: null }).next.throttled).toBe(
      false,
    );
    // Still over: nothing new.
    expect(evaluate({ ...throttled, usage: 11n * MiB }).events).toEqual([]);
  });

  it('still cuts off a throttled peer that expires', () => {
    const o = evaluate({
      trafficLimit: 1n,
      usage: 5n,
      onLimit: 'throttle',
      throttled: true,
      expiryDate: new Date(NOW.getTime() - 1000),
    });
    expect(types(o)).toEqual(['expired', 'restricted']);
    expect(o.next).toMatchObject({ status: 'restricted', throttled: false });
  });

  it('a peer restricted for its limit whose choice becomes throttle comes back throttled', () => {
    const o = evaluate({
      status: 'restricted',
      restrictionReason: 'traffic_limit',
      trafficLimit: 1n,
      usage: 5n,
      onLimit: 'throttle',
      trafficWarned: true,
    });
    expect(types(o)).toEqual(['restored', 'exceeded', 'throttled']);
    expect(o.next).toMatchObject({ status: 'active', throttled: true });
  });
});

describe('download, upload and daily quotas', () => {
  it('restricts on the download (node tx) or upload (node rx) of the period', () => {
    const down = evaluate({ downloadLimit: 5n * MiB, download: 5n * MiB, upload: 0n });
    expect(down.events).toEqual([
      { type: 'warning', usage: 5n * MiB, limit: 5n * MiB, percent: 100, quota: 'download' },
      { type: 'exceeded', usage: 5n * MiB, limit: 5n * MiB, quota: 'download' },
      { type: 'restricted', reason: 'traffic_limit' },
    ]);
    const up = evaluate({ uploadLimit: 5n * MiB, download: 100n * MiB, upload: 1n * MiB });
    expect(up.events).toEqual([]);
    const upOver = evaluate({ uploadLimit: 1n * MiB, upload: 2n * MiB, onLimit: 'throttle' });
    expect(upOver.events.at(-1)).toEqual({ type: 'throttled', quota: 'upload' });
  });

  it('warns once per quota at the threshold', () => {
    const o = evaluate({ downloadLimit: 10n * MiB, download: 9n * MiB });
    expect(o.events).toEqual([
      { type: 'warning', usage: 9n * MiB, limit: 10n * MiB, percent: 90, quota: 'download' },
    ]);
    expect(o.next.downloadWarned).toBe(true);
    expect(
      evaluate({ downloadLimit: 10n * MiB, download: 9n * MiB, downloadWarned: true }).events,
    ).toEqual([]);
    expect(
      evaluate({ downloadLimit: 10n * MiB, download: 1n * MiB, downloadWarned: true }).next
        .downloadWarned,
    ).toBe(false);
  });

  it('counts the day from local midnight: crossing cuts, the next day restores', () => {
    const first = evaluate({ dailyLimit: 100n * MiB, dayUsage: 7n, dayStartedAt: null });
    // The first look starts the day (what was counted before the limit does not count).
    expect(first.next).toMatchObject({ dayStartedAt: today, resetDay: true });
    let p = apply({ ...base, dailyLimit: 100n * MiB, dayUsage: 7n }, first.next);
    expect(p.dayUsage).toBe(0n);

    const crossed = evaluatePeer({ ...p, dayUsage: 100n * MiB }, NOW, DEFAULT_POLICY_SETTINGS);
    expect(crossed.events).toEqual([
      { type: 'warning', usage: 100n * MiB, limit: 100n * MiB, percent: 100, quota: 'daily' },
      { type: 'exceeded', usage: 100n * MiB, limit: 100n * MiB, quota: 'daily' },
      { type: 'restricted', reason: 'traffic_limit' },
    ]);
    p = apply({ ...p, dayUsage: 100n * MiB }, crossed.next);

    // Later the same day: still cut off.
    expect(
      evaluatePeer(p, new Date(NOW.getTime() + 11 * HOUR), DEFAULT_POLICY_SETTINGS).events,
    ).toEqual([]);
    // Midnight: a new day, restored.
    const midnight = new Date('2026-11-28T00:00:00Z');
    const next = evaluatePeer(p, midnight, DEFAULT_POLICY_SETTINGS);
    expect(next.events).toEqual([{ type: 'restored', previousReason: 'traffic_limit' }]);
    expect(next.next).toMatchObject({ status: 'active', dayStartedAt: midnight, resetDay: true });
  });

  it("takes the day in the panel's time zone", () => {
    const zone: PolicySettings = { ...DEFAULT_POLICY_SETTINGS, timezone: 'Asia/Tokyo' };
    // 12:00 UTC is 21:00 in Tokyo: its day began at 15:00 UTC the day before.
    const o = evaluate({ dailyLimit: 1n, dayStartedAt: null }, NOW, zone);
    expect(o.next.dayStartedAt).toEqual(new Date('2026-11-26T15:00:00Z'));
    // Tokyo's midnight (15:00 UTC) is the next day there.
    const later = evaluate(
      { dailyLimit: 1n, dayStartedAt: new Date('2026-11-26T15:00:00Z') },
      new Date('2026-11-27T15:00:00Z'),
      zone,
    );
    expect(later.next.resetDay).toBe(true);
  });

  it('a daily quota with on_limit throttle slows the day down and midnight lifts it', () => {
    const p: PolicyPeer = {
      ...base,
      dailyLimit: 1n * MiB,
      dayUsage: 2n * MiB,
      dayStartedAt: today,
      onLimit: 'throttle',
    };
    const o = evaluatePeer(p, NOW, DEFAULT_POLICY_SETTINGS);
    expect(types(o)).toEqual(['warning', 'exceeded', 'throttled']);
    const after = apply(p, o.next);
    const midnight = evaluatePeer(after, new Date('2026-11-28T00:00:01Z'), DEFAULT_POLICY_SETTINGS);
    expect(types(midnight)).toEqual(['unthrottled']);
  });
});

describe('granular policy properties', () => {
  const arb: fc.Arbitrary<PolicyPeer> = fc.record({
    ...Object.fromEntries(Object.entries(base).map(([k, v]) => [k, fc.constant(v)])),
    trafficLimit: fc.option(fc.bigInt(0n, 1000n)),
    usage: fc.bigInt(0n, 1000n),
    downloadLimit: fc.option(fc.bigInt(0n, 1000n)),
    uploadLimit: fc.option(fc.bigInt(0n, 1000n)),
    dailyLimit: fc.option(fc.bigInt(0n, 1000n)),
    download: fc.bigInt(0n, 1000n),
    upload: fc.bigInt(0n, 1000n),
    dayUsage: fc.bigInt(0n, 1000n),
    dayStartedAt: fc.option(
      fc.integer({ min: 0, max: 72 }).map((h) => new Date(NOW.getTime() - h * HOUR)),
    ),
    onLimit: fc.constantFrom('restrict' as const, 'throttle' as const),
    throttled: fc.boolean(),
    warnThreshold: fc.integer({ min: 1, max: 100 }),
    downloadWarned: fc.boolean(),
    uploadWarned: fc.boolean(),
    dailyWarned: fc.boolean(),
  }) as fc.Arbitrary<PolicyPeer>;

  it('is idempotent and never both restricted and throttled', () => {
    fc.assert(
      fc.property(arb, (p) => {
        const first = evaluatePeer(p, NOW, DEFAULT_POLICY_SETTINGS);
        expect(first.next.status === 'restricted' && first.next.throttled).toBe(false);
        const second = evaluatePeer(apply(p, first.next), NOW, DEFAULT_POLICY_SETTINGS);
        expect(second.events).toEqual([]);
        expect(second.next).toEqual({ ...first.next, resetUsage: false, resetDay: false });
      }),
    );
  });

  it('with on_limit throttle a quota never cuts off, and a throttled event always follows an exceeded one', () => {
    fc.assert(
      fc.property(arb, (p) => {
        const o = evaluatePeer({ ...p, onLimit: 'throttle' }, NOW, DEFAULT_POLICY_SETTINGS);
        expect(o.events.some((e) => e.type === 'restricted')).toBe(false);
        const i = o.events.findIndex((e) => e.type === 'throttled');
        if (i >= 0) expect(o.events[i - 1]?.type).toBe('exceeded');
      }),
    );
  });
});
