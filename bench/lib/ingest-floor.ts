import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

// Six columns like the ingest's write, but not the raw counters: the floor must not disturb the
// ledger (it runs between the ingest's cycles on the same rows).
const FLOOR_SQL =
  'update peers set period_rx = period_rx + $1, period_tx = period_tx + $2, lifetime_rx = lifetime_rx + $3, lifetime_tx = lifetime_tx + $4, endpoint = $5, latest_handshake_at = $6 where id = $7';

/**
 * The floor: the same number of rows updated by one bare prepared statement, one row per
 * execution, in one transaction, straight on the driver (better-sqlite3 / node-postgres with a
 * named prepared statement) — no query builder, no ledger, no policy.
 */
export async function sqliteFloor(path: string, ids: readonly number[], round: number) {
  const db = new BetterSqlite3(path);
  try {
    db.pragma('synchronous = NORMAL');
    const stmt = db.prepare(FLOOR_SQL.replace(/\$\d/g, '?'));
    const t0 = performance.now();
    db.transaction(() => {
      for (const id of ids)
        stmt.run(1000, 3000, 1000, 3000, `198.51.100.1:${round}`, stamp(round), id);
    })();
    return performance.now() - t0;
  } finally {
    db.close();
  }
}

/** The floor on PostgreSQL, on one connection of `connectionString` (schema on search_path). */
export async function postgresFloor(
  connectionString: string,
  ids: readonly number[],
  round: number,
): Promise<number> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const t0 = performance.now();
    await client.query('begin');
    for (const id of ids)
      await client.query({
        name: 'floor',
        text: FLOOR_SQL,
        values: [1000, 3000, 1000, 3000, `198.51.100.1:${round}`, new Date(stamp(round)), id],
      });
    await client.query('commit');
    return performance.now() - t0;
  } finally {
    await client.end();
  }
}

function stamp(round: number): string {
  return new Date(Date.UTC(2026, 10, 27, 12, round)).toISOString();
}
