import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { AllowancesPut } from '../../shared/wire/agent-api.js';
import { allowancesFor, graceSeconds, type AllowanceInput } from './allowances.js';

const peer = (over: Partial<AllowanceInput> = {}): AllowanceInput => ({
  public_key: 'k1',
  status: 'active',
  traffic_limit: 1000n,
  period_rx: 300n,
  period_tx: 200n,
  expiry_date: null,
  last_total_rx: 7000n,
  last_total_tx: 3000n,
  totals_epoch: 'ep-a',
  ...over,
});

describe('allowances handed to a node', () => {
  it('gives limit − usage counted from the totals the panel counted, with 3 poll intervals of grace', () => {
    expect(allowancesFor([peer()], 'ep-a', 10_000)).toEqual({
      grace_seconds: 30,
      epoch: 'ep-a',
      peers: [{ public_key: 'k1', remaining_bytes: 500, base_total: 10_000, expires_at: null }],
    });
  });

  it('leaves base_total out when the stored totals are of another epoch or absent', () => {
    const body = allowancesFor(
      [peer({ totals_epoch: 'ep-old' }), peer({ public_key: 'k2', last_total_rx: null })],
      'ep-a',
      10_000,
    );
    expect(body.peers.map((p) => 'base_total' in p)).toEqual([false, false]);
    expect(allowancesFor([peer()], null, 10_000)).not.toHaveProperty('epoch');
  });

  it('never gives a negative remainder; no limit is null; the date is ISO UTC', () => {
    const body = allowancesFor(
      [
        peer({ period_rx: 2000n }),
        peer({
          public_key: 'k2',
          traffic_limit: null,
          expiry_date: new Date('2026-12-01T00:00:00Z'),
        }),
      ],
      'ep-a',
      60_000,
    );
    expect(body.peers.map((p) => [p.remaining_bytes, p.expires_at])).toEqual([
      [0, null],
      [null, '2026-12-01T00:00:00.000Z'],
    ]);
    expect(body.grace_seconds).toBe(180);
  });

  it('skips restricted peers and peers with nothing to enforce', () => {
    const body = allowancesFor(
      [
        peer({ status: 'restricted' }),
        peer({ public_key: 'k2', traffic_limit: null, expiry_date: null }),
      ],
      'ep-a',
      10_000,
    );
    expect(body.peers).toEqual([]);
  });

  it('is a body the agent accepts, the grace within its bounds', () => {
    expect([graceSeconds(100), graceSeconds(10 ** 12)]).toEqual([1, 604_800]);
    const body = allowancesFor(
      [peer(), peer({ public_key: 'k2', expiry_date: new Date(0), totals_epoch: null })],
      'ep-a',
      10_000,
    );
    expect(Value.Check(AllowancesPut, { ...body, peers: [] })).toBe(true);
    // Real keys: the wire checks their form.
    const key = Buffer.alloc(32, 7).toString('base64');
    const keyed = { ...body, peers: body.peers.map((p) => ({ ...p, public_key: key })) };
    expect(Value.Check(AllowancesPut, keyed)).toBe(true);
  });
});
