import type { PeerMetricsSource, PeerSeriesRow } from '../../../app/usage/usage-metrics.js';
import type { RestrictionReason } from '../../../domain/vocabulary.js';
import type { DatabaseHandle } from '../open-database.js';
import { toSafeNumber } from '../values.js';

/** Peers per query of a scrape's read (short queries: the connection is free in between). */
const BATCH = 2000;

/** Reads what /metrics shows of the peers: every peer by id in batches, names, counts. */
export function createUsageMetricsStore(handle: DatabaseHandle): PeerMetricsSource {
  const db = handle.db;
  return {
    async *peerBatches(): AsyncGenerator<PeerSeriesRow[]> {
      for (let after = 0; ;) {
        const rows = await db
          .selectFrom('peers')
          .select([
            'id',
            'configuration_id',
            'public_key',
            'name',
            'period_rx',
            'period_tx',
            'traffic_limit',
            'expiry_date',
          ])
          .where('id', '>', after)
          .orderBy('id')
          .limit(BATCH)
          .execute();
        if (rows.length > 0) yield rows;
        if (rows.length < BATCH) return;
        after = (rows[rows.length - 1] as PeerSeriesRow).id;
      }
    },

    async configurationNames() {
      const rows = await db.selectFrom('configurations').select(['id', 'name']).execute();
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    async restrictedByReason() {
      const rows = await db
        .selectFrom('peers')
        .select(['restriction_reason', (eb) => eb.fn.countAll().as('n')])
        .where('restriction_reason', 'is not', null)
        .groupBy('restriction_reason')
        .execute();
      return new Map(
        rows.map((r) => [r.restriction_reason as RestrictionReason, toSafeNumber(r.n, 'count')]),
      );
    },
  };
}
