import { Gauge, Histogram, type Registry } from 'prom-client';
import { RESTRICTION_REASONS, type RestrictionReason } from '../../domain/vocabulary.js';
import {
  peerSeriesText,
  readPeerSeries,
  type PeerSeriesRow,
  type PeerSeriesSnapshot,
} from './peer-series.js';

export type { PeerSeriesRow } from './peer-series.js';

/** What /metrics reads of the peers (at scrape time). */
export interface PeerMetricsSource {
  /** Every peer's figures, in batches ordered by id (one short query each). */
  peerBatches(): AsyncIterable<readonly PeerSeriesRow[]>;
  /** Configuration names by id. */
  configurationNames(): Promise<ReadonlyMap<number, string>>;
  /** Restricted peers counted by reason (reasons without one may be left out). */
  restrictedByReason(): Promise<ReadonlyMap<RestrictionReason, number>>;
}

/** What the usage area reports its work durations to, and the per-peer series of /metrics. */
export interface UsageMetrics {
  readonly ingestSeconds: (seconds: number) => void;
  readonly policySeconds: (seconds: number) => void;
  /**
   * The per-peer families' text in pieces, to follow the registry's in /metrics; null when
   * per-peer series are off. Reads every peer before it resolves (a failure is an ordinary
   * error, before any byte is sent); scrapes at the same time share one read.
   */
  readonly peerSeries: (() => Promise<Iterable<string>>) | null;
}

export interface UsageMetricsOptions {
  /** Per-peer series (usage, limit, expiry per peer) on /metrics; false leaves them out. */
  readonly peerSeries: boolean;
}

/**
 * Registers the usage metrics in the panel's registry (replacing same-named ones, so a second
 * panel built on one registry in tests does not throw): restricted peers by reason (one count
 * query per scrape), histograms of ingest and policy durations. The per-peer gauges (usage of
 * the period, limit, seconds until expiry, negative once past) are not prom-client gauges: at
 * 100,000 peers, setting 350,000 labelled values per scrape took seconds and hundreds of MB, so
 * their text is written straight from a compact snapshot (peer-series.ts) and streamed.
 */
export function registerUsageMetrics(
  registry: Registry,
  store: PeerMetricsSource,
  now: () => Date,
  options: UsageMetricsOptions = { peerSeries: true },
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

  new Gauge({
    name: 'wgfleet_restricted_peers',
    help: 'Restricted peers by reason',
    labelNames: ['reason'],
    registers: [registry],
    async collect() {
      const counts = await store.restrictedByReason();
      for (const reason of RESTRICTION_REASONS) this.set({ reason }, counts.get(reason) ?? 0);
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

  let reading: Promise<PeerSeriesSnapshot> | undefined;
  const snapshot = () =>
    (reading ??= readPeerSeries(store.peerBatches(), () => store.configurationNames()).finally(
      () => {
        reading = undefined;
      },
    ));
  return {
    ingestSeconds: (s) => ingest.observe(s),
    policySeconds: (s) => policy.observe(s),
    peerSeries: options.peerSeries
      ? async () => {
          const s = await snapshot();
          const t = now().getTime();
          return { [Symbol.iterator]: () => peerSeriesText(s, t) };
        }
      : null,
  };
}
