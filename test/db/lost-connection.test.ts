import { sql } from 'kysely';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/panel/adapters/db/index.js';
import { DIALECTS_UNDER_TEST } from './support/dialects-under-test.js';
import { useMigratedDatabase } from './support/migrated-database.js';
import { waitFor } from '../support/wait-for.js';

// A connection the pool has handed out (a transaction, the migrator's lock) can lose its server
// between two statements: a restart, a failover, an administrator's kill. The statement after it
// must fail, and the process must live on (node-postgres emits 'error' on such a client, which
// crashes the process if nobody listens).

const KILL: Record<string, (adminUrl: string, id: number) => Promise<void>> = {
  postgres: async (url, pid) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('select pg_terminate_backend($1)', [pid]);
    } finally {
      await client.end();
    }
  },
  mysql: async (url, id) => {
    const connection = await mysql.createConnection({ uri: url });
    try {
      await connection.query(`kill ${Math.trunc(id)}`);
    } finally {
      await connection.end();
    }
  },
};

const SESSION_ID: Record<string, string> = {
  postgres: 'select pg_backend_pid() as id',
  mysql: 'select connection_id() as id',
};

const servers = DIALECTS_UNDER_TEST.filter((d) => d.name !== 'sqlite');

describe.each(servers)('a checked-out $name connection that loses its server', (target) => {
  const handle = useMigratedDatabase(target);

  it('fails the next statement and leaves the process and the pool working', async () => {
    const h: DatabaseHandle = handle();
    const adminUrl = adminUrlOf(target.name);
    const outcome = await h.db
      .transaction()
      .execute(async (trx) => {
        const { rows } = await sql<{
          id: number | bigint;
        }>`${sql.raw(SESSION_ID[target.name]!)}`.execute(trx);
        await KILL[target.name]!(adminUrl, Number(rows[0]!.id));
        // The server closes the socket on its own time: keep asking until the statement fails.
        await waitFor('the killed session to fail a statement', async () => {
          try {
            await sql`select 1`.execute(trx);
            return undefined;
          } catch {
            return true;
          }
        });
        return 'failed as expected';
      })
      .catch((e: unknown) => (e instanceof Error ? 'failed as expected' : String(e)));
    expect(outcome).toBe('failed as expected');
    // The pool replaces the lost connection.
    const again = await sql<{ one: number }>`select 1 as one`.execute(h.db);
    expect(Number(again.rows[0]!.one)).toBe(1);
  });
});

function adminUrlOf(name: string): string {
  return name === 'postgres'
    ? (process.env['WGFLEET_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test')
    : (process.env['WGFLEET_TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test');
}
