import { Gauge, Histogram, type Registry } from 'prom-client';

/** One peer's figures for /metrics. */
export interface PeerMetricsRow {
  readonly configuration: string;
  readonly public_key: string;
  readonly name: string;
  readonly restriction_reason: 'traffic_limit' | 'expired' | 'manual' | null;
  readonly period_rx: bigint;
  readonly period_tx: bigint;
  readonly traffic_limit: bigint | null;
  readonly expiry_date: Date | null;
}

/** Reads every peer's figures (once per scrape). */
export interface PeerMetricsSource {
  peers(): Promise<PeerMetricsRow[]>;
}

/** What the usage area reports its work durations to. */
export interface UsageMetrics {
  readonly ingestSeconds: (seconds: number) => void;
  readonly policySeconds: (seconds: number) => void;
}

const REASONS = ['traffic_limit', 'expired', 'manual'] as const;

/**
 * Registers the usage metrics in the panel's registry (replacing same-named ones, so a second
 * panel built on one registry in tests does not throw). Per-peer gauges are read from the
 * database at scrape time: usage of the period, limit, seconds until expiry (negative once past),
 * restricted peers by reason; histograms of ingest and policy durations.
 */
export function registerUsageMetrics(
  registry: Registry,
  store: PeerMetricsSource,
  now: () => Date,
): UsageMetrics {
  for (const name of [
    'wgfleet_peer_usage_bytes',
    'wgfleet_peer_traffic_limit_bytes',
    'wgfleet_peer_expiry_seconds',
    'wgfleet_restricted_peers',
    'wgfleet_usage_ingest_duration_seconds',
    'wgfleet_policy_duration_seconds',
  ])
    registry.removeSingleMetric(name);

  // One query per scrape, shared by the gauges (each collects its own series from it).
  let snapshot: { at: number; rows: Promise<PeerMetricsRow[]> } | undefined;
  const peers = () => {
    const t = Date.now();
    if (!snapshot || t - snapshot.at > 1000) snapshot = { at: t, rows: store.peers() };
    return snapshot.rows;
  };
  const labelsOf = (r: PeerMetricsRow) => ({
    configuration: r.configuration,
    peer: r.public_key,
    name: r.name,
  });
  const labels = ['configuration', 'peer', 'name'] as const;
  new Gauge({
    name: 'wgfleet_peer_usage_bytes',
    help: 'Bytes used by a peer in its current period (rx: received by the node, tx: sent)',
    labelNames: [...labels, 'direction'],
    registers: [registry],
    async collect() {
      const rows = await peers();
      this.reset();
      for (const r of rows) {
        this.set({ ...labelsOf(r), direction: 'rx' }, Number(r.period_rx));
        this.set({ ...labelsOf(r), direction: 'tx' }, Number(r.period_tx));
      }
    },
  });
  new Gauge({
    name: 'wgfleet_peer_traffic_limit_bytes',
    help: 'Traffic limit of a peer per period (rx + tx); peers without a limit are left out',
    labelNames: labels,
    registers: [registry],
    async collect() {
      const rows = await peers();
      this.reset();
      for (const r of rows)
        if (r.traffic_limit !== null) this.set(labelsOf(r), Number(r.traffic_limit));
    },
  });
  new Gauge({
    name: 'wgfleet_peer_expiry_seconds',
    help: 'Seconds until a peer expires (negative once expired); peers without expiry left out',
    labelNames: labels,
    registers: [registry],
    async collect() {
      const rows = await peers();
      const t = now().getTime();
      this.reset();
      for (const r of rows)
        if (r.expiry_date !== null) this.set(labelsOf(r), (r.expiry_date.getTime() - t) / 1000);
    },
  });
  new Gauge({
    name: 'wgfleet_restricted_peers',
    help: 'Restricted peers by reason',
    labelNames: ['reason'],
    registers: [registry],
    async collect() {
      const counts = new Map<string, number>(REASONS.map((r) => [r, 0]));
      for (const r of await peers())
        if (r.restriction_reason !== null)
          counts.set(r.restriction_reason, (counts.get(r.restriction_reason) ?? 0) + 1);
      for (const [reason, n] of counts) this.set({ reason }, n);
    },
  });
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  const ingest = new Histogram({
    name: 'wgfleet_usage_ingest_duration_seconds',
    help: "Time to ingest one configuration's dump (ledger, samples, policy), seconds",
    buckets,
    registers: [registry],
  });
  const policy = new Histogram({
    name: 'wgfleet_policy_duration_seconds',
    help: 'Time of one policy pass outside the ingest (tick or API change), seconds',
    buckets,
    registers: [registry],
  });
  return {
    ingestSeconds: (s) => ingest.observe(s),
    policySeconds: (s) => policy.observe(s),
  };
}
