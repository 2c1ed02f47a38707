import { AUDIT_OUTCOMES } from '../../../domain/vocabulary.js';
import { valuesIn } from './check-values.js';
import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead. (Its lists come from the domain
// through valuesIn, as of its release: a later change to them is a new migration.)

/**
 * `audit_log`: one row per change a person or an API key asked for (and per sign-in, success or
 * failure): who, when, from which address, which action, on what, the target's fields before and
 * after (never a secret: the recorder redacts them), and how it ended. No references: an entry
 * outlives what it names (it keeps the names).
 */
export const auditLog: SchemaMigration = {
  name: '0017_audit_log',

  async up(db, ddl) {
    await ddl
      .finishTable(
        ddl
          .addIdColumn(db.schema.createTable('audit_log'))
          .addColumn('at', ddl.timestamp, (c) => c.notNull())
          .addColumn('username', 'varchar(255)')
          .addColumn('api_key_name', 'varchar(255)')
          .addColumn('address', 'varchar(64)')
          .addColumn('action', 'varchar(64)', (c) => c.notNull())
          .addColumn('target_kind', 'varchar(32)')
          // JSON text: ids and names of what the action was about.
          .addColumn('target', 'text')
          // `before` is a reserved word in MySQL.
          .addColumn('before_state', 'text')
          .addColumn('after_state', 'text')
          .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
          .addColumn('status_code', 'smallint', (c) => c.notNull())
          .addColumn('message', 'text')
          .addCheckConstraint('audit_log_outcome_check', valuesIn('outcome', AUDIT_OUTCOMES)),
      )
      .execute();
    await db.schema.createIndex('audit_log_at_idx').on('audit_log').columns(['at', 'id']).execute();
    await db.schema
      .createIndex('audit_log_username_at_idx')
      .on('audit_log')
      .columns(['username', 'at'])
      .execute();
    await db.schema
      .createIndex('audit_log_action_at_idx')
      .on('audit_log')
      .columns(['action', 'at'])
      .execute();
  },

  async down(db) {
    await db.schema.dropTable('audit_log').execute();
  },
};
