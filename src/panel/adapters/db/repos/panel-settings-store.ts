import type { SettingsStore } from '../../../app/settings/panel-settings.js';
import type { DatabaseHandle } from '../open-database.js';

/** Key/value rows of the `settings` table. A write replaces each key in one transaction. */
export function createSettingsStore(handle: DatabaseHandle): SettingsStore {
  return {
    async read(keys) {
      if (keys.length === 0) return new Map();
      const rows = await handle.db
        .selectFrom('settings')
        .select(['key', 'value'])
        .where('key', 'in', [...keys])
        .execute();
      return new Map(rows.map((r) => [r.key, r.value]));
    },
    async write(values, now) {
      if (values.size === 0) return;
      await handle.db.transaction().execute(async (trx) => {
        // Delete + insert: an upsert that reads the same on all three dialects.
        await trx
          .deleteFrom('settings')
          .where('key', 'in', [...values.keys()])
          .execute();
        await trx
          .insertInto('settings')
          .values([...values].map(([key, value]) => ({ key, value, updated_at: now })))
          .execute();
      });
    },
  };
}
