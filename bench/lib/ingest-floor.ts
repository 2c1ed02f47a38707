import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

// Six columns like the ingest's write, but not the raw counters: the floor must not disturb the
// ledger (it runs between the ingest's cycles on the same rows).
const FLOOR_SQL =
  'update peers set period_rx = period_rx + $1, period_tx = period_tx + $2, lifetime_rx = lifetime_rx + $3, lifetime_tx = lifetime_tx + $4, endpoint = $5, latest_handshake_at = $6 where id = $7';

/**
 * The floor on SQLite: the same number of rows updated by one bare prepared statement, one row per
 * execution (in-process, so no round trips), in one transaction, straight on better-sqlite3 — no
 * query builder, no ledger, no policy.
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

// The same update as one statement over column arrays, as the product's bulk writer sends it on
// PostgreSQL (adapters/db/dialects/bulk-sql.ts), but for every row at once.
const PG_FLOOR_SQL =
  'update peers as t set period_rx = t.period_rx + v.rx, period_tx = t.period_tx + v.tx, lifetime_rx = t.lifetime_rx + v.lrx, lifetime_tx = t.lifetime_tx + v.ltx, endpoint = v.endpoint, latest_handshake_at = v.hs from unnest($1::int4[], $2::int8[], $3::int8[], $4::int8[], $5::int8[], $6::text[], $7::timestamptz[]) as v(id, rx, tx, lrx, ltx, endpoint, hs) where t.id = v.id';

/**
 * The floor on PostgreSQL, on one connection of `connectionString` (schema on search_path): one
 * batched statement updating every row (one array parameter per column), in one transaction.
 * One round trip per row is no floor there: each costs a network turn, which the product avoids.
 */
export async function postgresFloor(
  connectionString: string,
  ids: readonly number[],
  round: number,
): Promise<number> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const t0 = performance.now();
    const n = ids.length;
    const fill = <T>(v: T) => new Array<T>(n).fill(v);
    await client.query('begin');
    const result = await client.query(PG_FLOOR_SQL, [
      ids,
      fill(1000),
      fill(3000),
      fill(1000),
      fill(3000),
      fill(`198.51.100.1:${round}`),
      fill(stamp(round)),
    ]);
    await client.query('commit');
    if (result.rowCount !== n) throw new Error(`floor updated ${result.rowCount} of ${n} rows`);
    return performance.now() - t0;
  } finally {
    await client.end();
  }
}

function stamp(round: number): string {
  return new Date(Date.UTC(2026, 10, 27, 12, round)).toISOString();
}
