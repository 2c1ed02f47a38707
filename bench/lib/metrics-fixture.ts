import BetterSqlite3 from 'better-sqlite3';
import { migrateToLatest, openDatabase } from '../../src/panel/adapters/db/index.js';
import { createIngestFixture } from './ingest-fixture.js';

/**
 * Fills a new SQLite file with `nodes` nodes × `peers` peers for the /metrics benchmark, with the
 * figures a busy fleet's scrape shows: every peer has usage, one in four a traffic limit, one in
 * eight an expiry date (some past), one in a hundred is restricted (by each reason in turn), one
 * in a thousand has a name that needs escaping in the text format: ~2.4 series a peer. The nodes point at a closed port on
 * loopback, so the panel's polls fail at once and do not compete with the scrapes.
 */
export async function createMetricsFixture(file: string, nodes: number, peers: number) {
  const handle = openDatabase(`sqlite:${file}`);
  try {
    await migrateToLatest(handle);
    await createIngestFixture(handle, nodes, peers);
  } finally {
    await handle.close();
  }
  const db = new BetterSqlite3(file);
  try {
    db.exec(`
      update nodes set url = 'https://127.0.0.1:9';
      update peers set
        period_rx = id * 1000 + 7, period_tx = id * 3000 + 11,
        lifetime_rx = id * 5000, lifetime_tx = id * 9000,
        traffic_limit = case when id % 4 = 0 then traffic_limit end,
        expiry_date = case when id % 8 = 0
          then strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('%+d hours', (id % 2000) - 100))
          end,
        name = case when id % 1000 = 0 then printf('peer "%d" \\ %s', id, name) else name end;
      update peers set status = 'restricted',
        restriction_reason = case id % 3 when 0 then 'traffic_limit' when 1 then 'expired' else 'manual' end,
        restricted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        where id % 100 = 0;
    `);
  } finally {
    db.close();
  }
}
