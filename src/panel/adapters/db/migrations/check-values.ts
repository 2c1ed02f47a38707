import { sql, type RawBuilder } from 'kysely';

/**
 * `column in ('a', 'b', …)` from a domain array (src/panel/domain/vocabulary.ts), for the CHECK of
 * a new migration. Migrations released before this helper spell their lists out literally and
 * stay that way: a migration is history, and must build on a fresh database the table it built
 * when it was released, whatever the domain lists have become since. A change to a list is a new
 * migration that rewrites the CHECK with this helper (test/db/vocabulary.test.ts holds the
 * database to the domain).
 */
export function valuesIn(column: string, values: readonly string[]): RawBuilder<unknown> {
  if (values.length === 0) throw new Error(`valuesIn(${column}): no values`);
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}
