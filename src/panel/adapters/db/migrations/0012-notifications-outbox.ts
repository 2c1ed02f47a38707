import { sql } from 'kysely';
import { DELIVERY_CHANNELS } from '../../../domain/vocabulary.js';
import { valuesIn } from './check-values.js';
import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead.

/**
 * Webhooks (WGDashboard 4.3's fields, plus a write-only secret) and the notification outbox: one
 * `notification_deliveries` row per event and target (a webhook, an e-mail address, a Telegram
 * chat), written in the transaction of the event, and one `notification_attempts` row per try.
 */
export const notificationsOutbox: SchemaMigration = {
  name: '0012_notifications_outbox',

  async up(db, ddl) {
    await ddl
      .finishTable(
        db.schema
          .createTable('webhooks')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('payload_url', 'text', (c) => c.notNull())
          .addColumn('content_type', 'varchar(64)', (c) => c.notNull())
          .addColumn('headers', 'text', (c) => c.notNull())
          .addColumn('verify_ssl', 'boolean', (c) => c.notNull())
          .addColumn('subscribed_actions', 'text', (c) => c.notNull())
          .addColumn('is_active', 'boolean', (c) => c.notNull())
          .addColumn('notes', 'text', (c) => c.notNull())
          .addColumn('secret', 'text')
          .addColumn('created_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now)),
      )
      .execute();

    await ddl
      .finishTable(
        db.schema
          .createTable('notification_deliveries')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('event_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('action', 'varchar(48)', (c) => c.notNull())
          .addColumn('channel', 'varchar(16)', (c) => c.notNull())
          // 'webhook:<id>', 'email:<address>', 'telegram:<chat id>': one delivery per event and target.
          .addColumn('target', 'varchar(400)', (c) => c.notNull())
          .addColumn('webhook_id', 'varchar(64)')
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('status', 'smallint', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', ddl.timestamp, (c) => c.notNull())
          .addColumn('lease_owner', 'varchar(64)')
          .addColumn('lease_until', ddl.timestamp)
          .addColumn('created_at', ddl.timestamp, (c) => c.notNull())
          .addColumn('finished_at', ddl.timestamp)
          .addUniqueConstraint('notification_deliveries_event_target_key', ['event_id', 'target'])
          .addCheckConstraint(
            'notification_deliveries_channel_check',
            valuesIn('channel', DELIVERY_CHANNELS),
          )
          .addCheckConstraint(
            'notification_deliveries_status_check',
            sql`status in (-1, 0, 1) and attempts >= 0`,
          )
          .addForeignKeyConstraint(
            'notification_deliveries_webhook_id_fkey',
            ['webhook_id'],
            'webhooks',
            ['id'],
            (f) => f.onDelete('cascade'),
          ),
      )
      .execute();
    // The deliverer's claim: pending rows by due time.
    await db.schema
      .createIndex('notification_deliveries_due_idx')
      .on('notification_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
    // getWebHookSessions: a webhook's sessions, newest first.
    await db.schema
      .createIndex('notification_deliveries_webhook_idx')
      .on('notification_deliveries')
      .columns(['webhook_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('notification_deliveries_channel_idx')
      .on('notification_deliveries')
      .columns(['channel', 'created_at'])
      .execute();

    await ddl
      .finishTable(
        ddl
          .addIdColumn(db.schema.createTable('notification_attempts'))
          .addColumn('delivery_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('at', ddl.timestamp, (c) => c.notNull())
          .addColumn('status', 'smallint', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addForeignKeyConstraint(
            'notification_attempts_delivery_id_fkey',
            ['delivery_id'],
            'notification_deliveries',
            ['id'],
            (f) => f.onDelete('cascade'),
          ),
      )
      .execute();
    await db.schema
      .createIndex('notification_attempts_delivery_idx')
      .on('notification_attempts')
      .columns(['delivery_id', 'id'])
      .execute();
  },

  async down(db) {
    await db.schema.dropTable('notification_attempts').execute();
    await db.schema.dropTable('notification_deliveries').execute();
    await db.schema.dropTable('webhooks').execute();
  },
};
