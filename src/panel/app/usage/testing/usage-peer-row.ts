import type { UsagePeerRow } from '../usage-row.js';

/** A peer row for unit tests: active, no limit, no expiry, 1 kB used this period; `over` wins. */
export const usagePeerRow = (id: number, over: Partial<UsagePeerRow> = {}): UsagePeerRow => ({
  id,
  configuration_id: 1,
  node_id: 1,
  name: `peer ${id}`,
  public_key: `key-${id}`,
  status: 'active',
  restriction_reason: null,
  traffic_limit: null,
  expiry_date: null,
  traffic_warn_threshold: 80,
  reset_schedule: 'none',
  reset_anchor: null,
  last_raw_rx: 0n,
  last_raw_tx: 0n,
  period_rx: 600n,
  period_tx: 400n,
  period_started_at: new Date('2026-11-01T00:00:00Z'),
  traffic_warned: false,
  expiry_warned_for: null,
  endpoint: null,
  latest_handshake_at: null,
  ...over,
});
