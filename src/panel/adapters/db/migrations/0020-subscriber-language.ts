import { NOTIFICATION_LANGUAGES } from '../../../domain/vocabulary.js';
import { valuesIn } from './check-values.js';
import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead. (Its list comes from the domain
// through valuesIn, as of its release: a later change to it is a new migration.)

/**
 * `subscribers.language`: the language of the subscriber's own e-mail and Telegram messages;
 * null = the panel's notification language (issue 12).
 */
export const subscriberLanguage: SchemaMigration = {
  name: '0020_subscriber_language',

  async up(db) {
    await db.schema
      .alterTable('subscribers')
      .addColumn('language', 'varchar(8)', (c) =>
        c.check(valuesIn('language', NOTIFICATION_LANGUAGES)),
      )
      .execute();
  },

  async down(db) {
    await db.schema.alterTable('subscribers').dropColumn('language').execute();
  },
};
