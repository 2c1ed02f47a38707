/** One peer's figures for the per-peer series of /metrics. */
export interface PeerSeriesRow {
  readonly id: number;
  readonly configuration_id: number;
  readonly public_key: string;
  readonly name: string;
  readonly period_rx: bigint;
  readonly period_tx: bigint;
  readonly traffic_limit: bigint | null;
  readonly expiry_date: Date | null;
}

/**
 * Every peer's figures at one moment, column by column: the strings as read and numbers in
 * arrays of doubles (NaN where a peer has no limit / no expiry), about 110 bytes a peer. Row
 * objects are read in batches and dropped, so a scrape of 100,000 peers holds ~11 MB, not the
 * rows or the whole text.
 */
export interface PeerSeriesSnapshot {
  readonly size: number;
  readonly keys: readonly string[];
  readonly names: readonly string[];
  /** Index into `configurations`. */
  readonly configuration: readonly number[];
  readonly configurations: readonly string[];
  readonly rx: readonly number[];
  readonly tx: readonly number[];
  readonly limit: readonly number[];
  /** Milliseconds since the epoch. */
  readonly expiry: readonly number[];
}

/**
 * Builds a snapshot from batches of rows. Names are read after the peers, so each configuration a
 * peer was read with is known; peers of one deleted meanwhile are left out.
 */
export async function readPeerSeries(
  batches: AsyncIterable<readonly PeerSeriesRow[]>,
  configurationNames: () => Promise<ReadonlyMap<number, string>>,
): Promise<PeerSeriesSnapshot> {
  const s = {
    keys: [] as string[],
    names: [] as string[],
    configuration: [] as number[],
    rx: [] as number[],
    tx: [] as number[],
    limit: [] as number[],
    expiry: [] as number[],
  };
  const configurationIds: number[] = [];
  for await (const batch of batches)
    for (const r of batch) {
      configurationIds.push(r.configuration_id);
      s.keys.push(r.public_key);
      s.names.push(r.name);
      s.rx.push(Number(r.period_rx));
      s.tx.push(Number(r.period_tx));
      s.limit.push(r.traffic_limit === null ? NaN : Number(r.traffic_limit));
      s.expiry.push(r.expiry_date === null ? NaN : r.expiry_date.getTime());
    }
  const byId = await configurationNames();
  const configurations: string[] = [];
  const index = new Map<number, number>();
  const columns = [s.keys, s.names, s.rx, s.tx, s.limit, s.expiry] as unknown[][];
  let kept = 0;
  for (let i = 0; i < configurationIds.length; i++) {
    const id = configurationIds[i] as number;
    let at = index.get(id);
    if (at === undefined) {
      const name = byId.get(id);
      if (name === undefined) continue;
      at = configurations.push(name) - 1;
      index.set(id, at);
    }
    // Compacted in place over the peers left out.
    s.configuration.push(at);
    if (kept !== i) for (const c of columns) c[kept] = c[i];
    kept++;
  }
  for (const c of columns) c.length = kept;
  return { ...s, size: kept, configurations };
}

const NEEDS_ESCAPE = /[\\\n"]/;

/** A label value as the text format wants it (prom-client's escaping). */
export function escapeLabelValue(v: string): string {
  return NEEDS_ESCAPE.test(v)
    ? v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
    : v;
}

/** A sample value as prom-client writes it. */
function valueText(v: number): string {
  if (Number.isNaN(v)) return 'Nan';
  if (!Number.isFinite(v)) return v < 0 ? '-Inf' : '+Inf';
  return `${v}`;
}

/** Peers per piece of text handed on (a few hundred series, ~30–60 kB). */
const PEERS_PER_PIECE = 250;

/** A family's HELP and TYPE lines, then each peer's lines (`''`: none), in pieces. */
function* family(
  name: string,
  help: string,
  size: number,
  peerLines: (i: number) => string,
): Generator<string> {
  let piece = `\n# HELP ${name} ${help}\n# TYPE ${name} gauge\n`;
  for (let i = 0; i < size; i++) {
    piece += peerLines(i);
    if (i % PEERS_PER_PIECE === PEERS_PER_PIECE - 1 && piece) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}

/**
 * The per-peer families (usage by direction, limit, seconds until expiry) in the Prometheus text
 * format, each with its HELP and TYPE lines, as pieces of text of a few hundred series: the lines
 * prom-client's gauges wrote, family by family, peers in the snapshot's order.
 */
export function* peerSeriesText(s: PeerSeriesSnapshot, nowMs: number): Generator<string> {
  const prefixes = s.configurations.map((c) => `{configuration="${escapeLabelValue(c)}",peer="`);
  const labels = (i: number) =>
    `${prefixes[s.configuration[i] as number]}${escapeLabelValue(s.keys[i] as string)}",name="${escapeLabelValue(s.names[i] as string)}"`;
  const usage = 'wgfleet_peer_usage_bytes';
  yield* family(
    usage,
    'Bytes used by a peer in its current period (rx: received by the node, tx: sent)',
    s.size,
    (i) => {
      const l = labels(i);
      return (
        `${usage}${l},direction="rx"} ${valueText(s.rx[i] as number)}\n` +
        `${usage}${l},direction="tx"} ${valueText(s.tx[i] as number)}\n`
      );
    },
  );
  const limit = 'wgfleet_peer_traffic_limit_bytes';
  yield* family(
    limit,
    'Traffic limit of a peer per period (rx + tx); peers without a limit are left out',
    s.size,
    (i) => {
      const v = s.limit[i] as number;
      return Number.isNaN(v) ? '' : `${limit}${labels(i)}} ${valueText(v)}\n`;
    },
  );
  const expiry = 'wgfleet_peer_expiry_seconds';
  yield* family(
    expiry,
    'Seconds until a peer expires (negative once expired); peers without expiry left out',
    s.size,
    (i) => {
      const v = s.expiry[i] as number;
      return Number.isNaN(v) ? '' : `${expiry}${labels(i)}} ${valueText((v - nowMs) / 1000)}\n`;
    },
  );
}
