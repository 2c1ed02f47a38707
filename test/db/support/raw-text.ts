import { sql } from 'kysely';
import type { Database, DatabaseHandle } from '../../../src/panel/adapters/db/index.js';
import type { TestNamespace } from './dialects-under-test.js';

/** One stored value, as text, and where it is. */
export interface RawValue {
  readonly table: string;
  readonly column: string;
  readonly text: string;
}

/**
 * Every value of every table of the namespace (the migration bookkeeping included), read with
 * plain SELECTs past the repositories, as text: strings as stored, binary as UTF-8 and as hex,
 * numbers and dates by String().
 */
export async function everyStoredValue(
  handle: DatabaseHandle,
  namespace: TestNamespace,
): Promise<RawValue[]> {
  const tables = await tablesOf(handle, namespace);
  const out: RawValue[] = [];
  for (const name of tables) {
    // Every table, whatever the schema type knows of it (bookkeeping tables too).
    const rows = await handle.db
      .selectFrom(name as keyof Database)
      .selectAll()
      .execute();
    for (const row of rows as Record<string, unknown>[])
      for (const [column, v] of Object.entries(row)) {
        if (v === null || v === undefined) continue;
        const texts = Buffer.isBuffer(v)
          ? [v.toString('utf8'), v.toString('hex')]
          : [v instanceof Date ? v.toISOString() : String(v)];
        for (const text of texts) out.push({ table: name, column, text });
      }
  }
  return out;
}

/**
 * The namespace's tables, from the catalog of its own schema or database only (Kysely's
 * introspection reads every schema, and fails when another suite drops one meanwhile).
 */
async function tablesOf(handle: DatabaseHandle, namespace: TestNamespace): Promise<string[]> {
  const query =
    handle.dialect.name === 'sqlite'
      ? sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
      : handle.dialect.name === 'postgres'
        ? sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = ${namespace.schema ?? 'public'} and table_type = 'BASE TABLE'`
        : sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE'`;
  const names = (await query.execute(handle.db)).rows.map((r) => r.name);
  if (names.length === 0) throw new Error('no tables found: wrong namespace?');
  return names;
}

/** The places where any of `secrets` (or its bytes in hex, for base64 keys) is stored in clear. */
export function clearSecretsIn(values: readonly RawValue[], secrets: readonly string[]): string[] {
  const needles = secrets.flatMap((s) => {
    const bytes = Buffer.from(s, 'base64');
    return bytes.length === 32 ? [s, bytes.toString('hex')] : [s];
  });
  const found: string[] = [];
  for (const v of values)
    for (const n of needles) if (v.text.includes(n)) found.push(`${v.table}.${v.column}`);
  return found;
}
