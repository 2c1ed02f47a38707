import { describe, expect, it } from 'vitest';
import { toPeerJson, type PeerJsonSource } from './peer-json.js';

const row: PeerJsonSource = {
  public_key: 'k'.repeat(43) + '=',
  name: 'Phone',
  allowed_ip: '10.8.0.2/32',
  status: 'active',
  restriction_reason: null,
  restricted_at: null,
  private_key: 'secret-private',
  preshared_key: 'secret-psk',
  dns: null,
  mtu: null,
  keepalive: null,
  endpoint_allowed_ip: '0.0.0.0/0',
  endpoint: '192.0.2.7:51000',
  latest_handshake_at: new Date('2026-11-27T11:59:00Z'),
  traffic_limit: 10n * 1024n ** 3n,
  expiry_date: new Date('2026-11-30T12:00:01Z'),
  traffic_warn_threshold: 80,
  reset_schedule: 'monthly',
  reset_anchor: 1,
  download_bps: 10_000_000n,
  upload_bps: null,
  on_limit: 'restrict',
  throttle_download_bps: null,
  throttle_upload_bps: null,
  throttled_at: null,
  download_limit: null,
  upload_limit: null,
  daily_limit: null,
  day_rx: 0n,
  day_tx: 0n,
  day_started_at: null,
  period_started_at: new Date('2026-11-01T00:00:00Z'),
  period_rx: 6n * 1024n ** 3n,
  period_tx: 3n * 1024n ** 3n,
  lifetime_rx: 9_007_199_254_740_000n,
  lifetime_tx: 0n,
  subscriber_id: null,
  restricted_by_subscriber: false,
  created_at: new Date('2026-10-01T00:00:00Z'),
};
const now = new Date('2026-11-27T12:00:00Z');

describe('peer JSON', () => {
  it('computes the seed values from the ledger columns and never carries a secret', () => {
    const json = toPeerJson(row, now);
    expect(json).toMatchObject({
      id: row.public_key,
      has_private_key: true,
      has_preshared_key: true,
      usage_total: 9 * 1024 ** 3,
      usage_percentage: 90,
      traffic_limit_exceeded: false,
      traffic_limit_warning: true,
      expired: false,
      days_until_expiry: 4,
      total_receive: 6,
      total_sent: 3,
      total_data: 9,
      lifetime_rx: 9_007_199_254_740_000,
      latest_handshake: '2026-11-27T11:59:00.000Z',
      expiry_date: '2026-11-30T12:00:01.000Z',
    });
    expect(JSON.stringify(json)).not.toMatch(/secret/);
  });

  it('reports an expired peer over its limit', () => {
    const json = toPeerJson(
      { ...row, traffic_limit: 0n, expiry_date: new Date('2026-11-27T12:00:00Z') },
      now,
    );
    expect(json).toMatchObject({
      usage_percentage: 100,
      traffic_limit_exceeded: true,
      expired: true,
      days_until_expiry: 0,
    });
  });

  it('shows a throttled peer as throttled, with its throttle and granular quotas', () => {
    const json = toPeerJson(
      {
        ...row,
        on_limit: 'throttle',
        throttle_download_bps: 1_000_000n,
        throttle_upload_bps: 500_000n,
        throttled_at: new Date('2026-11-27T11:00:00Z'),
        download_limit: 5n * 1024n ** 3n,
        daily_limit: 1024n ** 3n,
        day_rx: 100n,
        day_tx: 23n,
        day_started_at: new Date('2026-11-27T00:00:00Z'),
      },
      now,
    );
    expect(json).toMatchObject({
      status: 'throttled',
      on_limit: 'throttle',
      throttle_download_bps: 1_000_000,
      throttle_upload_bps: 500_000,
      throttled_at: '2026-11-27T11:00:00.000Z',
      download_limit: 5 * 1024 ** 3,
      upload_limit: null,
      daily_limit: 1024 ** 3,
      day_usage: 123,
    });
  });
});
