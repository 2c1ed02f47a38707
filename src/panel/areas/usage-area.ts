import { createSettingsStore } from '../adapters/db/repos/panel-settings-store.js';
import { createSamplesStore } from '../adapters/db/repos/usage-samples-store.js';
import { createEventReader } from '../adapters/db/repos/events-store.js';
import {
  createConfigurationList,
  createReportPeers,
  createUsageDirectory,
} from '../adapters/db/repos/usage-directory.js';
import { createUsageMetricsStore } from '../adapters/db/repos/usage-metrics-store.js';
import { createUsageStore } from '../adapters/db/repos/usage-store.js';
import type { AgentCutSink, ConvergeNow, DumpSink } from '../app/sync/ports.js';
import { createAgentCutSink } from '../app/usage/agent-cuts.js';
import { LedgerCache } from '../app/usage/ledger-cache.js';
import { flushBuffer, MinuteBuffer } from '../app/usage/minute-buffer.js';
import { createIngestSink, minuteBucket } from '../app/usage/ingest.js';
import { PeerQuotas } from '../app/usage/peer-quotas.js';
import { SubscriberQuotas } from '../app/usage/subscriber-quotas.js';
import { PolicyRunner } from '../app/usage/policy-runner.js';
import { maintainSamples } from '../app/usage/samples-maintenance.js';
import type { SampleRow, SampleScope } from '../app/usage/samples-ports.js';
import { readSeries, type Interval } from '../app/usage/usage-series.js';
import { UsageTicker } from '../app/usage/usage-ticker.js';
import { SubscriberEstimates } from '../app/usage/subscriber-estimates.js';
import { PanelSettingsService, panelSettingsDefaults } from '../app/settings/panel-settings.js';
import { registerUsageMetrics } from '../app/usage/usage-metrics.js';
import type { PanelContext } from '../context.js';
import { configurationTrafficRoutes } from '../http/routes/usage-configuration-traffic-routes.js';
import { usageEventsRoutes } from '../http/routes/usage-events-routes.js';
import { usageMetricsRoutes } from '../http/routes/usage-metrics-routes.js';
import { usageQuotaRoutes } from '../http/routes/usage-quota-routes.js';
import { panelSettingsRoutes } from '../http/routes/usage-settings-routes.js';
import { usageTrafficRoutes } from '../http/routes/usage-traffic-routes.js';
import type { PanelArea } from './area.js';

/** The usage area's parts, for tests and the benchmark that drive them without HTTP. */
export interface UsageArea extends PanelArea {
  /** The ingest (first of the poll's sinks). */
  readonly ingest: DumpSink;
  /** Records the cuts a node made on its own (the poll step before the ingest). */
  readonly cuts: AgentCutSink;
  readonly policy: PolicyRunner;
  /** The one owner of quota changes (the peers area's writes use it too). */
  readonly quotas: PeerQuotas;
  /** The same for subscribers (the subscribers area's writes). */
  readonly subscriberQuotas: SubscriberQuotas;
  readonly settings: PanelSettingsService;
  /** One run of sample rollups and retention at the context's `now` (closed minutes written first). */
  maintainSamples(): Promise<unknown>;
  /** Drops the ingest's cached rows (this panel gained nodes another panel wrote for). */
  forgetCachedRows(): void;
  /** Writes the minute samples still in memory, the current minute's too (as stop() does). */
  flushSamples(): Promise<void>;
  /** A usage series as getPeerTraffics reads it (the minutes in memory included). */
  series(scope: SampleScope, interval: Interval, from: Date, to: Date): Promise<SampleRow[]>;
}

/**
 * Usage ledger, quotas and expiry: ingest, policy, events, the seed's endpoints, /metrics.
 * `settings` is shared with the poller in compose.ts (its interval); built here when not given.
 */
export function createUsageArea(
  ctx: PanelContext,
  converge: ConvergeNow,
  settings = new PanelSettingsService(
    createSettingsStore(ctx.database),
    panelSettingsDefaults(ctx.config),
  ),
  /**
   * True when this panel runs the cluster's time-driven work (expiry ticks, period resets,
   * retention): checked before each run, so one panel of several does it. Default: always.
   */
  holdsJobs: () => boolean = () => true,
): UsageArea {
  const store = createUsageStore(ctx.database, ctx.journal, ctx.now);
  const samples = createSamplesStore(ctx.database);
  const metrics = registerUsageMetrics(
    ctx.metrics,
    createUsageMetricsStore(ctx.database),
    ctx.now,
    { peerSeries: ctx.config.peerMetrics },
  );
  const cache = new LedgerCache();
  const buffer = new MinuteBuffer();
  const estimates = new SubscriberEstimates();
  let stopped = false;
  const ticker = new UsageTicker({
    policyTick: () => (holdsJobs() ? policy.tick() : Promise.resolve()),
    nextExpiry: () => store.nextExpiry(ctx.now()),
    maintain: () => (holdsJobs() ? maintain() : flush(false)),
    now: ctx.now,
    logger: ctx.logger,
    maxIntervalMs: () => settings.current().enforcement_interval_seconds * 1000,
  });
  // A new enforcement interval re-plans the next pass at once (the ticker reads it after each).
  settings.onChange(() => ticker.nudge());
  const policy = new PolicyRunner({
    cache,
    estimates,
    afterPass: () => ticker.nudge(),
    store,
    settings,
    converge,
    logger: ctx.logger,
    now: ctx.now,
    observe: metrics.policySeconds,
  });
  const ingest = createIngestSink({
    store,
    cache,
    settings,
    policy,
    buffer,
    estimates,
    stopped: () => stopped,
    observe: metrics.ingestSeconds,
  });
  const cuts = createAgentCutSink({ store, cache, settings, policy });
  const directory = createUsageDirectory(ctx.database);
  const quotas = new PeerQuotas({ directory, store, policy });
  // Closed minutes still in memory (a configuration not polled since) are written before rollups.
  const flush = (all: boolean) =>
    flushBuffer(buffer, store, all ? undefined : minuteBucket(ctx.now()).getTime());
  const maintain = async () => {
    await flush(false);
    return maintainSamples(samples, await settings.get(), ctx.now());
  };
  return {
    ingest,
    cuts,
    policy,
    quotas,
    subscriberQuotas: new SubscriberQuotas(policy),
    settings,
    maintainSamples: maintain,
    forgetCachedRows: () => cache.clear(),
    flushSamples: () => flush(true),
    series: (scope, interval, from, to) => readSeries(samples, scope, interval, from, to, buffer),
    sinks: [ingest],
    routes: [
      usageQuotaRoutes({ quotas, settings, now: ctx.now }),
      usageEventsRoutes({ events: createEventReader(ctx.database), directory }),
      usageTrafficRoutes({
        samples,
        pending: buffer,
        directory,
        reportPeers: createReportPeers(ctx.database),
        now: ctx.now,
      }),
      configurationTrafficRoutes({
        samples,
        pending: buffer,
        configurations: createConfigurationList(ctx.database),
        now: ctx.now,
      }),
      panelSettingsRoutes({ settings, policy, now: ctx.now }),
      usageMetricsRoutes({ registry: ctx.metrics, peerSeries: metrics.peerSeries }),
    ],
    start: () => {
      stopped = false;
      ticker.start();
    },
    stop: async () => {
      stopped = true;
      await ticker.stop();
      await flush(true);
    },
  };
}
