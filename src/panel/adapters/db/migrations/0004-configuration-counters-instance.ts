import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead.

/**
 * `configurations.counters_instance`: the incarnation of the node's interface (the agent's dump
 * `interface.instance`) that the peers' raw counters (`last_raw_rx/tx`) were read from. When a
 * poll sees another one, the interface was re-created and every raw counter restarted from zero.
 */
export const configurationCountersInstance: SchemaMigration = {
  name: '0004_configuration_counters_instance',

  async up(db) {
    await db.schema
      .alterTable('configurations')
      .addColumn('counters_instance', 'varchar(32)')
      .execute();
  },

  async down(db) {
    await db.schema.alterTable('configurations').dropColumn('counters_instance').execute();
  },
};
