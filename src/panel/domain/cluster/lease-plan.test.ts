import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EXPIRY_MARGIN_MS,
  nextPassDelay,
  planLeases,
  shareOf,
  type LeaseView,
} from './lease-plan.js';

const now = new Date('2026-01-01T00:00:00Z');
const later = new Date(now.getTime() + 20_000);
const earlier = new Date(now.getTime() - 1);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('shareOf', () => {
  it('splits 30 nodes 10/10/10 and 10 nodes 4/3/3 among three panels', () => {
    const panels = ['a', 'b', 'c'];
    expect(panels.map((p) => shareOf(p, panels, 30))).toEqual([10, 10, 10]);
    expect(panels.map((p) => shareOf(p, panels, 10))).toEqual([4, 3, 3]);
  });

  it('counts the asking panel even when it is not in the list yet', () => {
    expect(shareOf('b', ['a'], 3)).toBe(1);
    expect(shareOf('a', ['b'], 3)).toBe(2);
  });

  it('always sums to the node count, shares differ by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 500 }), (p, n) => {
        const panels = range(p).map((i) => `p${i}`);
        const shares = panels.map((me) => shareOf(me, panels, n));
        expect(shares.reduce((a, b) => a + b, 0)).toBe(n);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('planLeases', () => {
  it('a lone panel takes every free node', () => {
    const plan = planLeases({
      me: 'a',
      livePanels: [],
      nodeIds: [3, 1, 2],
      leases: new Map(),
      now,
    });
    expect([...plan.acquire].sort()).toEqual([1, 2, 3]);
    expect(plan.renew).toEqual([]);
    expect(plan.release).toEqual([]);
  });

  it('renews what it holds, takes expired leases of a dead panel, leaves live ones alone', () => {
    const leases = new Map<number, LeaseView>([
      [1, { holder: 'a', expiresAt: later }],
      [2, { holder: 'dead', expiresAt: earlier }],
      [3, { holder: 'b', expiresAt: later }],
    ]);
    const plan = planLeases({ me: 'a', livePanels: ['a', 'b'], nodeIds: [1, 2, 3], leases, now });
    expect(plan.share).toBe(2);
    expect(plan.renew).toEqual([1]);
    expect(plan.acquire).toEqual([2]);
    expect(plan.release).toEqual([]);
  });

  it('gives up what it holds above its share when another panel joins', () => {
    const leases = new Map<number, LeaseView>(
      range(4).map((id) => [id, { holder: 'a', expiresAt: later }]),
    );
    const plan = planLeases({ me: 'a', livePanels: ['a', 'b'], nodeIds: range(4), leases, now });
    expect(plan.renew).toEqual([1, 2]);
    expect(plan.release).toEqual([3, 4]);
    expect(plan.acquire).toEqual([]);
  });

  it('its own expired lease is free like any other (taken again with a new token)', () => {
    const leases = new Map<number, LeaseView>([[1, { holder: 'a', expiresAt: earlier }]]);
    const plan = planLeases({ me: 'a', livePanels: ['a'], nodeIds: [1], leases, now });
    expect(plan.renew).toEqual([]);
    expect(plan.acquire).toEqual([1]);
  });

  it('panels that each run their pass in turn end balanced, each node held once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 60 }), (p, n) => {
        const panels = range(p).map((i) => `p${i}`);
        const leases = new Map<number, LeaseView>();
        for (let round = 0; round < 3; round++)
          for (const me of panels) {
            const plan = planLeases({ me, livePanels: panels, nodeIds: range(n), leases, now });
            for (const id of plan.release) leases.set(id, { holder: me, expiresAt: earlier });
            for (const id of [...plan.renew, ...plan.acquire])
              leases.set(id, { holder: me, expiresAt: later });
          }
        const held = panels.map(
          (me) => [...leases.values()].filter((l) => l.holder === me && l.expiresAt > now).length,
        );
        expect(held.reduce((a, b) => a + b, 0)).toBe(n);
        expect(Math.max(...held) - Math.min(...held)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('nextPassDelay', () => {
  const lease = (holder: string, inMs: number): LeaseView => ({
    holder,
    expiresAt: new Date(now.getTime() + inMs),
  });

  it('runs every half poll interval when no other lease ends sooner', () => {
    expect(nextPassDelay(1000, now, [], 'a')).toBe(500);
    expect(nextPassDelay(1000, now, [lease('b', 1900), lease('a', 100)], 'a')).toBe(500);
  });

  it("runs just after another panel's lease ends: a dead panel's nodes are taken at its lease's end", () => {
    expect(nextPassDelay(1000, now, [lease('b', 1900), lease('c', 120)], 'a')).toBe(
      120 + EXPIRY_MARGIN_MS,
    );
    // Already expired (taken at this pass, or by another panel): no reason to hurry.
    expect(nextPassDelay(1000, now, [lease('b', -5_000)], 'a')).toBe(500);
  });

  it('never waits longer than half an interval, nor past the earliest foreign expiry', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 60_000 }),
        fc.array(
          fc.record({
            holder: fc.constantFrom('a', 'b', 'c'),
            at: fc.integer({ min: -60_000, max: 120_000 }),
          }),
        ),
        (poll, ls) => {
          const d = nextPassDelay(
            poll,
            now,
            ls.map((l) => lease(l.holder, l.at)),
            'a',
          );
          expect(d).toBeGreaterThan(0);
          expect(d).toBeLessThanOrEqual(poll / 2);
          for (const l of ls)
            if (l.holder !== 'a' && l.at + EXPIRY_MARGIN_MS > 0)
              expect(d).toBeLessThanOrEqual(l.at + EXPIRY_MARGIN_MS);
        },
      ),
    );
  });
});
