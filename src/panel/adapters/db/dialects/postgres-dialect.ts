import type pg from 'pg';
import { PostgresDialect, sql } from 'kysely';
import type { SqlDdl, SqlDialect } from './sql-dialect.js';
import { addReferenceConstraint, dropReferencePostgres } from './reference-constraint.js';
import { postgresConstraintViolation } from './constraint-violation.js';
import { insertUsingReturning } from './insert-id.js';

/** Where a PostgreSQL database lives. */
export interface PostgresTarget {
  /** A libpq-style URL without our own `schema` parameter. */
  readonly connectionString: string;
  /** Schema for the panel's tables; undefined = `public`. */
  readonly schema: string | undefined;
}

/** Options of the PostgreSQL adapter. */
export interface PostgresOptions {
  /** Most connections the pool opens. Default 10. */
  readonly poolSize?: number;
}

const INT8_OID = 20;

// int8 (bigint, count(*)) → bigint instead of pg's default string; every other type as pg parses
// it (timestamptz → Date, int4 → number, bool → boolean). Per pool: the global registry of
// pg.types is left alone.
const typesOf = (driver: typeof pg): pg.CustomTypesConfig => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => BigInt(value)
      : driver.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
});

const ddl: SqlDdl = {
  timestamp: 'timestamptz(3)',
  now: sql`now()`,
  // The database's default collation follows its locale (en_US.UTF-8 ignores spaces, …).
  bytewiseText: (length) => sql.raw(`varchar(${Math.trunc(length)}) collate "C"`),
  // ALTER … TYPE keeps NOT NULL as it was.
  changeColumnType: (db, table, column, type) =>
    db.schema
      .alterTable(table)
      .alterColumn(column, (c) => c.setDataType(type))
      .execute(),
  dropIndex: (db, index) => db.schema.dropIndex(index).execute(),
  addReferenceColumn: addReferenceConstraint,
  dropReferenceColumn: dropReferencePostgres,
  addIdColumn: (table) =>
    table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity()),
  finishTable: (table) => table,
};

/**
 * The PostgreSQL adapter (node-postgres). Each connection starts with `TimeZone=UTC` and
 * `search_path=<schema>` (default `public`); Kysely's migrator creates that schema if missing.
 * The schema is always explicit because the migrator looks for its bookkeeping table in every
 * schema unless told which one.
 */
export function postgresDialect(target: PostgresTarget, options: PostgresOptions = {}): SqlDialect {
  const schema = target.schema ?? 'public';
  const pool = async (): Promise<pg.Pool> => {
    // Loaded on first use: a panel on SQLite does not carry the driver (several MB of RSS).
    const { default: driver } = await import('pg');
    const pool = new driver.Pool({
      connectionString: withStartupOptions(target.connectionString, schema),
      max: options.poolSize ?? 10,
      types: typesOf(driver),
    });
    // A client that loses its server must not crash the process. The pool reports idle ones
    // here (and drops them); a checked-out one (a transaction, the migrator's lock) emits 'error'
    // on itself, which the pool stops listening to while it is out: its next statement fails
    // instead, and the pool drops it when it comes back.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    return pool;
  };
  return {
    name: 'postgres',
    kyselyDialect: new PostgresDialect({ pool }),
    ddl,
    schema,
    insertReturningId: insertUsingReturning,
    constraintViolation: postgresConstraintViolation,
    // Other panels and tools write over their own connections, with nothing cheap to ask.
    changeToken: async () => null,
  };
}

// Passed in the URL's `options` parameter (appended to any the URL has), because node-postgres
// lets URL parameters override the config object's.
function withStartupOptions(connectionString: string, schema: string): string {
  const url = new URL(connectionString);
  const flags = ['-c TimeZone=UTC', `-c search_path=${schema}`];
  const existing = url.searchParams.get('options');
  url.searchParams.set('options', [existing, ...flags].filter(Boolean).join(' '));
  return url.toString();
}
