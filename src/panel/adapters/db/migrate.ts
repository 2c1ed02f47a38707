import { Migrator } from 'kysely';
import type { MigrationResult } from 'kysely';
import type { DatabaseHandle } from './open-database.js';
import { ALL_MIGRATIONS } from './migrations/all-migrations.js';
import { SchemaMigrationProvider } from './migrations/schema-migration.js';
import type { SchemaMigration } from './migrations/schema-migration.js';

/** Table recording applied migrations (and its lock table, `wgfleet_migration_lock`). */
export const MIGRATION_TABLE = 'wgfleet_migration';

/** A migration run failed; `migrationName` is the one that did, when known. */
export class MigrationFailedError extends Error {
  override readonly name = 'MigrationFailedError';
  constructor(
    readonly migrationName: string | undefined,
    options: { cause: unknown },
  ) {
    const cause = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(
      migrationName === undefined
        ? `database migration failed: ${cause}`
        : `database migration ${migrationName} failed: ${cause}`,
      options,
    );
  }
}

/**
 * A Kysely Migrator over the built-in migrations (or `migrations`, for tests). Concurrent runs are safe: the migrator holds a
 * lock while it works (PostgreSQL: advisory lock; MySQL: GET_LOCK; SQLite: an immediate
 * transaction), so a second panel waits and then finds nothing left to do.
 */
export function createMigrator(
  handle: Pick<DatabaseHandle, 'db' | 'dialect'>,
  migrations: readonly SchemaMigration[] = ALL_MIGRATIONS,
): Migrator {
  return new Migrator({
    db: handle.db,
    provider: new SchemaMigrationProvider(migrations, handle.dialect.ddl),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: `${MIGRATION_TABLE}_lock`,
    // With a PostgreSQL schema, the bookkeeping tables live beside the panel's own.
    migrationTableSchema: handle.dialect.schema,
  });
}

/**
 * Applies every pending migration (of `migrations`, by default the built-in ones), in order. Returns the names applied by this call (empty when
 * the schema was already current). Throws MigrationFailedError; on PostgreSQL and SQLite a failed
 * run leaves the schema as it was, on MySQL (no transactional DDL) a failed migration may leave
 * part of itself behind.
 */
export async function migrateToLatest(
  handle: Pick<DatabaseHandle, 'db' | 'dialect'>,
  migrations: readonly SchemaMigration[] = ALL_MIGRATIONS,
): Promise<string[]> {
  return applied(await createMigrator(handle, migrations).migrateToLatest());
}

/** Applies or reverts migrations until `target` is the last one applied (`NO_MIGRATIONS` for none). */
export async function migrateTo(
  handle: Pick<DatabaseHandle, 'db' | 'dialect'>,
  target: Parameters<Migrator['migrateTo']>[0],
): Promise<string[]> {
  return applied(await createMigrator(handle).migrateTo(target));
}

function applied(run: { error?: unknown; results?: MigrationResult[] }): string[] {
  if (run.error !== undefined) {
    const failed = run.results?.find((r) => r.status === 'Error')?.migrationName;
    throw new MigrationFailedError(failed, { cause: run.error });
  }
  return (run.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
