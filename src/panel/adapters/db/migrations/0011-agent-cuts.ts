import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead.

/**
 * `agent_cuts`: the ids of the agents' enforcement records (peers a node cut on its own while the
 * panel was away) that the panel has recorded, until the agent confirms it forgot them. A record
 * seen again (its acknowledgement was lost) is then acknowledged without being counted twice.
 */
export const agentCuts: SchemaMigration = {
  name: '0011_agent_cuts',

  async up(db, ddl) {
    await ddl
      .finishTable(
        db.schema
          .createTable('agent_cuts')
          .addColumn('configuration_id', 'integer', (c) => c.notNull())
          .addColumn('record_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('applied_at', ddl.timestamp, (c) => c.notNull())
          .addPrimaryKeyConstraint('agent_cuts_pkey', ['configuration_id', 'record_id'])
          .addForeignKeyConstraint(
            'agent_cuts_configuration_id_fkey',
            ['configuration_id'],
            'configurations',
            ['id'],
            (f) => f.onDelete('cascade'),
          ),
      )
      .execute();
  },

  async down(db) {
    await db.schema.dropTable('agent_cuts').execute();
  },
};
