import { sql } from 'kysely';
import { NAME_SORT_KEY_LENGTH } from '../../../domain/name-sort-key.js';
import { RESTRICTION_REASONS, SUBSCRIBER_STATUSES } from '../../../domain/vocabulary.js';
import { valuesIn } from './check-values.js';
import type { ReferenceColumn } from '../dialects/sql-dialect.js';
import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead. (Its lists come from the domain
// through valuesIn, as of its release: a later change to them is a new migration.)

const PEER_SUBSCRIBER: ReferenceColumn = {
  table: 'peers',
  column: 'subscriber_id',
  refTable: 'subscribers',
  onDelete: 'set null',
  constraint: 'peers_subscriber_id_fkey',
  index: 'peers_subscriber_id_idx',
};

/**
 * Subscribers (one customer: peers on many nodes, one quota, one date, one link), their events,
 * and on `peers`: the subscriber it belongs to, the peer's lifetime counters when the
 * subscriber's period began or the peer joined it (`subscriber_base_rx/tx`: its usage in the
 * subscriber's period is lifetime − base, so the ingest writes nothing more), and whether its
 * restriction is its subscriber's.
 */
export const subscribers: SchemaMigration = {
  name: '0013_subscribers',

  async up(db, ddl) {
    await ddl
      .finishTable(
        ddl
          .addIdColumn(db.schema.createTable('subscribers'))
          .addColumn('name', 'varchar(255)', (c) => c.notNull())
          .addColumn('name_sort_key', ddl.bytewiseText(NAME_SORT_KEY_LENGTH), (c) =>
            c.notNull().defaultTo(''),
          )
          .addColumn('email', 'varchar(255)')
          .addColumn('telegram_chat_id', 'varchar(64)')
          .addColumn('note', 'text')
          .addColumn('token', 'varchar(255)', (c) => c.notNull())
          .addColumn('token_hash', 'varchar(64)', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('active'))
          .addColumn('restriction_reason', 'varchar(16)')
          .addColumn('restricted_at', ddl.timestamp)
          .addColumn('traffic_limit', 'bigint')
          .addColumn('expiry_date', ddl.timestamp)
          .addColumn('traffic_warn_threshold', 'integer', (c) => c.notNull().defaultTo(80))
          .addColumn('reset_schedule', 'varchar(16)', (c) => c.notNull().defaultTo('none'))
          .addColumn('reset_anchor', 'integer')
          .addColumn('on_hold_days', 'integer')
          .addColumn('activated_at', ddl.timestamp)
          .addColumn('period_started_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addColumn('carried_rx', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('carried_tx', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('traffic_warned', 'boolean', (c) => c.notNull().defaultTo(false))
          .addColumn('expiry_warned_for', ddl.timestamp)
          .addColumn('created_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addColumn('updated_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addUniqueConstraint('subscribers_name_key', ['name'])
          .addUniqueConstraint('subscribers_token_hash_key', ['token_hash'])
          .addCheckConstraint('subscribers_status_check', valuesIn('status', SUBSCRIBER_STATUSES))
          .addCheckConstraint(
            'subscribers_restriction_check',
            sql`(status <> 'restricted' and restriction_reason is null) or (status = 'restricted' and restriction_reason is not null and ${valuesIn('restriction_reason', RESTRICTION_REASONS)})`,
          )
          .addCheckConstraint(
            'subscribers_threshold_check',
            sql`traffic_warn_threshold between 1 and 100`,
          )
          .addCheckConstraint(
            'subscribers_reset_check',
            sql`(reset_schedule in ('none', 'daily') and reset_anchor is null) or (reset_schedule = 'weekly' and (reset_anchor is null or reset_anchor between 1 and 7)) or (reset_schedule = 'monthly' and (reset_anchor is null or reset_anchor between 1 and 31))`,
          )
          .addCheckConstraint(
            'subscribers_bytes_check',
            sql`(traffic_limit is null or traffic_limit >= 0) and carried_rx >= 0 and carried_tx >= 0`,
          )
          .addCheckConstraint(
            'subscribers_on_hold_check',
            sql`on_hold_days is null or on_hold_days between 1 and 3650`,
          ),
      )
      .execute();
    await db.schema
      .createIndex('subscribers_name_sort_idx')
      .on('subscribers')
      .columns(['name_sort_key', 'id'])
      .execute();
    await db.schema
      .createIndex('subscribers_expiry_date_idx')
      .on('subscribers')
      .column('expiry_date')
      .execute();

    await ddl
      .finishTable(
        ddl
          .addIdColumn(db.schema.createTable('subscriber_events'))
          .addColumn('type', 'varchar(32)', (c) => c.notNull())
          .addColumn('subscriber_id', 'integer')
          .addColumn('subscriber_name', 'varchar(255)')
          .addColumn('message', 'text')
          .addColumn('data', 'text')
          .addColumn('created_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addForeignKeyConstraint(
            'subscriber_events_subscriber_id_fkey',
            ['subscriber_id'],
            'subscribers',
            ['id'],
            (f) => f.onDelete('set null'),
          ),
      )
      .execute();
    await db.schema
      .createIndex('subscriber_events_subscriber_id_created_at_idx')
      .on('subscriber_events')
      .columns(['subscriber_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('subscriber_events_created_at_idx')
      .on('subscriber_events')
      .column('created_at')
      .execute();

    await ddl.addReferenceColumn(db, PEER_SUBSCRIBER);
    // One column per statement: SQLite alters one at a time.
    await db.schema
      .alterTable('peers')
      .addColumn('subscriber_base_rx', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('peers')
      .addColumn('subscriber_base_tx', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('peers')
      .addColumn('restricted_by_subscriber', 'boolean', (c) => c.notNull().defaultTo(false))
      .execute();
  },

  async down(db, ddl) {
    for (const column of ['restricted_by_subscriber', 'subscriber_base_tx', 'subscriber_base_rx'])
      await db.schema.alterTable('peers').dropColumn(column).execute();
    await ddl.dropReferenceColumn(db, PEER_SUBSCRIBER);
    await db.schema.dropTable('subscriber_events').execute();
    await db.schema.dropTable('subscribers').execute();
  },
};
