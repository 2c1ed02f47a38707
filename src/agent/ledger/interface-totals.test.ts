import { describe, expect, it } from 'vitest';
import { InterfaceTotals } from './interface-totals.js';

const A = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
const B = 'TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=';
const read = (peers: Record<string, [number, number]>) => ({
  keys: Object.keys(peers),
  rx: Object.values(peers).map((p) => p[0]),
  tx: Object.values(peers).map((p) => p[1]),
});
const totals = (t: InterfaceTotals, key: string) => {
  const e = t.peers.get(key);
  return e && [e.totalRx, e.totalTx];
};

describe('InterfaceTotals', () => {
  it('counts a first reading in full, then the deltas', () => {
    const t = new InterfaceTotals('e1');
    expect(t.apply(read({ [A]: [100, 10] }), '7')).toBe(true);
    expect(totals(t, A)).toEqual([100, 10]);
    expect(t.apply(read({ [A]: [150, 10] }), '7')).toBe(true);
    expect(t.apply(read({ [A]: [150, 10] }), '7')).toBe(false); // nothing moved
    expect(totals(t, A)).toEqual([150, 10]);
    expect(t.used(A)).toBe(160);
  });

  it('counts a restarted counter from zero: it went down, in either direction', () => {
    const t = new InterfaceTotals('e1');
    t.apply(read({ [A]: [1000, 500] }), '7');
    t.apply(read({ [A]: [40, 600] }), '7'); // rx went down: both restarted
    expect(totals(t, A)).toEqual([1040, 1100]);
  });

  it('counts everything of another incarnation, even a counter that climbed past the old one', () => {
    const t = new InterfaceTotals('e1');
    t.apply(read({ [A]: [1000, 1000] }), '7');
    t.apply(read({ [A]: [5000, 3000] }), '8'); // re-created and already busier than before
    expect(totals(t, A)).toEqual([6000, 4000]);
    expect(t.incarnation).toBe('8');
  });

  it('falls back to the decrease rule when the incarnation is unknown', () => {
    const t = new InterfaceTotals('e1');
    t.apply(read({ [A]: [1000, 1000] }), null);
    t.apply(read({ [A]: [1200, 1000] }), '3'); // first known incarnation: not a restart
    expect(totals(t, A)).toEqual([1200, 1000]);
  });

  it('keeps the totals of a removed peer and counts it from zero when it comes back', () => {
    const t = new InterfaceTotals('e1');
    t.apply(read({ [A]: [300, 30], [B]: [5, 5] }), '7');
    expect(t.apply(read({ [B]: [6, 5] }), '7')).toBe(true); // A is gone
    expect(t.peers.get(A)).toMatchObject({ totalRx: 300, lastRx: 0 });
    t.apply(read({ [A]: [400, 40], [B]: [6, 5] }), '7'); // back, already past its old counter
    expect(totals(t, A)).toEqual([700, 70]);
  });

  it('starts from zero after the agent removed a peer or the interface went down', () => {
    const t = new InterfaceTotals('e1');
    t.apply(read({ [A]: [300, 30], [B]: [10, 10] }), '7');
    t.peerGone(A);
    t.apply(read({ [A]: [500, 50], [B]: [10, 10] }), '7'); // re-added and read before seen gone
    expect(totals(t, A)).toEqual([800, 80]);
    expect(t.interfaceGone()).toBe(true);
    expect(t.interfaceGone()).toBe(false);
    t.apply(read({ [A]: [20, 2], [B]: [2000, 1] }), null); // back, incarnation unreadable
    expect(totals(t, A)).toEqual([820, 82]);
    expect(totals(t, B)).toEqual([2010, 11]);
  });

  it('never lets a total go down, whatever the readings (property)', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const t = new InterfaceTotals('e1');
    const raw = new Map<string, [number, number]>([
      [A, [0, 0]],
      [B, [0, 0]],
    ]);
    let prev = 0;
    for (let i = 0; i < 2000; i++) {
      for (const [k, v] of raw)
        raw.set(k, rand(10) === 0 ? [rand(50), rand(50)] : [v[0] + rand(100), v[1] + rand(100)]);
      const present = Object.fromEntries([...raw].filter(() => rand(8) !== 0));
      t.apply(read(present), String(rand(20) === 0 ? i : 1));
      const now = t.used(A) + t.used(B);
      expect(now).toBeGreaterThanOrEqual(prev);
      prev = now;
    }
  });
});
