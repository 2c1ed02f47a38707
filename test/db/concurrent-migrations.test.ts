import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  MIGRATION_TABLE,
  migrateToLatest,
  openDatabase,
} from '../../src/panel/adapters/db/index.js';
import { ALL_MIGRATIONS } from '../../src/panel/adapters/db/migrations/all-migrations.js';
import { DIALECTS_UNDER_TEST } from './support/dialects-under-test.js';

const MIGRATION_NAMES = ALL_MIGRATIONS.map((m) => m.name).sort();
const PANELS = 3;

describe.each(DIALECTS_UNDER_TEST)('concurrent migrators on $name', (target) => {
  it.each([1, 2, 3])(
    `${PANELS} panels starting at once apply each migration exactly once (round %i)`,
    async () => {
      // Not even the PostgreSQL schema exists yet: the migrators race to create it as well.
      const namespace = await target.createNamespace({ precreate: false });
      const handles = Array.from({ length: PANELS }, () => openDatabase(namespace.url));
      try {
        const applied = await Promise.all(handles.map((handle) => migrateToLatest(handle)));

        // One panel applied everything; the others waited for its lock, then found nothing to do.
        expect(applied.flat().sort()).toEqual(MIGRATION_NAMES);
        expect(applied.filter((names) => names.length > 0)).toHaveLength(1);
        for (const handle of handles) {
          const recorded = await sql<{
            name: string;
          }>`select name from ${sql.table(MIGRATION_TABLE)}`
            .execute(handle.db)
            .then((r) => r.rows.map((row) => row.name).sort());
          expect(recorded).toEqual(MIGRATION_NAMES);
          expect(await handle.db.selectFrom('peers').select('id').execute()).toEqual([]);
        }
      } finally {
        await Promise.all(handles.map((handle) => handle.close()));
        await namespace.drop();
      }
    },
  );
});
