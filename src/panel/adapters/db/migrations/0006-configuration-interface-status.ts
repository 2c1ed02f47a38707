import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead.

/**
 * `configurations.interface_status`: what the last poll found of the node's interface (`up`,
 * `missing`); null until a poll told. Stored so that the `interface_missing` / `interface_back`
 * events are recorded once per transition, also across panel restarts.
 */
export const configurationInterfaceStatus: SchemaMigration = {
  name: '0006_configuration_interface_status',

  async up(db) {
    await db.schema
      .alterTable('configurations')
      .addColumn('interface_status', 'varchar(16)')
      .execute();
  },

  async down(db) {
    await db.schema.alterTable('configurations').dropColumn('interface_status').execute();
  },
};
