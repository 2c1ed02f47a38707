import { sql, type ColumnDefinitionBuilder } from 'kysely';
import { ON_LIMIT_ACTIONS } from '../../../domain/vocabulary.js';
import { valuesIn } from './check-values.js';
import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead. (Its list comes from the domain
// through valuesIn, as of its release: a later change to it is a new migration.)

/** The subscriber's columns of issue 15 (as on peers, migrations 0009 and 0015), one statement each. */
const SUBSCRIBER_COLUMNS = [
  'download_bps',
  'upload_bps',
  'on_limit',
  'throttle_download_bps',
  'throttle_upload_bps',
  'throttled_at',
  'download_limit',
  'upload_limit',
  'daily_limit',
  'day_started_at',
  'day_carried',
  'download_warned',
  'upload_warned',
  'daily_warned',
] as const;

/**
 * On `subscribers` (issue 15): speed limits applied to each of its peers (bit/s), what happens
 * over a byte quota (`on_limit`) with the throttle speeds, `throttled_at` while its peers are
 * slowed down (it stays `active`), the granular quotas over its peers' sums (`download_limit` =
 * the nodes' tx, `upload_limit` = their rx, per period; `daily_limit` = rx + tx per calendar day),
 * when its day began, the day's bytes of peers that left it during the day (`day_carried`), and
 * one warning flag per quota. On `peers`: `subscriber_day_base`, the peer's lifetime rx + tx when
 * its subscriber's day began or it joined (its bytes in the subscriber's day are lifetime − base,
 * so the ingest writes nothing more).
 */
export const subscriberSpeedGranularLimits: SchemaMigration = {
  name: '0021_subscriber_speed_granular_limits',

  async up(db, ddl) {
    type Build = (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
    const add = (
      column: (typeof SUBSCRIBER_COLUMNS)[number],
      type: 'bigint' | 'boolean' | 'varchar(16)' | 'timestamp',
      build: Build = (c) => c,
    ) =>
      db.schema
        .alterTable('subscribers')
        .addColumn(column, type === 'timestamp' ? ddl.timestamp : type, build)
        .execute();
    for (const column of ['download_bps', 'upload_bps'] as const) await add(column, 'bigint');
    await add('on_limit', 'varchar(16)', (c) =>
      c.notNull().defaultTo('restrict').check(valuesIn('on_limit', ON_LIMIT_ACTIONS)),
    );
    for (const column of ['throttle_download_bps', 'throttle_upload_bps'] as const)
      await add(column, 'bigint', (c) =>
        c.check(sql`${sql.ref(column)} is null or ${sql.ref(column)} > 0`),
      );
    await add('throttled_at', 'timestamp');
    for (const column of ['download_limit', 'upload_limit', 'daily_limit'] as const)
      await add(column, 'bigint', (c) =>
        c.check(sql`${sql.ref(column)} is null or ${sql.ref(column)} >= 0`),
      );
    await add('day_started_at', 'timestamp');
    await add('day_carried', 'bigint', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`day_carried >= 0`),
    );
    for (const column of ['download_warned', 'upload_warned', 'daily_warned'] as const)
      await add(column, 'boolean', (c) => c.notNull().defaultTo(false));
    await db.schema
      .alterTable('peers')
      .addColumn('subscriber_day_base', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
  },

  async down(db) {
    await db.schema.alterTable('peers').dropColumn('subscriber_day_base').execute();
    for (const column of [...SUBSCRIBER_COLUMNS].reverse())
      await db.schema.alterTable('subscribers').dropColumn(column).execute();
  },
};
