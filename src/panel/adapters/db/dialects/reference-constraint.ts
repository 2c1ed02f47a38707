import { sql, type Kysely } from 'kysely';
import type { ReferenceColumn } from './sql-dialect.js';

/** addReferenceColumn where a foreign key can be added as a table constraint (PostgreSQL, MySQL). */
export async function addReferenceConstraint(
  db: Kysely<unknown>,
  r: ReferenceColumn,
): Promise<void> {
  await db.schema.alterTable(r.table).addColumn(r.column, 'integer').execute();
  await db.schema.createIndex(r.index).on(r.table).column(r.column).execute();
  await db.schema
    .alterTable(r.table)
    .addForeignKeyConstraint(r.constraint, [r.column], r.refTable, ['id'], (f) =>
      f.onDelete(r.onDelete),
    )
    .execute();
}

/** dropReferenceColumn on PostgreSQL. */
export async function dropReferencePostgres(
  db: Kysely<unknown>,
  r: ReferenceColumn,
): Promise<void> {
  await db.schema.alterTable(r.table).dropConstraint(r.constraint).execute();
  await db.schema.dropIndex(r.index).execute();
  await db.schema.alterTable(r.table).dropColumn(r.column).execute();
}

/** dropReferenceColumn on MySQL: the foreign key first (it needs the index while it exists). */
export async function dropReferenceMysql(db: Kysely<unknown>, r: ReferenceColumn): Promise<void> {
  await sql`alter table ${sql.table(r.table)} drop foreign key ${sql.ref(r.constraint)}`.execute(
    db,
  );
  await db.schema.dropIndex(r.index).on(r.table).execute();
  await db.schema.alterTable(r.table).dropColumn(r.column).execute();
}
