import { NO_MIGRATIONS, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MIGRATION_TABLE,
  migrateTo,
  migrateToLatest,
  openDatabase,
} from '../../src/panel/adapters/db/index.js';
import type { DatabaseHandle } from '../../src/panel/adapters/db/index.js';
import { ALL_MIGRATIONS, MigrationFailedError } from '../../src/panel/adapters/db/index.js';
import type { SchemaMigration } from '../../src/panel/adapters/db/index.js';
import { DIALECTS_UNDER_TEST } from './support/dialects-under-test.js';
import type { TestNamespace } from './support/dialects-under-test.js';

const MIGRATION_NAMES = ALL_MIGRATIONS.map((m) => m.name);
const PANEL_TABLES = [
  'agent_cuts',
  'api_keys',
  'audit_log',
  'cluster_leases',
  'cluster_panels',
  'configurations',
  'nodes',
  'notification_attempts',
  'notification_deliveries',
  'peer_events',
  'peer_job_logs',
  'peer_jobs',
  'peer_share_links',
  'peer_usage_day',
  'peer_usage_hour',
  'peer_usage_minute',
  'peers',
  'reseller_limits',
  'sessions',
  'settings',
  'subscriber_events',
  'subscribers',
  'user_recovery_codes',
  'users',
  'webhooks',
];

async function tablesIn(handle: DatabaseHandle, namespace: TestNamespace): Promise<string[]> {
  const tables = await handle.db.introspection.getTables();
  return tables
    .filter((t) => namespace.schema === undefined || t.schema === namespace.schema)
    .map((t) => t.name)
    .filter((name) => !name.startsWith(MIGRATION_TABLE))
    .sort();
}

describe.each(DIALECTS_UNDER_TEST)('migrations on $name', (target) => {
  let namespace: TestNamespace;
  beforeAll(async () => {
    namespace = await target.createNamespace();
  });
  afterAll(async () => {
    await namespace.drop();
  });

  it('apply from an empty database, in order, creating every table', async () => {
    const handle = openDatabase(namespace.url);
    try {
      expect(await tablesIn(handle, namespace)).toEqual([]);
      expect(await migrateToLatest(handle)).toEqual(MIGRATION_NAMES);
      expect(await tablesIn(handle, namespace)).toEqual(PANEL_TABLES);
      const recorded = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`
        .execute(handle.db)
        .then((r) => r.rows.map((row) => row.name).sort());
      expect(recorded).toEqual(MIGRATION_NAMES);
    } finally {
      await handle.close();
    }
  });

  it('are a no-op when run again, from the same and from a new connection', async () => {
    const first = openDatabase(namespace.url);
    const second = openDatabase(namespace.url);
    try {
      expect(await migrateToLatest(first)).toEqual([]);
      expect(await migrateToLatest(second)).toEqual([]);
      expect(await tablesIn(second, namespace)).toEqual(PANEL_TABLES);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('revert to nothing and apply again', async () => {
    const handle = openDatabase(namespace.url);
    try {
      expect(await migrateTo(handle, NO_MIGRATIONS)).toEqual([...MIGRATION_NAMES].reverse());
      expect(await tablesIn(handle, namespace)).toEqual([]);
      expect(await migrateToLatest(handle)).toEqual(MIGRATION_NAMES);
      expect(await tablesIn(handle, namespace)).toEqual(PANEL_TABLES);
    } finally {
      await handle.close();
    }
  });

  it('connect lazily and close idempotently', async () => {
    await openDatabase(namespace.url).close(); // never connected
    const handle = openDatabase(namespace.url);
    await handle.db.selectFrom('nodes').select('id').execute();
    await handle.close();
    await handle.close();
  });

  it('report a failing migration, and roll it back whole where DDL is transactional', async () => {
    const failing: SchemaMigration = {
      name: '9999_fails_halfway',
      async up(db) {
        await db.schema.createTable('half_written').addColumn('id', 'integer').execute();
        throw new Error('boom');
      },
      async down() {},
    };
    const handle = openDatabase(namespace.url);
    try {
      const run = migrateToLatest(handle, [...ALL_MIGRATIONS, failing]);
      await expect(run).rejects.toBeInstanceOf(MigrationFailedError);
      await expect(run).rejects.toMatchObject({ migrationName: '9999_fails_halfway' });
      const recorded = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`
        .execute(handle.db)
        .then((r) => r.rows.map((row) => row.name).sort());
      expect(recorded).toEqual(MIGRATION_NAMES);
      const left = (await tablesIn(handle, namespace)).includes('half_written');
      // MySQL commits each DDL statement by itself (README.md, "Limits").
      expect(left).toBe(target.name === 'mysql');
      if (left) await handle.db.schema.dropTable('half_written').execute();
    } finally {
      await handle.close();
    }
  });
});
