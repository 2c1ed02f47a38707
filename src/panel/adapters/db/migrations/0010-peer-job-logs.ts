import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead.

/**
 * `peer_job_logs`: the log of WGDashboard 4.3's peer jobs (savePeerScheduleJob,
 * deletePeerScheduleJob), read by getPeerScheduleJobLogs. A job is a view of the peer's traffic
 * limit or expiry date; only what was said about it is stored here.
 */
export const peerJobLogs: SchemaMigration = {
  name: '0010_peer_job_logs',

  async up(db, ddl) {
    await ddl
      .finishTable(
        ddl
          .addIdColumn(db.schema.createTable('peer_job_logs'))
          .addColumn('configuration_id', 'integer', (c) => c.notNull())
          .addColumn('job_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('status', 'boolean', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('created_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addForeignKeyConstraint(
            'peer_job_logs_configuration_id_fkey',
            ['configuration_id'],
            'configurations',
            ['id'],
            (f) => f.onDelete('cascade'),
          ),
      )
      .execute();
    await db.schema
      .createIndex('peer_job_logs_configuration_id_created_at_idx')
      .on('peer_job_logs')
      .columns(['configuration_id', 'created_at'])
      .execute();
  },

  async down(db) {
    await db.schema.dropTable('peer_job_logs').execute();
  },
};
