import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { SqlDdl } from '../dialects/sql-dialect.js';

/**
 * One versioned schema change. `name` orders migrations (zero-padded number first) and is what
 * the migration table records, so it never changes once released; neither does the body.
 * Migrations see the database as untyped (`Kysely<unknown>`): they describe the schema of their
 * own time, not today's `Database` interface.
 */
export interface SchemaMigration {
  readonly name: string;
  up(db: Kysely<unknown>, ddl: SqlDdl): Promise<void>;
  down(db: Kysely<unknown>, ddl: SqlDdl): Promise<void>;
}

/**
 * Serves migrations compiled into the program (no directory scan, so bundling or a moved `dist/`
 * cannot lose one), each bound to the dialect's DDL building blocks.
 */
export class SchemaMigrationProvider implements MigrationProvider {
  readonly #migrations: readonly SchemaMigration[];
  readonly #ddl: SqlDdl;

  constructor(migrations: readonly SchemaMigration[], ddl: SqlDdl) {
    const names = new Set(migrations.map((m) => m.name));
    if (names.size !== migrations.length) throw new Error('duplicate migration name');
    this.#migrations = migrations;
    this.#ddl = ddl;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    const ddl = this.#ddl;
    return Object.fromEntries(
      this.#migrations.map((m) => [
        m.name,
        {
          up: (db: Kysely<unknown>) => m.up(db, ddl),
          down: (db: Kysely<unknown>) => m.down(db, ddl),
        },
      ]),
    );
  }
}
