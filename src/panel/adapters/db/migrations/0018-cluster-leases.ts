import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead.

/**
 * Several panels on one database. `cluster_panels`: every running panel process, with its last
 * heartbeat (renewed at each lease pass); a panel whose heartbeat is older than a lease is not
 * counted when the nodes are shared out. `cluster_leases`: one row per leased resource (`node:ID`
 * for a node's polling and writes, `job:NAME` for work done once per cluster): its holder, its
 * expiry, and a fencing token that grows by one at every acquisition. Writes made for a node
 * check, in their own transaction, that the writer still holds the token it polled with.
 */
export const clusterLeases: SchemaMigration = {
  name: '0018_cluster_leases',

  async up(db, ddl) {
    await ddl
      .finishTable(
        db.schema
          .createTable('cluster_panels')
          .addColumn('panel_id', 'varchar(64)', (c) => c.notNull().primaryKey())
          .addColumn('host', 'varchar(255)', (c) => c.notNull())
          .addColumn('started_at', ddl.timestamp, (c) => c.notNull())
          .addColumn('heartbeat_at', ddl.timestamp, (c) => c.notNull()),
      )
      .execute();
    await ddl
      .finishTable(
        db.schema
          .createTable('cluster_leases')
          .addColumn('resource', 'varchar(64)', (c) => c.notNull().primaryKey())
          .addColumn('panel_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('token', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', ddl.timestamp, (c) => c.notNull()),
      )
      .execute();
  },

  async down(db) {
    await db.schema.dropTable('cluster_leases').execute();
    await db.schema.dropTable('cluster_panels').execute();
  },
};
