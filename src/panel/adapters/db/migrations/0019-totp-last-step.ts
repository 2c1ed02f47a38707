import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead.

/**
 * `users.totp_last_step`: the RFC 6238 time step of the last TOTP code a user signed in (or turned
 * TOTP off) with. A code is accepted only for a later step, so a code seen over a shoulder or in a
 * log cannot be used again inside its 30-second window (RFC 6238 §5.2).
 */
export const totpLastStep: SchemaMigration = {
  name: '0019_totp_last_step',

  async up(db) {
    await db.schema.alterTable('users').addColumn('totp_last_step', 'bigint').execute();
  },

  async down(db) {
    await db.schema.alterTable('users').dropColumn('totp_last_step').execute();
  },
};
