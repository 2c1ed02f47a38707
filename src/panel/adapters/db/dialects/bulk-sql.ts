import { CompiledQuery } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../schema/database.js';
import type { DialectName } from './sql-dialect.js';
import { formatInstant, toSqliteParameter } from './sqlite-value-mapping.js';

/**
 * Many-row writes in one statement per batch, for hot paths (the usage ingest writes up to one row
 * per peer per poll). Building one Kysely query per row costs more than running it; these build
 * the SQL text once per batch size and bind plain parameters. The SQL differs by dialect, which is
 * why it lives here:
 *
 * - update by key: SQLite `WITH v(…) AS (VALUES …) UPDATE t … FROM v`, PostgreSQL
 *   `UPDATE t … FROM unnest($1::int4[], $2::int8[], …) AS v(…)` (one array parameter per column:
 *   a short statement however many rows), MySQL/MariaDB
 *   `UPDATE t JOIN (SELECT ? AS … UNION ALL SELECT …) v ON … SET …`;
 * - upsert-add: `INSERT … ON CONFLICT (…) DO UPDATE SET c = t.c + excluded.c` (SQLite; PostgreSQL
 *   inserting `SELECT * FROM unnest(…)`), `INSERT … ON DUPLICATE KEY UPDATE c = c + VALUES(c)`
 *   (MySQL/MariaDB).
 *
 * Table and column names come from the caller's code, never from input; they are quoted anyway.
 */

/** How a value is typed in the statement (PostgreSQL needs it for its VALUES lists). */
export type BulkColumnType = 'integer' | 'bigint' | 'timestamp' | 'text' | 'boolean';

/** One column of the rows handed to a bulk write. */
export interface BulkColumn {
  readonly name: string;
  readonly type: BulkColumnType;
}

/** An update of many rows, each found by its key. */
export interface BulkUpdateSpec {
  readonly table: keyof Database & string;
  /** The key column; the first value of every row. */
  readonly key: BulkColumn;
  /** The other values of every row, in order. */
  readonly values: readonly BulkColumn[];
  /**
   * target column ← value column: `set` assigns it, `add` adds it to the stored value,
   * `coalesce` assigns it unless it is null (keeps the stored value).
   */
  readonly assign: readonly {
    readonly column: string;
    readonly from: string;
    readonly op: 'set' | 'add' | 'coalesce';
  }[];
  /** Optional optimistic check: only rows whose `column` equals the value column are updated. */
  readonly guard?: readonly { readonly column: string; readonly equals: string }[];
}

/** An insert of many rows that adds `add` columns into the row already there for the same key. */
export interface BulkUpsertAddSpec {
  readonly table: keyof Database & string;
  /** The unique key's columns, first in every row. */
  readonly key: readonly BulkColumn[];
  /** Columns added on conflict, after the key in every row. */
  readonly add: readonly BulkColumn[];
}

/** Executes bulk writes on one dialect. Pass a transaction as `executor` to write inside it. */
export interface BulkWriter {
  /**
   * Updates rows by key; rows are `[key, ...values]`. Missing keys (and rows failing the guard)
   * are skipped; returns how many rows were updated.
   */
  updateByKey(
    executor: Kysely<Database>,
    spec: BulkUpdateSpec,
    rows: readonly (readonly unknown[])[],
  ): Promise<number>;
  /**
   * The same for rows given as columns: row `i` is `[columns[0][i], columns[1][i], …]`, for the
   * first `count` rows (the caller's arrays are only read, and not kept once it resolves).
   */
  updateByKeyColumns(
    executor: Kysely<Database>,
    spec: BulkUpdateSpec,
    columns: readonly (readonly unknown[])[],
    count: number,
  ): Promise<number>;
  /** Inserts rows `[...key, ...add]`, adding into existing rows with the same key. */
  upsertAdd(
    executor: Kysely<Database>,
    spec: BulkUpsertAddSpec,
    rows: readonly (readonly unknown[])[],
  ): Promise<void>;
}

// Parameters per statement: below SQLite's 32766, PostgreSQL's and MySQL's 65535.
const MAX_PARAMETERS = 16_000;
const MAX_ROWS = 1_000;

const PG_TYPES: Record<BulkColumnType, string> = {
  integer: 'int4',
  bigint: 'int8',
  timestamp: 'timestamptz',
  text: 'text',
  boolean: 'bool',
};

/** The bulk writer of a dialect. */
export function bulkWriterFor(dialect: DialectName): BulkWriter {
  const quote = dialect === 'mysql' ? (n: string) => `\`${n}\`` : (n: string) => `"${n}"`;
  const updateSql = cachedBuilder((spec: BulkUpdateSpec, n: number) =>
    buildUpdate(dialect, quote, spec, n),
  );
  const upsertSql = cachedBuilder((spec: BulkUpsertAddSpec, n: number) =>
    buildUpsertAdd(dialect, quote, spec, n),
  );
  if (dialect === 'postgres') return postgresWriter(quote);
  // SQLite stores instants as ISO text: format each distinct instant of a batch once (a poll's
  // samples all share one bucket start), instead of once per row in the driver's binding.
  const flat = dialect === 'sqlite' ? flatWithInstantText : flatValues;
  const update = async (
    executor: Kysely<Database>,
    spec: BulkUpdateSpec,
    cells: Cells,
    count: number,
  ) => {
    const width = 1 + spec.values.length;
    let updated = 0;
    for (const [start, end] of batches(count, width)) {
      const result = await executor.executeQuery(
        CompiledQuery.raw(updateSql(spec, end - start), flat(cells, start, end, width)),
      );
      updated += Number(result.numAffectedRows ?? 0n);
    }
    return updated;
  };
  return {
    updateByKey: (executor, spec, rows) => update(executor, spec, rowCells(rows), rows.length),
    updateByKeyColumns: (executor, spec, columns, count) =>
      update(executor, spec, columnCells(columns), count),
    async upsertAdd(executor, spec, rows) {
      const width = spec.key.length + spec.add.length;
      for (const [start, end] of batches(rows.length, width)) {
        await executor.executeQuery(
          CompiledQuery.raw(upsertSql(spec, end - start), flat(rowCells(rows), start, end, width)),
        );
      }
    },
  };
}

function buildUpdate(
  dialect: DialectName,
  q: (n: string) => string,
  spec: BulkUpdateSpec,
  n: number,
): string {
  const columns = [spec.key, ...spec.values];
  const names = columns.map((c) => q(c.name)).join(', ');
  const table = q(spec.table);
  if (dialect === 'sqlite') {
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    return `with v(${names}) as (values ${repeat(tuple, n)}) update ${table} as t set ${setClause(spec, q, '')} from v where ${onClause(spec, q)}`;
  }
  const first = `select ${columns.map((c) => `? as ${q(c.name)}`).join(', ')}`;
  const rest = ` union all select ${columns.map(() => '?').join(', ')}`;
  return `update ${table} as t join (${first}${rest.repeat(n - 1)}) as v on ${onClause(spec, q)} set ${setClause(spec, q, 't.')}`;
}

function setClause(spec: BulkUpdateSpec, q: (n: string) => string, prefix: string): string {
  return spec.assign
    .map((a) => {
      const value = `v.${q(a.from)}`;
      const stored = `t.${q(a.column)}`;
      const expr =
        a.op === 'add'
          ? `${stored} + ${value}`
          : a.op === 'coalesce'
            ? `coalesce(${value}, ${stored})`
            : value;
      return `${prefix}${q(a.column)} = ${expr}`;
    })
    .join(', ');
}

function onClause(spec: BulkUpdateSpec, q: (n: string) => string): string {
  return [
    `t.${q(spec.key.name)} = v.${q(spec.key.name)}`,
    ...(spec.guard ?? []).map((g) => `t.${q(g.column)} = v.${q(g.equals)}`),
  ].join(' and ');
}

function buildUpsertAdd(
  dialect: DialectName,
  q: (n: string) => string,
  spec: BulkUpsertAddSpec,
  n: number,
): string {
  const columns = [...spec.key, ...spec.add];
  const table = q(spec.table);
  const head = `insert into ${table} (${columns.map((c) => q(c.name)).join(', ')}) values `;
  const values = repeat(`(${columns.map(() => '?').join(', ')})`, n);
  if (dialect === 'mysql')
    return `${head}${values} on duplicate key update ${spec.add
      .map((c) => `${q(c.name)} = ${q(c.name)} + values(${q(c.name)})`)
      .join(', ')}`;
  return `${head}${values} on conflict (${spec.key.map((c) => q(c.name)).join(', ')}) do update set ${spec.add
    .map((c) => `${q(c.name)} = ${table}.${q(c.name)} + excluded.${q(c.name)}`)
    .join(', ')}`;
}

const PG_ROWS = 5_000;

/** PostgreSQL: one array parameter per column, `unnest`ed into rows. */
function postgresWriter(q: (n: string) => string): BulkWriter {
  const arrays = (columns: readonly BulkColumn[]) =>
    columns.map((c, i) => `$${i + 1}::${PG_TYPES[c.type]}[]`).join(', ');
  // One array per column for rows [start, end), each allocated at its final length.
  const columnar = (
    rows: readonly (readonly unknown[])[],
    [start, end]: [number, number],
    width: number,
  ) => {
    const out: unknown[][] = Array.from({ length: width }, () => new Array<unknown>(end - start));
    for (let i = start; i < end; i++) {
      const row = rows[i] as readonly unknown[];
      for (let j = 0; j < width; j++) (out[j] as unknown[])[i - start] = row[j];
    }
    return out;
  };
  const chunks = function* (count: number): Generator<[number, number]> {
    for (let i = 0; i < count; i += PG_ROWS) yield [i, Math.min(count, i + PG_ROWS)];
  };
  const updateSql = new WeakMap<BulkUpdateSpec, string>();
  const upsertSql = new WeakMap<BulkUpsertAddSpec, string>();
  // The parameters of a chunk of rows: one array per column.
  type Chunked = (chunk: [number, number], width: number) => unknown[][];
  const update = async (
    executor: Kysely<Database>,
    spec: BulkUpdateSpec,
    count: number,
    parameters: Chunked,
  ) => {
    const columns = [spec.key, ...spec.values];
    let text = updateSql.get(spec);
    if (text === undefined) {
      text = `update ${q(spec.table)} as t set ${setClause(spec, q, '')} from unnest(${arrays(columns)}) as v(${columns.map((c) => q(c.name)).join(', ')}) where ${onClause(spec, q)}`;
      updateSql.set(spec, text);
    }
    let updated = 0;
    for (const chunk of chunks(count)) {
      const result = await executor.executeQuery(
        CompiledQuery.raw(text, parameters(chunk, columns.length)),
      );
      updated += Number(result.numAffectedRows ?? 0n);
    }
    return updated;
  };
  return {
    updateByKey: (executor, spec, rows) =>
      update(executor, spec, rows.length, (chunk, width) => columnar(rows, chunk, width)),
    updateByKeyColumns: (executor, spec, columns, count) =>
      update(executor, spec, count, ([start, end]) => columns.map((c) => c.slice(start, end))),
    async upsertAdd(executor, spec, rows) {
      const columns = [...spec.key, ...spec.add];
      let text = upsertSql.get(spec);
      if (text === undefined) {
        const table = q(spec.table);
        text = `insert into ${table} (${columns.map((c) => q(c.name)).join(', ')}) select * from unnest(${arrays(columns)}) on conflict (${spec.key.map((c) => q(c.name)).join(', ')}) do update set ${spec.add
          .map((c) => `${q(c.name)} = ${table}.${q(c.name)} + excluded.${q(c.name)}`)
          .join(', ')}`;
        upsertSql.set(spec, text);
      }
      for (const chunk of chunks(rows.length))
        await executor.executeQuery(CompiledQuery.raw(text, columnar(rows, chunk, columns.length)));
    },
  };
}

function repeat(tuple: string, n: number): string {
  return new Array<string>(n).fill(tuple).join(', ');
}

/** [start, end) index ranges of at most MAX_ROWS rows (and MAX_PARAMETERS parameters). */
function* batches(count: number, width: number): Generator<[number, number]> {
  const size = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / width)));
  for (let i = 0; i < count; i += size) yield [i, Math.min(count, i + size)];
}

/** Value `j` of row `i` of what a caller hands over (rows, or columns). */
type Cells = (i: number, j: number) => unknown;

const rowCells =
  (rows: readonly (readonly unknown[])[]): Cells =>
  (i, j) =>
    (rows[i] as readonly unknown[])[j];

const columnCells =
  (columns: readonly (readonly unknown[])[]): Cells =>
  (i, j) =>
    (columns[j] as readonly unknown[])[i];

// The parameters of rows [start, end), `width` each, in one array allocated at its final length
// (no copies of the rows, no array growing as it fills).
type Flatten = (cells: Cells, start: number, end: number, width: number) => unknown[];

const flatValues: Flatten = (cells, start, end, width) => {
  const out = new Array<unknown>((end - start) * width);
  let k = 0;
  for (let i = start; i < end; i++) for (let j = 0; j < width; j++) out[k++] = cells(i, j);
  return out;
};

// SQLite: values already in the form better-sqlite3 binds (see toSqliteParameter), so the driver
// binds this array as it is instead of converting a copy; each distinct instant of a batch is
// formatted once (a poll's samples all share one bucket start).
const flatWithInstantText: Flatten = (cells, start, end, width) => {
  const out = new Array<unknown>((end - start) * width);
  const text = new Map<number, string>();
  let k = 0;
  for (let i = start; i < end; i++) {
    for (let j = 0; j < width; j++) {
      const v = cells(i, j);
      if (!(v instanceof Date)) {
        out[k++] = toSqliteParameter(v);
        continue;
      }
      const t = v.getTime();
      let s = text.get(t);
      if (s === undefined) text.set(t, (s = formatInstant(v)));
      out[k++] = s;
    }
  }
  return out;
};

// SQL text per (spec, row count): a poll's full batches share one text, so SQLite's statement
// cache and PostgreSQL's parser see the same statement again.
function cachedBuilder<S extends object>(
  build: (spec: S, n: number) => string,
): (spec: S, n: number) => string {
  const cache = new WeakMap<S, Map<number, string>>();
  return (spec, n) => {
    let bySize = cache.get(spec);
    if (!bySize) cache.set(spec, (bySize = new Map()));
    let text = bySize.get(n);
    if (text === undefined) {
      text = build(spec, n);
      if (bySize.size < 64) bySize.set(n, text);
    }
    return text;
  };
}
