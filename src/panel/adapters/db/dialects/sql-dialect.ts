import type {
  ColumnDataType,
  CreateTableBuilder,
  Dialect,
  Expression,
  Insertable,
  Kysely,
} from 'kysely';
import type { Database, TableWithId } from '../schema/database.js';
import type { ConstraintViolation } from './constraint-violation.js';

/** The database families the panel runs on. MariaDB counts as `mysql`. */
export type DialectName = 'sqlite' | 'postgres' | 'mysql';

/**
 * The DDL building blocks that differ between dialects. Migrations use these instead of ever
 * asking which dialect they run on.
 */
export interface SqlDdl {
  /** Column type of a UTC instant with millisecond precision. */
  readonly timestamp: ColumnDataType | Expression<unknown>;
  /** Column default: the current UTC instant, in the form `timestamp` stores. */
  readonly now: Expression<unknown>;
  /**
   * Column type of text up to `length` characters that compares byte for byte (code point order)
   * whatever the database's locale: sort keys.
   */
  bytewiseText(length: number): ColumnDataType | Expression<unknown>;
  /**
   * Changes the type of an existing column, keeping its nullability as `notNull` says. SQLite
   * does nothing: it enforces no varchar length, and cannot alter a column's declared type.
   */
  changeColumnType(
    db: Kysely<unknown>,
    table: string,
    column: string,
    type: ColumnDataType,
    options: { readonly notNull: boolean },
  ): Promise<void>;
  /** Drops an index of `table` (MySQL names the table; the others must not). */
  dropIndex(db: Kysely<unknown>, index: string, table: string): Promise<void>;
  /**
   * Adds a nullable integer column to an existing table that references `refTable.id` (SQLite
   * cannot add a table constraint later, so there it is the column's own REFERENCES clause),
   * and an index on it.
   */
  addReferenceColumn(db: Kysely<unknown>, ref: ReferenceColumn): Promise<void>;
  /** Drops a column added by addReferenceColumn, with its constraint and index. */
  dropReferenceColumn(db: Kysely<unknown>, ref: ReferenceColumn): Promise<void>;
  /** Adds `id`, an auto-incremented integer primary key (never reused on SQLite). */
  addIdColumn<TB extends string, C extends string>(
    table: CreateTableBuilder<TB, C>,
  ): CreateTableBuilder<TB, C | 'id'>;
  /** Adds the table options the dialect needs (MySQL: InnoDB, utf8mb4, binary collation). */
  finishTable<TB extends string, C extends string>(
    table: CreateTableBuilder<TB, C>,
  ): CreateTableBuilder<TB, C>;
}

/** A reference column added to an existing table (see SqlDdl.addReferenceColumn). */
export interface ReferenceColumn {
  readonly table: string;
  readonly column: string;
  readonly refTable: string;
  readonly onDelete: 'set null' | 'cascade';
  /** The constraint's name, `<table>_<column>_fkey`. */
  readonly constraint: string;
  /** The index on the column (made with it), `<table>_<column>_idx`. */
  readonly index: string;
}

/** One dialect adapter: everything dialect-specific, behind one interface. */
export interface SqlDialect {
  readonly name: DialectName;
  /** The Kysely dialect, with the driver configured for this project's type mapping. */
  readonly kyselyDialect: Dialect;
  readonly ddl: SqlDdl;
  /** PostgreSQL schema holding the panel's tables (`?schema=`, default `public`); else undefined. */
  readonly schema: string | undefined;
  /**
   * Inserts one row and returns its new `id`. Works inside a transaction (pass the `Transaction`).
   */
  insertReturningId<T extends TableWithId>(
    db: Kysely<Database>,
    table: T,
    row: Insertable<Database[T]>,
  ): Promise<number>;
  /** Which integrity constraint a driver error broke, or undefined for any other error. */
  constraintViolation(error: unknown): ConstraintViolation | undefined;
  /**
   * A token that differs from the last one whenever the database may have changed since (a write
   * by this panel, or a commit by any other connection), or null when the dialect has no cheap
   * way to tell: what a cache of derived figures checks before it answers from memory.
   */
  changeToken(db: Kysely<Database>): Promise<string | null>;
}
