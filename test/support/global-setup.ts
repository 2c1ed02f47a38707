import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { mariadbUrlUnderTest, pgUrlUnderTest } from '../db/support/dialects-under-test.js';
import {
  dropMariadbDatabase,
  makeMariadbTemplate,
  type MariadbTemplate,
} from '../db/support/mariadb-template.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated MariaDB database the integration tests' namespaces are copied from. */
    mariadbTemplate: MariadbTemplate | undefined;
    /** The name prefix of this run's PostgreSQL schemas, all dropped when the run ends. */
    pgSchemaPrefix: string | undefined;
  }
}

/** Once per run of the integration project: what its test namespaces share. */
export default async function setup(project: TestProject) {
  const dropSchemas = pgSchemasOfThisRun(project);
  const dropTemplate = await mariadbTemplate(project);
  return async () => {
    await dropTemplate?.();
    await dropSchemas?.();
  };
}

/**
 * The run's PostgreSQL schemas: named `wgf_r<random>_…` and all dropped when the run ends, not
 * when each test is done — the migrator lists every schema of the database, and a schema dropped
 * by another worker during that query failed it.
 */
function pgSchemasOfThisRun(project: TestProject): (() => Promise<void>) | undefined {
  const url = pgUrlUnderTest();
  const prefix = url ? `wgf_r${randomBytes(4).toString('hex')}` : undefined;
  project.provide('pgSchemaPrefix', prefix);
  if (!url || !prefix) return undefined;
  return async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ nspname: string }>(
        'select nspname from pg_namespace where starts_with(nspname, $1)',
        [`${prefix}_`],
      );
      for (const { nspname } of rows)
        await client.query(`drop schema if exists "${nspname}" cascade`);
    } finally {
      await client.end();
    }
  };
}

/**
 * Migrates one MariaDB database that every `createNamespace({ migrated: true })` copies (a copy
 * takes under 1 s, migrating 2–6 s, and nearly every file of the project makes one or two).
 * Dropped when the run ends.
 */
async function mariadbTemplate(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const url = mariadbUrlUnderTest();
  if (!url) {
    project.provide('mariadbTemplate', undefined);
    return undefined;
  }
  const database = `wgf_template${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    project.provide('mariadbTemplate', await makeMariadbTemplate(url, database));
  } catch (err) {
    await dropMariadbDatabase(url, database);
    throw err;
  }
  return () => dropMariadbDatabase(url, database);
}
