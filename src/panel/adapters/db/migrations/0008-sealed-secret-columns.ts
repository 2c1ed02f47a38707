import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead.

/**
 * `peers.private_key`, `peers.preshared_key` and `nodes.token` become `text`: they hold sealed
 * values from now on (`enc:v1:…`, AES-256-GCM, about twice as long as the clear value; the
 * adapter's secrets/ folder). The sealing itself runs at every start, after the migrations: it
 * needs the key file, which a migration cannot see. This step also makes an older panel refuse
 * the database (it does not know this migration) instead of handing out sealed text as keys.
 */
export const sealedSecretColumns: SchemaMigration = {
  name: '0008_sealed_secret_columns',

  async up(db, ddl) {
    await ddl.changeColumnType(db, 'peers', 'private_key', 'text', { notNull: false });
    await ddl.changeColumnType(db, 'peers', 'preshared_key', 'text', { notNull: false });
    await ddl.changeColumnType(db, 'nodes', 'token', 'text', { notNull: true });
  },

  // Fails (and changes nothing on that column) while sealed values are stored: they do not fit.
  async down(db, ddl) {
    await ddl.changeColumnType(db, 'nodes', 'token', 'varchar(512)', { notNull: true });
    await ddl.changeColumnType(db, 'peers', 'preshared_key', 'varchar(64)', { notNull: false });
    await ddl.changeColumnType(db, 'peers', 'private_key', 'varchar(64)', { notNull: false });
  },
};
