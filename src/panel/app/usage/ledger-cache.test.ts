import { describe, expect, it } from 'vitest';
import { LedgerCache, LedgerTable } from './ledger-cache.js';
import type { LedgerRow } from './usage-row.js';

const row = (id: number, over: Partial<LedgerRow> = {}): LedgerRow => ({
  id,
  public_key: `key-${id}`,
  last_raw_rx: 10n,
  last_raw_tx: 20n,
  last_total_rx: null,
  last_total_tx: null,
  totals_epoch: null,
  subscriber_id: null,
  download_limit: null,
  upload_limit: null,
  daily_limit: null,
  throttled_at: null,
  period_rx: 100n,
  period_tx: 200n,
  traffic_limit: null,
  traffic_warn_threshold: 80,
  traffic_warned: false,
  status: 'active',
  restriction_reason: null,
  ...over,
});

describe('LedgerTable', () => {
  it('holds what the ledger and the traffic checks read, exactly', () => {
    const big = 2n ** 62n + 1n;
    const t = new LedgerTable([
      row(7, { last_raw_rx: big, traffic_limit: big, traffic_warned: true }),
      row(9, {
        last_raw_rx: null,
        last_raw_tx: null,
        status: 'restricted',
        restriction_reason: 'traffic_limit',
      }),
    ]);
    const a = t.slotOf('key-7') as number;
    const b = t.slotOf('key-9') as number;
    expect(t.slotOf('key-8')).toBeUndefined();
    expect([t.ids[a], t.lastRx[a], t.lastTx[a], t.limitOf(a), t.hasRaw(a)]).toEqual([
      7,
      big,
      20n,
      big,
      true,
    ]);
    expect([t.isActive(a), t.isWarned(a), t.isRestrictedForTraffic(a)]).toEqual([
      true,
      true,
      false,
    ]);
    expect([t.hasRaw(b), t.limitOf(b), t.isActive(b), t.isRestrictedForTraffic(b)]).toEqual([
      false,
      null,
      false,
      true,
    ]);
    t.record(b, 5n, 6n, 0n, 0n);
    t.record(a, 11n, 22n, 1n, 2n);
    expect([t.hasRaw(b), t.lastRx[b], t.lastTx[b], t.periodRx[b]]).toEqual([true, 5n, 6n, 100n]);
    expect([t.lastRx[a], t.periodRx[a], t.periodTx[a]]).toEqual([11n, 101n, 202n]);
  });
});

describe('LedgerCache', () => {
  it('serves a dump only when it knows every key with counters, and no ingest holds it', () => {
    const cache = new LedgerCache(2);
    const t = new LedgerTable([row(1), row(2, { last_raw_rx: null })]);
    cache.store(5, t, cache.generation);
    expect(cache.lookup(5, [{ public_key: 'key-1' }])).toBe(t);
    expect(cache.lookup(5, [{ public_key: 'key-2' }])).toBeUndefined(); // first observation
    expect(cache.lookup(5, [{ public_key: 'key-3' }])).toBeUndefined(); // unknown peer
    t.busy = true;
    expect(cache.lookup(5, [{ public_key: 'key-1' }])).toBeUndefined();
    t.busy = false;
    t.polls = 2; // maxPolls: read again
    expect(cache.lookup(5, [{ public_key: 'key-1' }])).toBeUndefined();
  });

  it('does not keep a table computed across a clear', () => {
    const cache = new LedgerCache();
    const before = cache.generation;
    cache.clear(); // the policy changed peers meanwhile
    cache.store(5, new LedgerTable([row(1)]), before);
    expect(cache.lookup(5, [{ public_key: 'key-1' }])).toBeUndefined();
    cache.store(5, new LedgerTable([row(1)]), cache.generation);
    expect(cache.lookup(5, [{ public_key: 'key-1' }])).toBeDefined();
  });
});
