import type { PeerMetricsRow, PeerMetricsSource } from '../../../app/usage/usage-metrics.js';
import type { DatabaseHandle } from '../open-database.js';

/** Reads every peer's usage figures (one query per scrape). */
export function createUsageMetricsStore(handle: DatabaseHandle): PeerMetricsSource {
  return {
    peers: (): Promise<PeerMetricsRow[]> =>
      handle.db
        .selectFrom('peers')
        .innerJoin('configurations', 'configurations.id', 'peers.configuration_id')
        .select([
          'configurations.name as configuration',
          'peers.public_key',
          'peers.name',
          'peers.restriction_reason',
          'peers.period_rx',
          'peers.period_tx',
          'peers.traffic_limit',
          'peers.expiry_date',
        ])
        .execute(),
  };
}
