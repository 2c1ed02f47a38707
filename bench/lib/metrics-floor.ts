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

/**
 * The floor of a /metrics scrape: the same per-peer families (usage rx/tx, limit, expiry,
 * restricted by reason) as the panel's text, built by plain string concatenation from one
 * prepared statement's raw rows, in this process — no prom-client, no HTTP, no streaming.
 * Returns the time and the size of the text (to compare with the panel's answer).
 */
export function metricsFloor(db: BetterSqlite3.Database, nowMs: number) {
  const t0 = performance.now();
  const rows = db.prepare(FLOOR_SQL).raw(true).all() as FloorRow[];
  const configurations = new Map(
    (db.prepare('select id, name from configurations').raw(true).all() as [number, string][]).map(
      ([id, name]) => [id, `configuration="${escape(name)}",peer="`],
    ),
  );
  let usage = '';
  let limit = '';
  let expiry = '';
  const reasons = new Map<string, number>([
    ['traffic_limit', 0],
    ['expired', 0],
    ['manual', 0],
  ]);
  for (const [cfg, key, name, reason, rx, tx, lim, exp] of rows) {
    const labels = `${configurations.get(cfg)}${escape(key)}",name="${escape(name)}"`;
    usage += `wgfleet_peer_usage_bytes{${labels},direction="rx"} ${rx}\n`;
    usage += `wgfleet_peer_usage_bytes{${labels},direction="tx"} ${tx}\n`;
    if (lim !== null) limit += `wgfleet_peer_traffic_limit_bytes{${labels}} ${lim}\n`;
    if (exp !== null)
      expiry += `wgfleet_peer_expiry_seconds{${labels}} ${(Date.parse(exp) - nowMs) / 1000}\n`;
    if (reason !== null) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  let restricted = '';
  for (const [reason, n] of reasons)
    restricted += `wgfleet_restricted_peers{reason="${reason}"} ${n}\n`;
  const text =
    '# HELP wgfleet_peer_usage_bytes x\n# TYPE wgfleet_peer_usage_bytes gauge\n' +
    usage +
    '# HELP wgfleet_peer_traffic_limit_bytes x\n# TYPE wgfleet_peer_traffic_limit_bytes gauge\n' +
    limit +
    '# HELP wgfleet_peer_expiry_seconds x\n# TYPE wgfleet_peer_expiry_seconds gauge\n' +
    expiry +
    '# HELP wgfleet_restricted_peers x\n# TYPE wgfleet_restricted_peers gauge\n' +
    restricted;
  // Flattened into one buffer, as a body handed to a socket is.
  const bytes = Buffer.byteLength(text);
  return { ms: performance.now() - t0, bytes, rows: rows.length };
}
