import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { compileRowView, ROW_VIEW_HINT } from './sqlite-row-view.js';
import {
  classifyDeclaredType,
  converterFor,
  needsSqliteConversion,
  toSqliteParameter,
} from './sqlite-value-mapping.js';

const STATEMENT_CACHE_SIZE = 256;
const DDL = /^\s*(?:create|alter|drop)\b/i;

/** Builds a row from better-sqlite3's raw array (an object, or a view: see sqlite-row-view.ts). */
type RowBuilder = (values: unknown[]) => object;

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
    const statement = new TypedStatement(this.#db.prepare(sql), isDdl, () => this.#cache.clear(), {
      views: sql.includes(ROW_VIEW_HINT),
    });
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
  readonly #views: boolean;
  #build: RowBuilder | undefined;

  constructor(
    stmt: BetterSqlite3.Statement<unknown[], Record<string, unknown>>,
    isDdl: boolean,
    onSchemaChange: () => void,
    options: { readonly views: boolean },
  ) {
    this.#stmt = stmt;
    this.#views = options.views;
    this.reader = stmt.reader;
    this.#isDdl = isDdl;
    this.#onSchemaChange = onSchemaChange;
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    const build = this.#rowBuilder();
    return (this.#stmt.all(bind(parameters)) as unknown as unknown[][]).map(build);
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
    const build = this.#rowBuilder();
    for (const row of this.#stmt.iterate(bind(parameters)))
      yield build(row as unknown as unknown[]);
  }

  /**
   * Rows are read as arrays (`raw` mode) and built here by a function compiled once per statement
   * (`{"id": r[0], "created_at": c[1](r[1]), …}`): objects of one shape, with the values converted
   * in the same step. better-sqlite3's own row objects cost 2–3× the read itself on wide rows
   * (26 columns of peers: most of a 10,000-peer listing's time).
   */
  #rowBuilder(): RowBuilder {
    if (this.#build) return this.#build;
    this.#stmt.raw(true);
    const columns = this.#stmt.columns();
    const kinds = columns.map((c) => classifyDeclaredType(c.type));
    const converters = columns.map((c, i) => converterFor(kinds[i]!, c.name));
    if (this.#views) {
      const view = compileRowView(
        columns.map((c, i) => ({ name: c.name, kind: kinds[i]! })),
        converters,
      );
      this.#build = view;
      return view;
    }
    // Keys are JSON string literals (column names as SQLite reports them; `__proto__` computed, so
    // it is an own property, not the prototype), indexes numbers: the source holds nothing else.
    const fields = columns.map((c, i) => {
      const key = JSON.stringify(c.name);
      return `${c.name === '__proto__' ? `[${key}]` : key}: ${converters[i] ? `c[${i}](r[${i}])` : `r[${i}]`}`;
    });
    const compile = new Function('c', `return (r) => ({${fields.join(', ')}});`) as (
      c: typeof converters,
    ) => RowBuilder;
    this.#build = compile(converters);
    return this.#build;
  }
}

// Passed as one array argument, which better-sqlite3 binds to the `?` parameters in order (and
// only reads). Converted into a copy only when some value needs it: the bulk writes hand over
// their 10,000-parameter arrays already converted (see bulk-sql.ts).
function bind(parameters: ReadonlyArray<unknown>): unknown[] {
  for (let i = 0; i < parameters.length; i++)
    if (needsSqliteConversion(parameters[i])) return parameters.map(toSqliteParameter);
  return parameters as unknown[];
}
