import type BetterSqlite3 from 'better-sqlite3';

// The columns the per-peer series need, read as arrays (no row objects), in one statement; the
// few configuration names in a map (cheaper than a join per row).
const FLOOR_SQL = `select configuration_id, public_key, name, restriction_reason, period_rx,
  period_tx, traffic_limit, expiry_date from peers`;

const NEEDS_ESCAPE = /[\\\n"]/;
const escape = (v: string) =>
  NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : v;

type FloorRow = [
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
 * restricted by reason) as the panel's text, built by plain string concatenation from one
 * prepared statement's raw rows, in this process — no prom-client, no HTTP. The text is built in
 * pieces of 250 peers, each encoded to bytes (as a socket write does) and dropped: building one
 * 50 MB string costs more than that (a rope to flatten, an old generation to fill).
 * Returns the time and the size of the text (to compare with the panel's answer).
 */
export function metricsFloor(db: BetterSqlite3.Database, nowMs: number) {
  const t0 = performance.now();
  const rows = db.prepare(FLOOR_SQL).raw(true).all() as FloorRow[];
  const configurations = new Map(
    (db.prepare('select id, name from configurations').raw(true).all() as [number, string][]).map(
      ([id, name]) => [id, `{configuration="${escape(name)}",peer="`],
    ),
  );
  let bytes = 0;
  const emit = (piece: string) => {
    bytes += Buffer.from(piece).length;
  };
  const labels = (r: FloorRow) =>
    `${configurations.get(r[0])}${escape(r[1])}",name="${escape(r[2])}"`;
  const family = (name: string, line: (r: FloorRow) => string) => {
    let piece = `# HELP ${name} x\n# TYPE ${name} gauge\n`;
    for (let i = 0; i < rows.length; i++) {
      piece += line(rows[i] as FloorRow);
      if (i % PEERS_PER_PIECE === PEERS_PER_PIECE - 1) {
        emit(piece);
        piece = '';
      }
    }
    emit(piece);
  };
  family('wgfleet_peer_usage_bytes', (r) => {
    const l = labels(r);
    return `wgfleet_peer_usage_bytes${l},direction="rx"} ${r[4]}\nwgfleet_peer_usage_bytes${l},direction="tx"} ${r[5]}\n`;
  });
  family('wgfleet_peer_traffic_limit_bytes', (r) =>
    r[6] === null ? '' : `wgfleet_peer_traffic_limit_bytes${labels(r)}} ${r[6]}\n`,
  );
  family('wgfleet_peer_expiry_seconds', (r) =>
    r[7] === null
      ? ''
      : `wgfleet_peer_expiry_seconds${labels(r)}} ${(Date.parse(r[7]) - nowMs) / 1000}\n`,
  );
  const reasons = new Map<string, number>([
    ['traffic_limit', 0],
    ['expired', 0],
    ['manual', 0],
  ]);
  for (const r of rows) if (r[3] !== null) reasons.set(r[3], (reasons.get(r[3]) ?? 0) + 1);
  let restricted = '# HELP wgfleet_restricted_peers x\n# TYPE wgfleet_restricted_peers gauge\n';
  for (const [reason, n] of reasons)
    restricted += `wgfleet_restricted_peers{reason="${reason}"} ${n}\n`;
  emit(restricted);
  return { ms: performance.now() - t0, bytes, rows: rows.length };
}
