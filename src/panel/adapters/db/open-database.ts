import { Kysely } from 'kysely';
import type { Insertable, LogEvent } from 'kysely';
import { parseDatabaseUrl, redactDatabaseUrl } from './database-url.js';
import { mysqlDialect } from './dialects/mysql-dialect.js';
import type { MysqlOptions } from './dialects/mysql-dialect.js';
import { postgresDialect } from './dialects/postgres-dialect.js';
import type { PostgresOptions } from './dialects/postgres-dialect.js';
import type { SqlDialect } from './dialects/sql-dialect.js';
import { sqliteDialect } from './dialects/sqlite-dialect.js';
import type { SqliteOptions } from './dialects/sqlite-dialect.js';
import { migrateToLatest } from './migrate.js';
import type { Database, TableWithId } from './schema/database.js';

/** One executed query, for logs and metrics. Parameters are left out on purpose: they hold secrets. */
export interface QueryLogEvent {
  readonly sql: string;
  readonly durationMs: number;
  /** Set when the query failed. */
  readonly error?: unknown;
}

/** Options of {@link openDatabase}; each applies to the dialects that have the setting. */
export interface OpenDatabaseOptions extends SqliteOptions, PostgresOptions, MysqlOptions {
  /** Called after every query. */
  readonly onQuery?: (event: QueryLogEvent) => void;
}

/** An open database: the typed query builder, its dialect adapter, and how to close it. */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialect;
  /** The URL with its password redacted, fit for logs. */
  readonly displayUrl: string;
  /** Inserts one row and returns its id; pass a transaction as `executor` to insert inside it. */
  insertReturningId<T extends TableWithId>(
    table: T,
    row: Insertable<Database[T]>,
    executor?: Kysely<Database>,
  ): Promise<number>;
  /** Closes the pool or file. Idempotent. */
  close(): Promise<void>;
}

/**
 * Builds a handle for a database URL (see parseDatabaseUrl). Nothing connects until the first
 * query. Does not migrate: call migrateToLatest, or use {@link connectDatabase}.
 */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): DatabaseHandle {
  const dialect = dialectFor(url, options);
  const onQuery = options.onQuery;
  const db = new Kysely<Database>({
    dialect: dialect.kyselyDialect,
    ...(onQuery && { log: (event: LogEvent) => onQuery(toQueryLogEvent(event)) }),
  });
  let closing: Promise<void> | undefined;
  return {
    db,
    dialect,
    displayUrl: redactDatabaseUrl(url),
    insertReturningId: (table, row, executor = db) =>
      dialect.insertReturningId(executor, table, row),
    close: () => (closing ??= db.destroy()),
  };
}

/** Opens the database and brings its schema up to date; closes it again if migrating fails. */
export async function connectDatabase(
  url: string,
  options: OpenDatabaseOptions = {},
): Promise<DatabaseHandle> {
  const handle = openDatabase(url, options);
  try {
    await migrateToLatest(handle);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function dialectFor(url: string, options: OpenDatabaseOptions): SqlDialect {
  const target = parseDatabaseUrl(url);
  switch (target.dialect) {
    case 'sqlite':
      return sqliteDialect(target, options);
    case 'postgres':
      return postgresDialect(target, options);
    case 'mysql':
      return mysqlDialect(target, options);
  }
}

function toQueryLogEvent(event: LogEvent): QueryLogEvent {
  const base = { sql: event.query.sql, durationMs: event.queryDurationMillis };
  return event.level === 'error' ? { ...base, error: event.error } : base;
}
