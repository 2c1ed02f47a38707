import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DatabaseHandle, DialectName } from '../../src/panel/adapters/db/index.js';
import { DIALECTS_UNDER_TEST } from './support/dialects-under-test.js';
import { useMigratedDatabase } from './support/migrated-database.js';

async function rows(handle: DatabaseHandle, query: string): Promise<unknown[]> {
  return (await sql.raw(query).execute(handle.db)).rows;
}

// Each dialect's session settings, read back in its own terms.
const CHECKS: Record<DialectName, (handle: DatabaseHandle) => Promise<void>> = {
  sqlite: async (h) => {
    expect(await rows(h, 'pragma journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await rows(h, 'pragma foreign_keys')).toEqual([{ foreign_keys: 1n }]);
    expect(await rows(h, 'pragma synchronous')).toEqual([{ synchronous: 1n }]); // NORMAL
  },
  postgres: async (h) => {
    expect(await rows(h, 'show timezone')).toEqual([{ TimeZone: 'UTC' }]);
    const [path] = (await rows(h, 'select current_schema() as s')) as Array<{ s: string }>;
    expect(h.dialect.schema).toBeDefined();
    expect(path?.s).toBe(h.dialect.schema);
  },
  mysql: async (h) => {
    const [session] = (await rows(
      h,
      'select @@session.time_zone as tz, @@session.sql_mode as mode',
    )) as Array<{ tz: string; mode: string }>;
    expect(session?.tz).toBe('+00:00');
    expect(session?.mode).toContain('STRICT_ALL_TABLES');
  },
};

describe.each(DIALECTS_UNDER_TEST)('connection settings on $name', (target) => {
  const handle = useMigratedDatabase(target);

  it('are applied to every connection', async () => {
    // Concurrent checks spread over several pooled connections.
    await Promise.all(Array.from({ length: 4 }, () => CHECKS[target.name](handle())));
  });
});
