import { sql, type ColumnDefinitionBuilder } from 'kysely';
import { ON_LIMIT_ACTIONS } from '../../../domain/vocabulary.js';
import { valuesIn } from './check-values.js';
import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead. (Its list comes from the domain
// through valuesIn, as of its release: a later change to it is a new migration.)

/**
 * On `peers` (issue 15): what happens over a byte quota (`on_limit`: restrict | throttle) and the
 * throttle speeds (bit/s); `throttled_at` while the peer is slowed down (it stays `active`: on its
 * node); the granular quotas (`download_limit` = the node's tx, `upload_limit` = the node's rx,
 * per period; `daily_limit` = rx + tx per calendar day), the day's usage and when the day began,
 * and one warning flag per quota.
 */
export const peerThrottleGranularLimits: SchemaMigration = {
  name: '0015_peer_throttle_granular_limits',

  // One column per statement: SQLite alters one at a time.
  async up(db, ddl) {
    type Build = (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
    const add = (
      name: string,
      type: 'bigint' | 'boolean' | 'varchar(16)' | 'timestamp',
      build: Build = (c) => c,
    ) =>
      db.schema
        .alterTable('peers')
        .addColumn(name, type === 'timestamp' ? ddl.timestamp : type, build)
        .execute();
    await add('on_limit', 'varchar(16)', (c) =>
      c.notNull().defaultTo('restrict').check(valuesIn('on_limit', ON_LIMIT_ACTIONS)),
    );
    for (const column of ['throttle_download_bps', 'throttle_upload_bps'])
      await add(column, 'bigint', (c) =>
        c.check(sql`${sql.ref(column)} is null or ${sql.ref(column)} > 0`),
      );
    await add('throttled_at', 'timestamp');
    for (const column of ['download_limit', 'upload_limit', 'daily_limit'])
      await add(column, 'bigint', (c) =>
        c.check(sql`${sql.ref(column)} is null or ${sql.ref(column)} >= 0`),
      );
    for (const column of ['day_rx', 'day_tx'])
      await add(column, 'bigint', (c) =>
        c
          .notNull()
          .defaultTo(0)
          .check(sql`${sql.ref(column)} >= 0`),
      );
    await add('day_started_at', 'timestamp');
    for (const column of ['download_warned', 'upload_warned', 'daily_warned'])
      await add(column, 'boolean', (c) => c.notNull().defaultTo(false));
  },

  async down(db) {
    for (const column of [
      'daily_warned',
      'upload_warned',
      'download_warned',
      'day_started_at',
      'day_tx',
      'day_rx',
      'daily_limit',
      'upload_limit',
      'download_limit',
      'throttled_at',
      'throttle_upload_bps',
      'throttle_download_bps',
      'on_limit',
    ])
      await db.schema.alterTable('peers').dropColumn(column).execute();
  },
};
