import { sql } from 'kysely';
import { ROLES } from '../../../domain/vocabulary.js';
import { valuesIn } from './check-values.js';
import type { ReferenceColumn } from '../dialects/sql-dialect.js';
import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead. (Its lists come from the domain
// through valuesIn, as of its release: a later change to them is a new migration.)

const API_KEY_USER: ReferenceColumn = {
  table: 'api_keys',
  column: 'user_id',
  refTable: 'users',
  onDelete: 'cascade',
  constraint: 'api_keys_user_id_fkey',
  index: 'api_keys_user_id_idx',
};

const SUBSCRIBER_CREATOR: ReferenceColumn = {
  table: 'subscribers',
  column: 'created_by',
  refTable: 'users',
  onDelete: 'set null',
  constraint: 'subscribers_created_by_fkey',
  index: 'subscribers_created_by_idx',
};

/**
 * Accounts: every user has a role (the existing ones stay `admin`), can be disabled, and may
 * have a TOTP second factor (`totp_secret` sealed like other secrets, bound to the user;
 * `totp_enabled` once a code confirmed it) with one-time recovery codes (their sha256 only).
 * API keys gain a name and an owner (existing keys: the first user); subscribers the user who
 * created them. `reseller_limits`: what an admin allows a reseller, and its prepaid balance
 * (null: not limited); the CHECKs keep a balance from going below zero whatever the query.
 */
export const accountsRolesResellers: SchemaMigration = {
  name: '0016_accounts_roles_resellers',

  async up(db, ddl) {
    // One column per statement: SQLite alters one at a time.
    await db.schema
      .alterTable('users')
      .addColumn('role', 'varchar(16)', (c) =>
        c.notNull().defaultTo('admin').check(valuesIn('role', ROLES)),
      )
      .execute();
    await db.schema
      .alterTable('users')
      .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
      .execute();
    await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute();
    await db.schema
      .alterTable('users')
      .addColumn('totp_enabled', 'boolean', (c) => c.notNull().defaultTo(false))
      .execute();

    await ddl
      .finishTable(
        ddl
          .addIdColumn(db.schema.createTable('user_recovery_codes'))
          .addColumn('user_id', 'integer', (c) => c.notNull())
          .addColumn('code_hash', 'varchar(64)', (c) => c.notNull())
          .addColumn('created_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addForeignKeyConstraint(
            'user_recovery_codes_user_id_fkey',
            ['user_id'],
            'users',
            ['id'],
            (f) => f.onDelete('cascade'),
          )
          .addUniqueConstraint('user_recovery_codes_user_code_key', ['user_id', 'code_hash']),
      )
      .execute();

    await db.schema.alterTable('api_keys').addColumn('name', 'varchar(64)').execute();
    await ddl.addReferenceColumn(db, API_KEY_USER);
    await sql`update api_keys set user_id = (select min(u.id) from users u)`.execute(db);

    await ddl.addReferenceColumn(db, SUBSCRIBER_CREATOR);

    await ddl
      .finishTable(
        db.schema
          .createTable('reseller_limits')
          .addColumn('user_id', 'integer', (c) => c.primaryKey())
          .addColumn('max_subscribers', 'integer')
          .addColumn('max_traffic_bytes', 'bigint')
          .addColumn('max_expiry_days', 'integer')
          .addColumn('configurations', 'text', (c) => c.notNull())
          .addColumn('balance_bytes', 'bigint')
          .addColumn('balance_days', 'integer')
          .addColumn('updated_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addForeignKeyConstraint(
            'reseller_limits_user_id_fkey',
            ['user_id'],
            'users',
            ['id'],
            (f) => f.onDelete('cascade'),
          )
          .addCheckConstraint(
            'reseller_limits_values_check',
            sql`(max_subscribers is null or max_subscribers >= 0) and (max_traffic_bytes is null or max_traffic_bytes >= 0) and (max_expiry_days is null or max_expiry_days >= 1) and (balance_bytes is null or balance_bytes >= 0) and (balance_days is null or balance_days >= 0)`,
          ),
      )
      .execute();
  },

  async down(db, ddl) {
    await db.schema.dropTable('reseller_limits').execute();
    await ddl.dropReferenceColumn(db, SUBSCRIBER_CREATOR);
    await ddl.dropReferenceColumn(db, API_KEY_USER);
    await db.schema.alterTable('api_keys').dropColumn('name').execute();
    await db.schema.dropTable('user_recovery_codes').execute();
    for (const column of ['totp_enabled', 'totp_secret', 'disabled', 'role'])
      await db.schema.alterTable('users').dropColumn(column).execute();
  },
};
