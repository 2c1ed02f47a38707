import type { PoolOptions } from 'mysql2';
import { CompiledQuery, MysqlDialect, sql } from 'kysely';
import type { SqlDdl, SqlDialect } from './sql-dialect.js';
import { addReferenceConstraint, dropReferenceMysql } from './reference-constraint.js';
import { mysqlConstraintViolation } from './constraint-violation.js';
import { insertUsingInsertId } from './insert-id.js';

/** Where a MySQL or MariaDB database lives. */
export interface MysqlTarget {
  /** A `mysql://user:password@host:port/database` URL. */
  readonly uri: string;
}

/** Options of the MySQL adapter. */
export interface MysqlOptions {
  /** Most connections the pool opens. Default 10. */
  readonly poolSize?: number;
}

const ddl: SqlDdl = {
  // DATETIME, not TIMESTAMP: no 2038 limit and no conversion by the session time zone. The
  // adapter pins that zone to UTC anyway, so current_timestamp(3) is UTC too.
  timestamp: 'datetime(3)',
  now: sql`current_timestamp(3)`,
  // The tables' utf8mb4_bin collation (finishTable) compares by code point already.
  bytewiseText: (length) => `varchar(${Math.trunc(length)})`,
  // MODIFY restates the whole column: nullability given, charset and collation the table's.
  changeColumnType: (db, table, column, type, { notNull }) =>
    db.schema
      .alterTable(table)
      .modifyColumn(column, type, (c) => (notNull ? c.notNull() : c))
      .execute(),
  dropIndex: (db, index, table) => db.schema.dropIndex(index).on(table).execute(),
  addReferenceColumn: addReferenceConstraint,
  dropReferenceColumn: dropReferenceMysql,
  addIdColumn: (table) => table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()),
  // Binary collation: text compares and is unique case-sensitively, as on SQLite and PostgreSQL
  // (base64 keys differ by case; the default *_ci collations would merge them).
  finishTable: (table) =>
    table.modifyEnd(sql`engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin`),
};

// BIGINT (and count(*)) → bigint; TINYINT(1), i.e. BOOLEAN → boolean; DATETIME → Date read as
// UTC (`timezone: 'Z'`); the rest as mysql2 reads it. Exact integers come from the wire text.
type TypeCastFunction = Exclude<PoolOptions['typeCast'], boolean | undefined>;

const typeCast: TypeCastFunction = (field, next) => {
  if (field.type === 'LONGLONG') {
    const text = field.string();
    return text === null ? null : BigInt(text);
  }
  if (field.type === 'TINY' && field.length === 1) {
    const text = field.string();
    return text === null ? null : text !== '0';
  }
  return next();
};

/**
 * The MySQL/MariaDB adapter (mysql2). Each connection runs in UTC with strict SQL mode
 * (`TRADITIONAL`: out-of-range or truncated values are errors, not warnings).
 */
export function mysqlDialect(target: MysqlTarget, options: MysqlOptions = {}): SqlDialect {
  // Loaded on first use: a panel on SQLite does not carry the driver (several MB of RSS).
  const pool = async () =>
    (await import('mysql2')).createPool({
      uri: target.uri,
      connectionLimit: options.poolSize ?? 10,
      charset: 'utf8mb4',
      timezone: 'Z',
      dateStrings: false,
      // Anything typeCast leaves to mysql2 that exceeds 2^53 (DECIMAL sums) comes as a string.
      supportBigNumbers: true,
      bigNumberStrings: true,
      typeCast,
    });
  return {
    name: 'mysql',
    kyselyDialect: new MysqlDialect({
      pool,
      onCreateConnection: async (connection) => {
        await connection.executeQuery(CompiledQuery.raw(`set time_zone = '+00:00'`));
        await connection.executeQuery(CompiledQuery.raw(`set sql_mode = 'TRADITIONAL'`));
      },
    }),
    ddl,
    schema: undefined,
    insertReturningId: insertUsingInsertId,
    constraintViolation: mysqlConstraintViolation,
    // Other panels and tools write over their own connections, with nothing cheap to ask.
    changeToken: async () => null,
  };
}
