import { NAME_SORT_KEY_LENGTH, nameSortKey } from '../../../domain/name-sort-key.js';
import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead.

/** The peers table as this migration sees it. */
type Peers = {
  peers: { id: number; name: string; name_sort_key: string };
};

/**
 * `peers.name_sort_key`: the peer's name as it sorts (natural order, case-insensitive; see
 * domain/name-sort-key.ts), written with the name, compared byte for byte on every dialect, and
 * indexed with the configuration so a page sorted by name is read in index order. Existing peers
 * are backfilled here, one update per distinct non-empty name (imported peers share '').
 */
export const peerNameSortKey: SchemaMigration = {
  name: '0005_peer_name_sort_key',

  async up(untyped, ddl) {
    await untyped.schema
      .alterTable('peers')
      .addColumn('name_sort_key', ddl.bytewiseText(NAME_SORT_KEY_LENGTH), (c) =>
        c.notNull().defaultTo(''),
      )
      .execute();
    const db = untyped.withTables<Peers>();
    const names = await db
      .selectFrom('peers')
      .select('name')
      .distinct()
      .where('name', '<>', '')
      .execute();
    for (const { name } of names)
      await db
        .updateTable('peers')
        .set({ name_sort_key: nameSortKey(name) })
        .where('name', '=', name)
        .execute();
    await untyped.schema
      .createIndex('peers_configuration_name_sort_idx')
      .on('peers')
      .columns(['configuration_id', 'name_sort_key', 'id'])
      .execute();
  },

  async down(db, ddl) {
    await ddl.dropIndex(db, 'peers_configuration_name_sort_idx', 'peers');
    await db.schema.alterTable('peers').dropColumn('name_sort_key').execute();
  },
};
