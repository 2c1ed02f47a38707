import { pingDatabase } from './adapters/db/ping.js';
import { createSettingsStore } from './adapters/db/repos/panel-settings-store.js';
import type { AgentCutSink, DumpSink } from './app/sync/ports.js';
import { PanelSettingsService, panelSettingsDefaults } from './app/settings/panel-settings.js';
import type { PanelArea } from './areas/area.js';
import { createAuditArea } from './areas/audit-area.js';
import { createAuthArea } from './areas/auth-area.js';
import { createClusterArea } from './areas/cluster-area.js';
import { createFleetArea, type FleetArea } from './areas/fleet-area.js';
import { createNotificationsArea, type NotificationsOptions } from './areas/notifications-area.js';
import { createPeersArea } from './areas/peers-area.js';
import { createUsageArea, type UsageArea } from './areas/usage-area.js';
import { createWgdashboardArea } from './areas/wgdashboard-area.js';
import { createSubscribersArea } from './areas/subscribers-area.js';
import type { PanelContext } from './context.js';
import { buildPanelApp } from './http/app.js';
import { healthRoutes } from './http/routes/health-routes.js';
import { staticUi } from './http/static-ui.js';

/**
 * Builds the whole panel from a context: every area, wired in order, and the Fastify app.
 * Nothing starts here: `start()` begins polling and enforcement, `stop()` ends them.
 */
export async function composePanel(
  base: PanelContext,
  version: string,
  https?: { readonly key: string; readonly cert: string },
  extras: { readonly notifications?: NotificationsOptions } = {},
) {
  // The panel settings (in the database, the start flags as defaults): the usage area reads and
  // changes them; the poller reads its interval there at each cycle, so a change needs no restart.
  const settings = new PanelSettingsService(
    createSettingsStore(base.database),
    panelSettingsDefaults(base.config),
  );
  await settings.get(); // the saved intervals, before the timers plan their first wait
  // Several panels on one database: this one polls and writes only for the nodes it leases.
  // (The areas it tells are built below.)
  const late: { usage?: UsageArea; fleet?: FleetArea } = {};
  const cluster = createClusterArea(base, settings, ({ gained }) => {
    if (gained.length === 0) return;
    // Rows cached while another panel wrote for these nodes are read again.
    late.usage?.forgetCachedRows();
    late.fleet?.nodesGained(gained);
  });
  // Built first of the rest: its journal is how every other area stores events (with their
  // deliveries).
  const notifications = createNotificationsArea(base, version, {
    timezone: () => settings.current().timezone,
    ...extras.notifications,
    holdsJobs: cluster.holdsJobs,
  });
  const ctx: PanelContext = { ...base, journal: notifications.journal };
  const sinks: DumpSink[] = [];
  const cuts: AgentCutSink[] = [];
  const auth = createAuthArea(ctx);
  const fleet = createFleetArea(
    ctx,
    sinks,
    () => settings.current().poll_interval_seconds * 1000,
    cuts,
    cluster.leases,
  );
  settings.onChange(() => fleet.pollIntervalChanged());
  const usage = createUsageArea(ctx, fleet.converge, settings, cluster.holdsJobs);
  late.fleet = fleet;
  late.usage = usage;
  const subscribers = createSubscribersArea(ctx, fleet.converge, usage.subscriberQuotas, settings);
  const peers = createPeersArea(ctx, fleet.converge, usage.quotas, subscribers.subscriptions);
  const wgdashboard = createWgdashboardArea(ctx, { version, usage, fleet });
  const audit = createAuditArea(ctx);
  // The cluster first: started first, stopped last (its leases are given up after the last poll).
  const areas: PanelArea[] = [
    cluster,
    notifications,
    auth,
    fleet,
    peers,
    usage,
    wgdashboard,
    subscribers,
    audit,
  ];
  // Each poll hands the dump to these in order, then reconciles: a poll's bytes are counted (and
  // the policy applied) before drift is repaired.
  sinks.push(...(usage.sinks ?? []), ...(peers.sinks ?? []), ...(wgdashboard.sinks ?? []));
  // Before them: the peers a node cut on its own while the panel was away.
  cuts.push(usage.cuts);

  const app = await buildPanelApp({
    auth: auth.auth,
    now: ctx.now,
    logger: ctx.logger,
    version,
    routes: [
      healthRoutes({
        databaseReady: () => pingDatabase(ctx.database),
        cluster: cluster.readiness,
      }),
      ...areas.flatMap((a) => a.routes),
      staticUi(),
    ],
    trustProxy: ctx.config.trustProxy,
    ...(https && { https }),
    http: ctx.config.http,
    audit: { log: audit.log, snapshots: audit.snapshots },
  });
  return {
    app,
    /** The notifications area (its scheduled work, for tests). */
    notifications,
    start() {
      for (const area of areas) area.start?.();
    },
    async stop() {
      for (const area of [...areas].reverse()) await area.stop?.();
    },
  };
}

export type ComposedPanel = Awaited<ReturnType<typeof composePanel>>;
