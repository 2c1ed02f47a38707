import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { classifyDeclaredType, converterFor, toSqliteParameter } from './sqlite-value-mapping.js';

const STATEMENT_CACHE_SIZE = 256;
const DDL = /^\s*(?:create|alter|drop)\b/i;

type RowConverter = (row: Record<string, unknown>) => Record<string, unknown>;

/**
 * The subset of better-sqlite3 that Kysely's SqliteDialect uses, with this project's type mapping
 * (see sqlite-value-mapping.ts) and a cache of prepared statements.
 */
export class TypedSqliteDatabase implements SqliteDatabase {
  readonly #db: BetterSqlite3.Database;
  readonly #cache = new Map<string, TypedStatement>();

  /** Takes ownership of `db` and turns on safe integers. */
  constructor(db: BetterSqlite3.Database) {
    db.defaultSafeIntegers(true);
    this.#db = db;
  }

  close(): void {
    this.#cache.clear();
    this.#db.close();
  }

  prepare(sql: string): SqliteStatement {
    const cached = this.#cache.get(sql);
    if (cached) {
      // Refresh its place: the map's insertion order is the eviction order.
      this.#cache.delete(sql);
      this.#cache.set(sql, cached);
      return cached;
    }
    const isDdl = DDL.test(sql);
    const statement = new TypedStatement(this.#db.prepare(sql), isDdl, () => this.#cache.clear());
    // DDL runs once; caching it would only keep stale statements alive.
    if (isDdl) return statement;
    this.#cache.set(sql, statement);
    if (this.#cache.size > STATEMENT_CACHE_SIZE) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    return statement;
  }
}

class TypedStatement implements SqliteStatement {
  readonly reader: boolean;
  readonly #stmt: BetterSqlite3.Statement<unknown[], Record<string, unknown>>;
  readonly #isDdl: boolean;
  readonly #onSchemaChange: () => void;
  #convert: RowConverter | undefined;

  constructor(
    stmt: BetterSqlite3.Statement<unknown[], Record<string, unknown>>,
    isDdl: boolean,
    onSchemaChange: () => void,
  ) {
    this.#stmt = stmt;
    this.reader = stmt.reader;
    this.#isDdl = isDdl;
    this.#onSchemaChange = onSchemaChange;
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    const convert = this.#rowConverter();
    return this.#stmt.all(bind(parameters)).map(convert);
  }

  run(parameters: ReadonlyArray<unknown>): {
    changes: number | bigint;
    lastInsertRowid: number | bigint;
  } {
    const result = this.#stmt.run(bind(parameters));
    // A cached statement's column types may be stale once the schema changed.
    if (this.#isDdl) this.#onSchemaChange();
    return result;
  }

  *iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    const convert = this.#rowConverter();
    for (const row of this.#stmt.iterate(bind(parameters))) yield convert(row);
  }

  #rowConverter(): RowConverter {
    if (this.#convert) return this.#convert;
    const plan: Array<[string, (value: unknown) => unknown]> = [];
    for (const column of this.#stmt.columns()) {
      const converter = converterFor(classifyDeclaredType(column.type), column.name);
      if (converter) plan.push([column.name, converter]);
    }
    this.#convert =
      plan.length === 0
        ? (row) => row
        : (row) => {
            for (const [name, converter] of plan) row[name] = converter(row[name]);
            return row;
          };
    return this.#convert;
  }
}

// Passed as one array argument, which better-sqlite3 binds to the `?` parameters in order.
function bind(parameters: ReadonlyArray<unknown>): unknown[] {
  return parameters.map(toSqliteParameter);
}
