import { describe, expect, it } from 'vitest';
import { SubscriberEstimates } from './subscriber-estimates.js';
import type { SubscriberPolicyRow } from './subscriber-row.js';

const row = (over: Partial<SubscriberPolicyRow> = {}): SubscriberPolicyRow => ({
  id: 1,
  name: 'Alice',
  status: 'active',
  restriction_reason: null,
  traffic_limit: 1000n,
  expiry_date: null,
  traffic_warn_threshold: 80,
  reset_schedule: 'none',
  reset_anchor: null,
  on_hold_days: null,
  activated_at: null,
  period_started_at: new Date('2026-11-01T00:00:00Z'),
  traffic_warned: false,
  expiry_warned_for: null,
  created_at: new Date('2026-11-01T00:00:00Z'),
  on_limit: 'restrict',
  throttle_download_bps: null,
  throttle_upload_bps: null,
  throttled_at: null,
  download_limit: null,
  upload_limit: null,
  daily_limit: null,
  day_started_at: null,
  download_warned: false,
  upload_warned: false,
  daily_warned: false,
  usage_rx: 100n,
  usage_tx: 100n,
  day_usage: 0n,
  first_handshake_at: null,
  ...over,
});

describe('SubscriberEstimates', () => {
  it('asks for a read of an unknown subscriber, then decides only at a crossing', () => {
    const e = new SubscriberEstimates();
    expect(e.add(1, 10n, false)).toBe('unknown');
    expect(e.set(row(), e.mark())).toBe(false);
    expect(e.add(1, 500n, false)).toBe(false); // 700 of 1000: below 80 %
    expect(e.add(1, 150n, false)).toBe(true); // 850: the warning threshold
    expect(e.set(row({ usage_rx: 850n, usage_tx: 0n, traffic_warned: true }), e.mark())).toBe(
      false,
    );
    expect(e.add(1, 100n, false)).toBe(false);
    expect(e.add(1, 60n, false)).toBe(true); // 1010: over the limit
  });

  it('never lowers an estimate that bytes reached while it was read', () => {
    const e = new SubscriberEstimates();
    e.set(row({ usage_rx: 0n, usage_tx: 0n }), e.mark());
    const mark = e.mark();
    e.add(1, 700n, false); // committed meanwhile, maybe not in the read below
    expect(e.set(row({ usage_rx: 0n, usage_tx: 0n }), mark)).toBe(false);
    expect(e.add(1, 150n, false)).toBe(true); // 850, not 150
  });

  it('a subscriber on hold is decided at the first handshake; a restricted one never by traffic', () => {
    const e = new SubscriberEstimates();
    e.set(row({ id: 2, on_hold_days: 30, traffic_limit: null, status: 'on_hold' }), e.mark());
    expect(e.add(2, 100n, false)).toBe(false);
    expect(e.add(2, 100n, true)).toBe(true);
    e.set(row({ id: 3, status: 'restricted', restriction_reason: 'traffic_limit' }), e.mark());
    expect(e.add(3, 10_000n, true)).toBe(false);
  });

  it('a subscriber with a download, upload or daily limit is decided at every poll that moves it', () => {
    const e = new SubscriberEstimates();
    expect(e.set(row({ id: 4, traffic_limit: null, daily_limit: 10n ** 9n }), e.mark())).toBe(
      false,
    );
    expect(e.add(4, 0n, false)).toBe(false);
    expect(e.add(4, 1n, false)).toBe(true);
  });
});
