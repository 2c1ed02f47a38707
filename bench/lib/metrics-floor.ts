import type BetterSqlite3 from 'better-sqlite3';

// The columns the per-peer series need, read as arrays (no row objects) by one prepared
// statement, 2,000 rows by id at a time (rows that die young); configuration names in a map.
const FLOOR_SQL = `select id, configuration_id, public_key, name, restriction_reason, period_rx,
  period_tx, traffic_limit, expiry_date from peers where id > ? order by id limit 2000`;

const NEEDS_ESCAPE = /[\\\n"]/;
const escape = (v: string) =>
  NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : v;

type FloorRow = [
  number,
  number,
  string,
  string,
  string | null,
  number,
  number,
  number | null,
  string | null,
];

const PEERS_PER_PIECE = 250;

/**
 * The floor of a /metrics scrape: the same per-peer families (usage rx/tx, limit, expiry,
 * restricted by reason) as the panel's text, from raw rows of one prepared statement into
 * columns, then plain string concatenation in pieces of 250 peers, each encoded to bytes (as a
 * socket write does) and dropped — the panel's algorithm without Kysely, row objects, HTTP or
 * streaming. Run in a process of its own (metrics-floor-process.ts), so the benchmark's heap
 * (fixture, answers read) does not slow it. Returns the time and the size of the text.
 */
export function metricsFloor(db: BetterSqlite3.Database, nowMs: number) {
  const t0 = performance.now();
  const stmt = db.prepare(FLOOR_SQL).raw(true);
  const keys: string[] = [];
  const names: string[] = [];
  const configurationIds: number[] = [];
  const rx: number[] = [];
  const tx: number[] = [];
  const limits: number[] = [];
  const expiries: number[] = [];
  const reasons = new Map<string, number>([
    ['traffic_limit', 0],
    ['expired', 0],
    ['manual', 0],
  ]);
  for (let after = 0; ;) {
    const rows = stmt.all(after) as FloorRow[];
    for (const r of rows) {
      configurationIds.push(r[1]);
      keys.push(r[2]);
      names.push(r[3]);
      if (r[4] !== null) reasons.set(r[4], (reasons.get(r[4]) ?? 0) + 1);
      rx.push(r[5]);
      tx.push(r[6]);
      limits.push(r[7] ?? NaN);
      expiries.push(r[8] === null ? NaN : Date.parse(r[8]));
    }
    if (rows.length < 2000) break;
    after = (rows[rows.length - 1] as FloorRow)[0];
  }
  const prefixes = new Map(
    (db.prepare('select id, name from configurations').raw(true).all() as [number, string][]).map(
      ([id, name]) => [id, `{configuration="${escape(name)}",peer="`],
    ),
  );
  const labels = (i: number) =>
    `${prefixes.get(configurationIds[i] as number)}${escape(keys[i] as string)}",name="${escape(names[i] as string)}"`;
  let bytes = 0;
  const emit = (piece: string) => {
    bytes += Buffer.from(piece).length;
  };
  const family = (name: string, line: (i: number) => string) => {
    let piece = `# HELP ${name} x\n# TYPE ${name} gauge\n`;
    for (let i = 0; i < keys.length; i++) {
      piece += line(i);
      if (i % PEERS_PER_PIECE === PEERS_PER_PIECE - 1) {
        emit(piece);
        piece = '';
      }
    }
    emit(piece);
  };
  family('wgfleet_peer_usage_bytes', (i) => {
    const l = labels(i);
    return `wgfleet_peer_usage_bytes${l},direction="rx"} ${rx[i]}\nwgfleet_peer_usage_bytes${l},direction="tx"} ${tx[i]}\n`;
  });
  family('wgfleet_peer_traffic_limit_bytes', (i) =>
    Number.isNaN(limits[i]) ? '' : `wgfleet_peer_traffic_limit_bytes${labels(i)}} ${limits[i]}\n`,
  );
  family('wgfleet_peer_expiry_seconds', (i) =>
    Number.isNaN(expiries[i])
      ? ''
      : `wgfleet_peer_expiry_seconds${labels(i)}} ${((expiries[i] as number) - nowMs) / 1000}\n`,
  );
  let restricted = '# HELP wgfleet_restricted_peers x\n# TYPE wgfleet_restricted_peers gauge\n';
  for (const [reason, n] of reasons)
    restricted += `wgfleet_restricted_peers{reason="${reason}"} ${n}\n`;
  emit(restricted);
  return { ms: performance.now() - t0, bytes, rows: keys.length };
}
