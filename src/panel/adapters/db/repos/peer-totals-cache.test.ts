import { describe, expect, it } from 'vitest';
import type { PeerTotals } from '../../../app/peers/ports.js';
import { cachedPeerTotals, CONNECTED_SINCE_SLACK_MS } from './peer-totals-cache.js';

const totalsOf = (n: number): PeerTotals => ({
  active: n,
  restricted: 0,
  periodRx: 0n,
  periodTx: 0n,
  connected: 0,
});

function setUp(initial: string | null) {
  let token = initial;
  const reads: number[] = [];
  const totals = cachedPeerTotals(
    async () => token,
    async (id) => {
      reads.push(id);
      return totalsOf(reads.length);
    },
  );
  return { totals, reads, setToken: (t: string | null) => (token = t) };
}

describe('cached peer totals', () => {
  const at = new Date('2026-12-04T12:00:00Z');
  const later = (ms: number) => new Date(at.getTime() + ms);

  it('answers from memory while the token and the instant (within the slack) stay', async () => {
    const { totals, reads, setToken } = setUp('1:1');
    expect(await totals(7, at)).toEqual(totalsOf(1));
    expect(await totals(7, later(CONNECTED_SINCE_SLACK_MS))).toEqual(totalsOf(1));
    expect(reads).toEqual([7]);
    // Another configuration, a later instant, a new token: each reads again.
    await totals(8, at);
    expect(await totals(7, later(CONNECTED_SINCE_SLACK_MS + 1))).toEqual(totalsOf(3));
    setToken('2:1');
    expect(await totals(7, later(CONNECTED_SINCE_SLACK_MS + 1))).toEqual(totalsOf(4));
    expect(reads).toEqual([7, 8, 7, 7]);
  });

  it('keeps nothing without a token (dialects with no cheap way to tell)', async () => {
    const { totals, reads } = setUp(null);
    await totals(7, at);
    await totals(7, at);
    expect(reads).toEqual([7, 7]);
  });
});
