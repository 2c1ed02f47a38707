import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { SqlDdl } from '../dialects/sql-dialect.js';
import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead.

const SAMPLE_TABLES = ['peer_usage_minute', 'peer_usage_hour', 'peer_usage_day'] as const;
const EVENT_FILTERS = ['peer_id', 'configuration_id', 'node_id', 'type'] as const;

/** Stored peer events, and per-peer usage time series at three resolutions. */
export const peerEventsUsageSamples: SchemaMigration = {
  name: '0003_peer_events_usage_samples',

  async up(db, ddl) {
    await ddl
      .finishTable(
        ddl
          .addIdColumn(db.schema.createTable('peer_events'))
          .addColumn('type', 'varchar(32)', (c) => c.notNull())
          .addColumn('peer_id', 'integer')
          .addColumn('configuration_id', 'integer')
          .addColumn('node_id', 'integer')
          .addColumn('peer_name', 'varchar(255)')
          .addColumn('peer_public_key', 'varchar(64)')
          .addColumn('message', 'text')
          .addColumn('data', 'text')
          .addColumn('created_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addForeignKeyConstraint('peer_events_peer_id_fkey', ['peer_id'], 'peers', ['id'], (f) =>
            f.onDelete('set null'),
          )
          .addForeignKeyConstraint(
            'peer_events_configuration_id_fkey',
            ['configuration_id'],
            'configurations',
            ['id'],
            (f) => f.onDelete('set null'),
          )
          .addForeignKeyConstraint('peer_events_node_id_fkey', ['node_id'], 'nodes', ['id'], (f) =>
            f.onDelete('set null'),
          ),
      )
      .execute();
    await db.schema
      .createIndex('peer_events_created_at_idx')
      .on('peer_events')
      .column('created_at')
      .execute();
    for (const column of EVENT_FILTERS) {
      await db.schema
        .createIndex(`peer_events_${column}_created_at_idx`)
        .on('peer_events')
        .columns([column, 'created_at'])
        .execute();
    }

    for (const table of SAMPLE_TABLES) await createSampleTable(db, ddl, table);
  },

  async down(db) {
    for (const table of [...SAMPLE_TABLES].reverse()) await db.schema.dropTable(table).execute();
    await db.schema.dropTable('peer_events').execute();
  },
};

async function createSampleTable(db: Kysely<unknown>, ddl: SqlDdl, table: string): Promise<void> {
  await ddl
    .finishTable(
      db.schema
        .createTable(table)
        .addColumn('peer_id', 'integer', (c) => c.notNull())
        .addColumn('bucket_start', ddl.timestamp, (c) => c.notNull())
        .addColumn('rx', 'bigint', (c) => c.notNull())
        .addColumn('tx', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table}_pkey`, ['peer_id', 'bucket_start'])
        .addCheckConstraint(`${table}_bytes_check`, sql`rx >= 0 and tx >= 0`)
        .addForeignKeyConstraint(`${table}_peer_id_fkey`, ['peer_id'], 'peers', ['id'], (f) =>
          f.onDelete('cascade'),
        ),
    )
    .execute();
  await db.schema
    .createIndex(`${table}_bucket_start_idx`)
    .on(table)
    .column('bucket_start')
    .execute();
}
