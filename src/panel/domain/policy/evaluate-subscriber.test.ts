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

  it('is idempotent', () => {
    const arb = fc.record({
      status: fc.constantFrom('active' as const, 'on_hold' as const, 'restricted' as const),
      trafficLimit: fc.option(fc.bigInt(0n, 10n ** 9n)),
      usage: fc.bigInt(0n, 10n ** 9n),
      expiryDays: fc.option(fc.integer({ min: -10, max: 10 })),
      onHoldDays: fc.option(fc.integer({ min: 1, max: 30 })),
      handshakeDays: fc.option(fc.integer({ min: -40, max: 0 })),
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
