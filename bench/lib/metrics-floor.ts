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
  const configurations = new Map(
    (db.prepare('select id, name from configurations').raw(true).all() as [number, string][]).map(
      ([id, name]) => [id, `{configuration="${escape(name)}",peer="`],
    ),
  );
  // One pass over the statement's raw rows into compact columns (no row kept), as the panel's
  // snapshot does: holding 100,000 row arrays costs more than the columns.
  const labelsOf: string[] = [];
  const rx: number[] = [];
  const tx: number[] = [];
  const limits: (number | null)[] = [];
  const expiries: (string | null)[] = [];
  const reasons = new Map<string, number>([
    ['traffic_limit', 0],
    ['expired', 0],
    ['manual', 0],
  ]);
  for (const r of db.prepare(FLOOR_SQL).raw(true).iterate() as IterableIterator<FloorRow>) {
    labelsOf.push(`${configurations.get(r[0])}${escape(r[1])}",name="${escape(r[2])}"`);
    rx.push(r[4]);
    tx.push(r[5]);
    limits.push(r[6]);
    expiries.push(r[7]);
    if (r[3] !== null) reasons.set(r[3], (reasons.get(r[3]) ?? 0) + 1);
  }
  let bytes = 0;
  const emit = (piece: string) => {
    bytes += Buffer.from(piece).length;
  };
  const family = (name: string, line: (i: number) => string) => {
    let piece = `# HELP ${name} x\n# TYPE ${name} gauge\n`;
    for (let i = 0; i < labelsOf.length; i++) {
      piece += line(i);
      if (i % PEERS_PER_PIECE === PEERS_PER_PIECE - 1) {
        emit(piece);
        piece = '';
      }
    }
    emit(piece);
  };
  family('wgfleet_peer_usage_bytes', (i) => {
    const l = labelsOf[i];
    return `wgfleet_peer_usage_bytes${l},direction="rx"} ${rx[i]}\nwgfleet_peer_usage_bytes${l},direction="tx"} ${tx[i]}\n`;
  });
  family('wgfleet_peer_traffic_limit_bytes', (i) =>
    limits[i] === null ? '' : `wgfleet_peer_traffic_limit_bytes${labelsOf[i]}} ${limits[i]}\n`,
  );
  family('wgfleet_peer_expiry_seconds', (i) => {
    const e = expiries[i];
    return e === null || e === undefined
      ? ''
      : `wgfleet_peer_expiry_seconds${labelsOf[i]}} ${(Date.parse(e) - nowMs) / 1000}\n`;
  });
  let restricted = '# HELP wgfleet_restricted_peers x\n# TYPE wgfleet_restricted_peers gauge\n';
  for (const [reason, n] of reasons)
    restricted += `wgfleet_restricted_peers{reason="${reason}"} ${n}\n`;
  emit(restricted);
  return { ms: performance.now() - t0, bytes, rows: labelsOf.length };
}
