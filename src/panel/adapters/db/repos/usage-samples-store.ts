import type { ConfigurationSamples } from '../../../app/usage/configuration-series.js';
import type { SamplesStore } from '../../../app/usage/samples-ports.js';
import { bulkWriterFor } from '../dialects/bulk-sql.js';
import type { DatabaseHandle } from '../open-database.js';
import type { TrafficInterval } from '../../../domain/vocabulary.js';
import type { UsageSampleTableName } from '../schema/usage-samples-table.js';
import { toBigInt } from '../values.js';

const spec = (table: UsageSampleTableName) =>
  ({
    table,
    key: [
      { name: 'peer_id', type: 'integer' },
      { name: 'bucket_start', type: 'timestamp' },
    ],
    add: [
      { name: 'rx', type: 'bigint' },
      { name: 'tx', type: 'bigint' },
    ],
  }) as const;
/** The table of each resolution the app speaks of. */
const TABLES = {
  minute: 'peer_usage_minute',
  hour: 'peer_usage_hour',
  day: 'peer_usage_day',
} as const satisfies Record<TrafficInterval, UsageSampleTableName>;
const SPECS = {
  minute: spec(TABLES.minute),
  hour: spec(TABLES.hour),
  day: spec(TABLES.day),
};

/** The usage time series on the panel database. */
export function createSamplesStore(handle: DatabaseHandle): SamplesStore & ConfigurationSamples {
  const bulk = bulkWriterFor(handle.dialect.name);
  const db = handle.db;
  return {
    async read(resolution, scope, from, to) {
      const table = TABLES[resolution];
      let q = db
        .selectFrom(table)
        .select(['peer_id', 'bucket_start', 'rx', 'tx'])
        .where('bucket_start', '>=', from)
        .where('bucket_start', '<', to);
      q =
        'peerId' in scope
          ? q.where('peer_id', '=', scope.peerId)
          : q.where('peer_id', 'in', (eb) =>
              eb
                .selectFrom('peers')
                .select('id')
                .where('configuration_id', '=', scope.configurationId),
            );
      const rows = await q.orderBy('peer_id').orderBy('bucket_start').execute();
      return rows.map((r) => ({
        peerId: r.peer_id,
        bucketStart: r.bucket_start,
        rx: r.rx,
        tx: r.tx,
      }));
    },
    async sums(resolution, from, to) {
      const table = TABLES[resolution];
      const rows = await db
        .selectFrom(table)
        .select((eb) => [
          'peer_id',
          eb.fn.sum<string | number | bigint>('rx').as('rx'),
          eb.fn.sum<string | number | bigint>('tx').as('tx'),
        ])
        .where('bucket_start', '>=', from)
        .where('bucket_start', '<', to)
        .groupBy('peer_id')
        .execute();
      return rows.map((r) => ({
        peerId: r.peer_id,
        bucketStart: from,
        rx: toBigInt(r.rx, 'sum(rx)'),
        tx: toBigInt(r.tx, 'sum(tx)'),
      }));
    },
    async configurationSums(resolution, from, to, configurationId) {
      const table = TABLES[resolution];
      // One row per configuration and stored bucket: the database sums the peers' rows (a
      // sparkline of every configuration is one query per samples table, not one per peer).
      let q = db
        .selectFrom(table)
        .innerJoin('peers', 'peers.id', `${table}.peer_id`)
        .select((eb) => [
          'peers.configuration_id as configuration_id',
          `${table}.bucket_start as bucket_start`,
          eb.fn.sum<string | number | bigint>(`${table}.rx`).as('rx'),
          eb.fn.sum<string | number | bigint>(`${table}.tx`).as('tx'),
        ])
        .where(`${table}.bucket_start`, '>=', from)
        .where(`${table}.bucket_start`, '<', to);
      if (configurationId !== undefined)
        q = q.where('peers.configuration_id', '=', configurationId);
      const rows = await q
        .groupBy(['peers.configuration_id', `${table}.bucket_start`])
        .orderBy('peers.configuration_id')
        .orderBy(`${table}.bucket_start`)
        .execute();
      return rows.map((r) => ({
        configurationId: r.configuration_id,
        bucketStart: r.bucket_start,
        rx: toBigInt(r.rx, 'sum(rx)'),
        tx: toBigInt(r.tx, 'sum(tx)'),
      }));
    },
    async addRollup(resolution, rows, key, done) {
      await db.transaction().execute(async (trx) => {
        await bulk.upsertAdd(
          trx,
          SPECS[resolution],
          rows.map((r) => [r.peerId, r.bucketStart, r.rx, r.tx]),
        );
        await trx.deleteFrom('settings').where('key', '=', key).execute();
        await trx
          .insertInto('settings')
          .values({ key, value: done.toISOString(), updated_at: done })
          .execute();
      });
    },
    async earliest(resolution) {
      const table = TABLES[resolution];
      const row = await db
        .selectFrom(table)
        .select('bucket_start')
        .orderBy('bucket_start')
        .limit(1)
        .executeTakeFirst();
      return row?.bucket_start ?? null;
    },
    async watermark(key) {
      const row = await db
        .selectFrom('settings')
        .select('value')
        .where('key', '=', key)
        .executeTakeFirst();
      if (!row) return null;
      const d = new Date(row.value);
      return Number.isNaN(d.getTime()) ? null : d;
    },
    async deleteBefore(resolution, before) {
      const table = TABLES[resolution];
      const result = await db
        .deleteFrom(table)
        .where('bucket_start', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
