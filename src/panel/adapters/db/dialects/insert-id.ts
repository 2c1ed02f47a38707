import type { Insertable, Kysely } from 'kysely';
import type { Database, TableWithId } from '../schema/database.js';
import { toSafeNumber } from '../values.js';

// Kysely cannot type `insertInto(T)` for a generic T; the casts pin one concrete table, which has
// the same `id` column as every member of TableWithId.

/** Inserts a row and reads its id from the driver's insert id (SQLite, MySQL). */
export async function insertUsingInsertId<T extends TableWithId>(
  db: Kysely<Database>,
  table: T,
  row: Insertable<Database[T]>,
): Promise<number> {
  const result = await db
    .insertInto(table as 'nodes')
    .values(row as Insertable<Database['nodes']>)
    .executeTakeFirstOrThrow();
  if (result.insertId === undefined) throw new Error(`insert into ${table} returned no id`);
  return toSafeNumber(result.insertId, `${table}.id`);
}

/** Inserts a row and reads its id with `RETURNING id` (PostgreSQL). */
export async function insertUsingReturning<T extends TableWithId>(
  db: Kysely<Database>,
  table: T,
  row: Insertable<Database[T]>,
): Promise<number> {
  const inserted = await db
    .insertInto(table as 'nodes')
    .values(row as Insertable<Database['nodes']>)
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}
