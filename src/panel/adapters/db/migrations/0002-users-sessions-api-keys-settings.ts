import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead.

/** Administrators, their sessions, API keys, and panel settings. */
export const usersSessionsApiKeysSettings: SchemaMigration = {
  name: '0002_users_sessions_api_keys_settings',

  async up(db, ddl) {
    await ddl
      .finishTable(
        ddl
          .addIdColumn(db.schema.createTable('users'))
          .addColumn('username', 'varchar(64)', (c) => c.notNull())
          .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
          .addColumn('created_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addColumn('updated_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addUniqueConstraint('users_username_key', ['username']),
      )
      .execute();

    await ddl
      .finishTable(
        db.schema
          .createTable('sessions')
          .addColumn('token_hash', 'varchar(128)', (c) => c.primaryKey())
          .addColumn('user_id', 'integer', (c) => c.notNull())
          .addColumn('created_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addColumn('expires_at', ddl.timestamp, (c) => c.notNull())
          .addForeignKeyConstraint('sessions_user_id_fkey', ['user_id'], 'users', ['id'], (f) =>
            f.onDelete('cascade'),
          ),
      )
      .execute();
    await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute();
    await db.schema
      .createIndex('sessions_expires_at_idx')
      .on('sessions')
      .column('expires_at')
      .execute();

    await ddl
      .finishTable(
        ddl
          .addIdColumn(db.schema.createTable('api_keys'))
          .addColumn('key_hash', 'varchar(128)', (c) => c.notNull())
          .addColumn('key_prefix', 'varchar(16)', (c) => c.notNull())
          .addColumn('created_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addColumn('expires_at', ddl.timestamp)
          .addColumn('last_used_at', ddl.timestamp)
          .addUniqueConstraint('api_keys_key_hash_key', ['key_hash']),
      )
      .execute();

    await ddl
      .finishTable(
        db.schema
          .createTable('settings')
          .addColumn('key', 'varchar(128)', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('updated_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now)),
      )
      .execute();
  },

  async down(db) {
    await db.schema.dropTable('settings').execute();
    await db.schema.dropTable('api_keys').execute();
    await db.schema.dropTable('sessions').execute();
    await db.schema.dropTable('users').execute();
  },
};
