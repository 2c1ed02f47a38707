import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluatePeer } from './evaluate.js';
import { DEFAULT_POLICY_SETTINGS, type PolicyPeer, type PolicyState } from './types.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const DAY = 24 * 3600 * 1000;
const GiB = 1024n ** 3n;

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

const evaluate = (p: Partial<PolicyPeer>, now = NOW) =>
  evaluatePeer({ ...base, ...p }, now, DEFAULT_POLICY_SETTINGS);

/** The peer after its decisions were carried out. */
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
  };
}

const types = (o: ReturnType<typeof evaluate>) => o.events.map((e) => e.type);

describe('policy', () => {
  it('restricts a peer over its limit, with the usage and the limit', () => {
    const o = evaluate({ trafficLimit: 10n * GiB, usage: 10n * GiB + 1n });
    expect(o.events).toEqual([
      { type: 'warning', usage: 10n * GiB + 1n, limit: 10n * GiB, percent: 100 },
      { type: 'exceeded', usage: 10n * GiB + 1n, limit: 10n * GiB },
      { type: 'restricted', reason: 'traffic_limit' },
    ]);
    expect(o.next).toMatchObject({ status: 'restricted', restrictionReason: 'traffic_limit' });
  });

  it('warns, then cuts, when one pass jumps past the threshold and the limit', () => {
    expect(types(evaluate({ trafficLimit: 100n, usage: 250n }))).toEqual([
      'warning',
      'exceeded',
      'restricted',
    ]);
    // Warned before: the cut alone.
    expect(types(evaluate({ trafficLimit: 100n, usage: 250n, trafficWarned: true }))).toEqual([
      'exceeded',
      'restricted',
    ]);
    // Cut by its date while over the limit: no traffic warning for a peer that goes away anyway.
    const expiryDate = new Date(NOW.getTime() - 1000);
    expect(types(evaluate({ expiryDate, trafficLimit: 100n, usage: 250n }))).toEqual([
      'expired',
      'restricted',
    ]);
  });

  it('restricts an expired peer; expiry wins over the limit', () => {
    const expiryDate = new Date(NOW.getTime() - 1000);
    const o = evaluate({ expiryDate, trafficLimit: 1n, usage: 5n });
    expect(types(o)).toEqual(['expired', 'restricted']);
    expect(o.next.restrictionReason).toBe('expired');
  });

  it('warns once at the threshold, and again only after usage fell below it', () => {
    const p = { ...base, trafficLimit: 100n, usage: 80n };
    const first = evaluatePeer(p, NOW, DEFAULT_POLICY_SETTINGS);
    expect(first.events).toEqual([{ type: 'warning', usage: 80n, limit: 100n, percent: 80 }]);
    const again = evaluatePeer(
      { ...apply(p, first.next), usage: 90n },
      NOW,
      DEFAULT_POLICY_SETTINGS,
    );
    expect(again.events).toEqual([]);
    const raised = evaluatePeer(
      { ...apply(p, again.next), trafficLimit: 1000n },
      NOW,
      DEFAULT_POLICY_SETTINGS,
    );
    expect(raised.next.trafficWarned).toBe(false);
    const crossed = evaluatePeer(
      { ...apply(p, raised.next), trafficLimit: 1000n, usage: 850n },
      NOW,
      DEFAULT_POLICY_SETTINGS,
    );
    expect(types(crossed)).toEqual(['warning']);
  });

  it('warns once per expiry date entering the window, with days left', () => {
    const expiryDate = new Date(NOW.getTime() + 3 * DAY - 3600_000);
    const p = { ...base, expiryDate };
    const o = evaluatePeer(p, NOW, DEFAULT_POLICY_SETTINGS);
    expect(o.events).toEqual([{ type: 'expiring_soon', expiryDate, daysLeft: 3 }]);
    expect(
      evaluatePeer(apply(p, o.next), new Date(NOW.getTime() + 60_000), DEFAULT_POLICY_SETTINGS)
        .events,
    ).toEqual([]);
    const moved = new Date(expiryDate.getTime() + DAY);
    expect(
      types(evaluatePeer({ ...apply(p, o.next), expiryDate: moved }, NOW, DEFAULT_POLICY_SETTINGS)),
    ).toEqual(['expiring_soon']);
    expect(evaluate({ expiryDate: new Date(NOW.getTime() + 8 * DAY) }).events).toEqual([]);
  });

  it('restores a peer when its cause is lifted, never one restricted by hand', () => {
    const restricted = {
      status: 'restricted' as const,
      restrictionReason: 'traffic_limit' as const,
      usage: 200n,
    };
    expect(types(evaluate({ ...restricted, trafficLimit: 1000n }))).toEqual(['restored']);
    expect(types(evaluate({ ...restricted, trafficLimit: null }))).toEqual(['restored']);
    expect(evaluate({ ...restricted, trafficLimit: 100n }).events).toEqual([]);
    const expired = { status: 'restricted' as const, restrictionReason: 'expired' as const };
    expect(types(evaluate({ ...expired, expiryDate: new Date(NOW.getTime() + 30 * DAY) }))).toEqual(
      ['restored'],
    );
    expect(evaluate({ ...expired, expiryDate: new Date(NOW.getTime() - 1) }).events).toEqual([]);
    const manual = { status: 'restricted' as const, restrictionReason: 'manual' as const };
    expect(evaluate(manual).events).toEqual([]);
    expect(evaluate({ ...manual, trafficLimit: 1n, usage: 5n }).next.restrictionReason).toBe(
      'manual',
    );
  });

  it('switches the reason when one cause is lifted and another holds', () => {
    const o = evaluate({
      status: 'restricted',
      restrictionReason: 'expired',
      expiryDate: new Date(NOW.getTime() + 30 * DAY),
      trafficLimit: 10n,
      usage: 10n,
    });
    expect(o.events).toEqual([{ type: 'restricted', reason: 'traffic_limit' }]);
  });

  it('starts a new period at the reset boundary and brings a quota-restricted peer back', () => {
    const o = evaluate({
      status: 'restricted',
      restrictionReason: 'traffic_limit',
      trafficLimit: 100n,
      usage: 150n,
      trafficWarned: true,
      resetSchedule: 'monthly',
      resetAnchor: 1,
      periodStartedAt: new Date('2026-10-01T00:00:00Z'),
    });
    expect(o.events).toEqual([
      { type: 'reset', periodStartedAt: new Date('2026-11-01T00:00:00Z'), usageBefore: 150n },
      { type: 'restored', previousReason: 'traffic_limit' },
    ]);
    expect(o.next).toMatchObject({ resetUsage: true, trafficWarned: false, status: 'active' });
  });

  it('cuts a peer off with its restricted subscriber and brings it back with it', () => {
    const cut = evaluate({ subscriberCut: 'traffic_limit' });
    expect(cut.events).toEqual([
      { type: 'restricted', reason: 'traffic_limit', bySubscriber: true },
    ]);
    expect(cut.next).toMatchObject({ status: 'restricted', restrictedBySubscriber: true });
    const held = {
      ...base,
      ...apply({ ...base, subscriberCut: 'manual' }, evaluate({ subscriberCut: 'manual' }).next),
    };
    expect(held).toMatchObject({ restrictionReason: 'manual', restrictedBySubscriber: true });
    expect(
      evaluatePeer({ ...held, subscriberCut: 'manual' }, NOW, DEFAULT_POLICY_SETTINGS).events,
    ).toEqual([]);
    const back = evaluatePeer({ ...held, subscriberCut: null }, NOW, DEFAULT_POLICY_SETTINGS);
    expect(back.events).toEqual([
      { type: 'restored', previousReason: 'manual', bySubscriber: true },
    ]);
    expect(back.next).toMatchObject({ status: 'active', restrictedBySubscriber: false });
  });

  it('its own limit bites first; the subscriber holds it once its own cause is lifted', () => {
    const own = evaluate({ trafficLimit: 10n, usage: 20n, subscriberCut: 'expired' });
    expect(own.events.map((e) => e.type)).toEqual(['warning', 'exceeded', 'restricted']);
    expect(own.next).toMatchObject({
      restrictionReason: 'traffic_limit',
      restrictedBySubscriber: false,
    });
    const lifted = evaluate({
      status: 'restricted',
      restrictionReason: 'traffic_limit',
      trafficLimit: 100n,
      usage: 20n,
      subscriberCut: 'expired',
    });
    expect(lifted.events).toEqual([{ type: 'restricted', reason: 'expired', bySubscriber: true }]);
    // A peer restricted by hand stays so, whatever its subscriber does.
    const manual = { status: 'restricted' as const, restrictionReason: 'manual' as const };
    expect(evaluate({ ...manual, subscriberCut: null }).events).toEqual([]);
    expect(evaluate({ ...manual, subscriberCut: 'expired' }).events).toEqual([]);
  });

  const peerArb: fc.Arbitrary<PolicyPeer> = fc
    .record({
      status: fc.constantFrom('active' as const, 'restricted' as const),
      restrictionReason: fc.constantFrom(
        null,
        'traffic_limit' as const,
        'expired' as const,
        'manual' as const,
      ),
      trafficLimit: fc.option(fc.bigInt(0n, 10n ** 12n)),
      expiryDate: fc.option(
        fc.integer({ min: -20, max: 20 }).map((d) => new Date(NOW.getTime() + (d * DAY) / 2)),
      ),
      warnThreshold: fc.integer({ min: 1, max: 100 }),
      usage: fc.bigInt(0n, 10n ** 12n),
      trafficWarned: fc.boolean(),
      expiryWarnedFor: fc.constant(null),
      resetSchedule: fc.constantFrom(
        'none' as const,
        'daily' as const,
        'weekly' as const,
        'monthly' as const,
      ),
      resetAnchor: fc.option(fc.integer({ min: 1, max: 31 })),
      periodStartedAt: fc
        .integer({ min: 0, max: 60 })
        .map((d) => new Date(NOW.getTime() - d * DAY)),
      subscriberCut: fc.constantFrom(
        null,
        'traffic_limit' as const,
        'expired' as const,
        'manual' as const,
      ),
      restrictedBySubscriber: fc.boolean(),
    })
    .map((p) => ({
      ...p,
      restrictionReason: p.status === 'active' ? null : (p.restrictionReason ?? 'manual'),
      restrictedBySubscriber: p.status === 'restricted' && p.restrictedBySubscriber,
    }));

  it('is idempotent: carrying out the decisions and evaluating again decides nothing', () => {
    fc.assert(
      fc.property(peerArb, (p) => {
        const first = evaluatePeer(p, NOW, DEFAULT_POLICY_SETTINGS);
        const second = evaluatePeer(apply(p, first.next), NOW, DEFAULT_POLICY_SETTINGS);
        expect(second.events).toEqual([]);
        expect(second.next).toEqual({ ...first.next, resetUsage: false });
      }),
    );
  });

  it('fires one warning per crossing over any usage path', () => {
    fc.assert(
      fc.property(
        fc.bigInt(1n, 10n ** 9n),
        fc.integer({ min: 1, max: 100 }),
        fc.array(fc.bigInt(0n, 10n ** 9n), { maxLength: 60 }),
        (limit, threshold, usages) => {
          let p: PolicyPeer = { ...base, trafficLimit: limit * 2n, warnThreshold: threshold };
          let crossings = 0;
          let warnings = 0;
          let above = false;
          for (const usage of usages) {
            const isAbove = usage * 100n >= limit * 2n * BigInt(threshold);
            // Jumping past the threshold and the limit at once is a crossing too (warned, then cut).
            if (isAbove && !above && p.status === 'active') crossings++;
            above = isAbove;
            const o = evaluatePeer({ ...p, usage }, NOW, DEFAULT_POLICY_SETTINGS);
            warnings += o.events.filter((e) => e.type === 'warning').length;
            p = { ...apply({ ...p, usage }, o.next), status: 'active', restrictionReason: null };
          }
          expect(warnings).toBe(crossings);
        },
      ),
    );
  });

  it('never touches a peer restricted by hand', () => {
    fc.assert(
      fc.property(peerArb, (p) => {
        const manual = {
          ...p,
          status: 'restricted' as const,
          restrictionReason: 'manual' as const,
          restrictedBySubscriber: false,
        };
        const o = evaluatePeer(manual, NOW, DEFAULT_POLICY_SETTINGS);
        expect(o.next.status).toBe('restricted');
        expect(o.next.restrictionReason).toBe('manual');
        expect(o.events.filter((e) => e.type === 'restored' || e.type === 'restricted')).toEqual(
          [],
        );
      }),
    );
  });
});
