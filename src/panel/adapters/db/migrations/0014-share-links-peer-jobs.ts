import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead.

/**
 * `peer_share_links`: WGDashboard 4.3's share links (sharePeer/create, /update, /get and the page
 * `/share?ShareID=`): a random id (a uuid, a secret: it opens the peer's client config without
 * sign-in) for one peer, until `expire_date` (null = never). Deleting the peer deletes its links.
 *
 * `peer_jobs`: 4.3's peer jobs that are not a view of the peer's quota (`total_receive`,
 * `total_sent`, the `lst`/`eq`/`neq` operators, the `delete` and `reset_total_data_usage`
 * actions): one row per job, run once by the panel's enforcement loop, then `finished_at` set
 * (4.3's ExpireDate). Deleting the peer deletes its jobs; their log lines stay.
 */
export const shareLinksPeerJobs: SchemaMigration = {
  name: '0014_share_links_peer_jobs',

  async up(db, ddl) {
    await ddl
      .finishTable(
        db.schema
          .createTable('peer_share_links')
          .addColumn('share_id', 'varchar(36)', (c) => c.notNull().primaryKey())
          .addColumn('peer_id', 'integer', (c) => c.notNull())
          .addColumn('expire_date', ddl.timestamp)
          .addColumn('shared_date', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addForeignKeyConstraint(
            'peer_share_links_peer_id_fkey',
            ['peer_id'],
            'peers',
            ['id'],
            (f) => f.onDelete('cascade'),
          ),
      )
      .execute();
    await db.schema
      .createIndex('peer_share_links_peer_id_idx')
      .on('peer_share_links')
      .column('peer_id')
      .execute();
    await ddl
      .finishTable(
        db.schema
          .createTable('peer_jobs')
          .addColumn('job_id', 'varchar(128)', (c) => c.notNull().primaryKey())
          .addColumn('peer_id', 'integer', (c) => c.notNull())
          .addColumn('field', 'varchar(16)', (c) => c.notNull())
          .addColumn('operator', 'varchar(8)', (c) => c.notNull())
          .addColumn('value', 'varchar(64)', (c) => c.notNull())
          .addColumn('action', 'varchar(32)', (c) => c.notNull())
          .addColumn('created_at', ddl.timestamp, (c) => c.notNull())
          .addColumn('finished_at', ddl.timestamp)
          .addForeignKeyConstraint('peer_jobs_peer_id_fkey', ['peer_id'], 'peers', ['id'], (f) =>
            f.onDelete('cascade'),
          ),
      )
      .execute();
    await db.schema
      .createIndex('peer_jobs_peer_id_idx')
      .on('peer_jobs')
      .column('peer_id')
      .execute();
  },

  async down(db) {
    await db.schema.dropTable('peer_jobs').execute();
    await db.schema.dropTable('peer_share_links').execute();
  },
};
