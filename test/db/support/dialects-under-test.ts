import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { inject } from 'vitest';
import type { DialectName } from '../../../src/panel/adapters/db/index.js';
import { cloneMariadbTemplate, dropMariadbDatabase } from './mariadb-template.js';

/** An isolated, throw-away place for one test's tables: a file, a PG schema or a MariaDB database. */
export interface TestNamespace {
  readonly url: string;
  /** The PostgreSQL schema, when there is one (introspection lists every schema). */
  readonly schema: string | undefined;
  drop(): Promise<void>;
}

/** A database server the suite runs against. */
export interface DialectUnderTest {
  readonly name: DialectName;
  /**
   * Makes a new namespace. `precreate: false` leaves a PostgreSQL schema to the migrator (a
   * MariaDB database is always created: a connection needs one). `migrated: true`, for tests
   * whose subject is not the migrations: on MariaDB, a copy of the database the suite migrated
   * once (test/support/global-setup.ts), when there is one; migrating it again finds nothing
   * to do. Elsewhere empty as always (their migrations take a fraction of a second).
   */
  createNamespace(options?: { precreate?: boolean; migrated?: boolean }): Promise<TestNamespace>;
}

const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';

/** The PostgreSQL server's admin URL, or null when WGFLEET_TEST_PG_URL is `skip`. */
export function pgUrlUnderTest(): string | null {
  const url = process.env.WGFLEET_TEST_PG_URL ?? DEFAULT_PG_URL;
  return url === 'skip' ? null : url;
}

/** The MariaDB server's admin URL, or null when WGFLEET_TEST_MYSQL_URL is `skip`. */
export function mariadbUrlUnderTest(): string | null {
  const url = process.env.WGFLEET_TEST_MYSQL_URL ?? DEFAULT_MYSQL_URL;
  return url === 'skip' ? null : url;
}

/** The prefix of this run's PostgreSQL schemas, when the run drops them at its end. */
function pgRunPrefix(): string | undefined {
  try {
    return inject('pgSchemaPrefix');
  } catch {
    return undefined; // not under a project with the global setup
  }
}

function uniqueName(): string {
  return `wgf_t${process.pid}_${randomBytes(5).toString('hex')}`;
}

const sqlite: DialectUnderTest = {
  name: 'sqlite',
  async createNamespace() {
    const dir = await mkdtemp(join(tmpdir(), 'wgfleet-db-'));
    return {
      url: `sqlite:${join(dir, 'panel.db')}`,
      schema: undefined,
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

function postgres(adminUrl: string): DialectUnderTest {
  const admin = async <T>(statement: string, run?: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(statement);
      return run ? await run(client) : undefined;
    } finally {
      await client.end();
    }
  };
  // In the integration project, schemas are named after its run and dropped when the run ends
  // (global setup, `wgf_r…`): the migrator lists every schema of the database, and one dropped by another
  // worker during that query failed it ("schema wgf_t… does not exist"). Elsewhere (the e2e
  // tests, one file at a time) each is dropped when its test is done.
  return {
    name: 'postgres',
    async createNamespace({ precreate = true } = {}) {
      const run = pgRunPrefix();
      const schema = run ? `${run}_${randomBytes(5).toString('hex')}` : uniqueName();
      if (precreate) await admin(`create schema ${schema}`);
      const url = new URL(adminUrl);
      url.searchParams.set('schema', schema);
      return {
        url: url.toString(),
        schema,
        drop: async () => {
          if (!run) await admin(`drop schema if exists ${schema} cascade`);
        },
      };
    },
  };
}

function mariadb(adminUrl: string): DialectUnderTest {
  const admin = async (statement: string) => {
    const connection = await mysql.createConnection({ uri: adminUrl });
    try {
      await connection.query(statement);
    } finally {
      await connection.end();
    }
  };
  return {
    name: 'mysql',
    async createNamespace({ migrated = false } = {}) {
      const database = uniqueName();
      // Provided by the integration project's global setup; absent elsewhere (the e2e tests).
      const template = migrated ? inject('mariadbTemplate') : undefined;
      if (template) await cloneMariadbTemplate(adminUrl, template, database);
      else await admin(`create database ${database}`);
      const url = new URL(adminUrl);
      url.pathname = `/${database}`;
      return {
        url: url.toString(),
        schema: undefined,
        drop: () => dropMariadbDatabase(adminUrl, database),
      };
    },
  };
}

/**
 * SQLite always; PostgreSQL and MariaDB from WGFLEET_TEST_PG_URL / WGFLEET_TEST_MYSQL_URL (the
 * servers on this machine by default). Set a variable to `skip` to leave that server out.
 */
export const DIALECTS_UNDER_TEST: readonly DialectUnderTest[] = [
  sqlite,
  ...serverFromEnv('WGFLEET_TEST_PG_URL', DEFAULT_PG_URL, postgres),
  ...serverFromEnv('WGFLEET_TEST_MYSQL_URL', DEFAULT_MYSQL_URL, mariadb),
];

function serverFromEnv(
  variable: string,
  fallback: string,
  make: (url: string) => DialectUnderTest,
): DialectUnderTest[] {
  const url = process.env[variable] ?? fallback;
  return url === 'skip' ? [] : [make(url)];
}
