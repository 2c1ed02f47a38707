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
import { openSecrets, type SecretKeyInfo } from './secrets/open-secrets.js';
import { sealClearSecrets } from './secrets/seal-clear-secrets.js';
import { NO_SECRET_KEY, type SecretCipher } from './secrets/secret-cipher.js';

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
  /**
   * Seals and opens the secret columns (node tokens, peer keys). Without it, writing a secret
   * (or reading a sealed one) fails. {@link connectDatabase} makes it from `secretKeyFile`.
   */
  readonly secrets?: SecretCipher;
}

/** Options of {@link connectDatabase}. */
export interface ConnectDatabaseOptions extends OpenDatabaseOptions {
  /**
   * The key file the secrets are sealed with (created 0600 if missing and nothing is sealed yet);
   * after migrating, the key is checked against the database and secrets still in clear are
   * sealed. With `secrets` instead, that key is checked and the clear secrets sealed the same way.
   */
  readonly secretKeyFile?: string;
}

/** An open database: the typed query builder, its dialect adapter, and how to close it. */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialect;
  /** Seals and opens the secret columns; the repositories use it, so callers see clear values. */
  readonly secrets: SecretCipher;
  /** What connectDatabase found of the key file (for the start-up log); absent otherwise. */
  readonly secretKey?: SecretKeyInfo;
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
    secrets: options.secrets ?? NO_SECRET_KEY,
    displayUrl: redactDatabaseUrl(url),
    insertReturningId: (table, row, executor = db) =>
      dialect.insertReturningId(executor, table, row),
    close: () => (closing ??= db.destroy()),
  };
}

/**
 * Opens the database and brings its schema up to date; with `secretKeyFile`, then opens its
 * secrets (see ConnectDatabaseOptions). Closes it again if any of that fails.
 */
export async function connectDatabase(
  url: string,
  options: ConnectDatabaseOptions = {},
): Promise<DatabaseHandle> {
  const handle = openDatabase(url, options);
  try {
    await migrateToLatest(handle);
    if (options.secrets) {
      await sealClearSecrets(handle, options.secrets);
      return handle;
    }
    if (options.secretKeyFile === undefined) return handle;
    const { cipher, info } = await openSecrets(handle, options.secretKeyFile);
    return { ...handle, secrets: cipher, secretKey: info };
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
