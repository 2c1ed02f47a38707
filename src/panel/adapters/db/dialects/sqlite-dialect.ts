import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema/database.js';
import type { SqlDdl, SqlDialect } from './sql-dialect.js';
import { sqliteConstraintViolation } from './constraint-violation.js';
import { insertUsingInsertId } from './insert-id.js';
import { prepareSqliteFile } from '../private-files.js';
import { PanelSqliteDialect, type BusyClock } from './sqlite-kysely-dialect.js';
import { TypedSqliteDatabase } from './sqlite-typed-database.js';

/** Where a SQLite database lives: a file path, or `:memory:`. */
export interface SqliteTarget {
  readonly path: string;
}

/** Options of the SQLite adapter. */
export interface SqliteOptions {
  /** How long a statement waits for another connection's write lock. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** The clock of those waits (tests); default the real one. */
  readonly busyClock?: BusyClock;
}

const ddl: SqlDdl = {
  // NUMERIC affinity, but ISO text never looks numeric, so it is stored as given. The declared
  // type tells the adapter to read it back as a Date.
  timestamp: 'datetime',
  now: sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
  // SQLite's default collation (BINARY) compares UTF-8 bytes: code point order.
  bytewiseText: (length) => `varchar(${Math.trunc(length)})`,
  // No length is enforced on varchar: a longer value already fits.
  changeColumnType: () => Promise.resolve(),
  dropIndex: (db, index) => db.schema.dropIndex(index).execute(),
  addReferenceColumn: async (db, r) => {
    await db.schema
      .alterTable(r.table)
      .addColumn(r.column, 'integer', (c) => c.references(`${r.refTable}.id`).onDelete(r.onDelete))
      .execute();
    await db.schema.createIndex(r.index).on(r.table).column(r.column).execute();
  },
  // SQLite drops no column that an index still names.
  dropReferenceColumn: async (db, r) => {
    await db.schema.dropIndex(r.index).execute();
    await db.schema.alterTable(r.table).dropColumn(r.column).execute();
  },
  addIdColumn: (table) => table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()),
  finishTable: (table) => table,
};

/**
 * The SQLite adapter (better-sqlite3). Opens lazily on the first query: creates the file's folder
 * (0700) and the file (0600; its -wal and -shm get the same mode), refusing a folder or file that
 * others can write (UnsafePermissionsError), then WAL mode (file databases), foreign keys on, synchronous=NORMAL. Lock waits are async
 * retries up to `busyTimeoutMs` (see PanelSqliteDialect), not SQLite's blocking busy_timeout.
 */
export function sqliteDialect(target: SqliteTarget, options: SqliteOptions = {}): SqlDialect {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const open = async (): Promise<TypedSqliteDatabase> => {
    const inMemory = target.path === ':memory:';
    if (!inMemory) {
      mkdirSync(dirname(target.path), { recursive: true, mode: 0o700 });
      prepareSqliteFile(target.path);
    }
    const db = new BetterSqlite3(target.path);
    try {
      // Blocking waits are acceptable while opening (switching to WAL needs a moment alone).
      db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
      if (!inMemory) db.pragma('journal_mode = WAL');
      // Durable at each checkpoint, not each commit: the usual pairing with WAL.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 0');
    } catch (error) {
      db.close();
      throw error;
    }
    return new TypedSqliteDatabase(db);
  };
  return {
    name: 'sqlite',
    kyselyDialect: new PanelSqliteDialect({ database: open }, busyTimeoutMs, options.busyClock),
    ddl,
    schema: undefined,
    insertReturningId: insertUsingInsertId,
    constraintViolation: sqliteConstraintViolation,
    changeToken: sqliteChangeToken,
  };
}

/**
 * The panel's own writes (`total_changes()`, every row its connection changed since it opened,
 * rolled-back ones included) and commits by any other connection (`data_version`): equal tokens,
 * the same database. Queries take the one connection in turn, so none runs inside another's
 * open transaction.
 */
async function sqliteChangeToken(db: Kysely<Database>): Promise<string | null> {
  const { rows } = await sql<{
    changes: bigint;
    version: bigint;
  }>`select total_changes() as changes, data_version as version from pragma_data_version`.execute(
    db,
  );
  const row = rows[0];
  return row ? `${row.changes}:${row.version}` : null;
}
