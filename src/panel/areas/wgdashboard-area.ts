import { createFleetSyncRepo } from '../adapters/db/repos/fleet-sync-repo.js';
import { createPeerStore } from '../adapters/db/repos/peers-store.js';
import type { SystemNodes } from '../app/wgdashboard/system-status.js';
import type { PanelContext } from '../context.js';
import { wgdMiscRoutes } from '../http/routes/wgd-misc-routes.js';
import { wgdPeerHistoryRoutes } from '../http/routes/wgd-peer-history-routes.js';
import { wgdSystemRoutes } from '../http/routes/wgd-system-routes.js';
import type { PanelArea } from './area.js';
import type { UsageArea } from './usage-area.js';
import type { FleetArea } from './fleet-area.js';
import { createWgdConfigurationsRepo } from '../adapters/db/repos/wgd-configurations-repo.js';
import { notFound } from '../app/errors.js';
import type { ConfigurationEditsDeps } from '../app/wgdashboard/configuration-edits.js';
import { wgdConfigurationRoutes } from '../http/routes/wgd-configuration-routes.js';
import { wgdRawFileRoutes } from '../http/routes/wgd-raw-file-routes.js';
import { wgdPeerJobRoutes } from '../http/routes/wgd-peer-job-routes.js';
import { createWgdJobLogsRepo } from '../adapters/db/repos/wgd-job-logs-repo.js';
import { createPeerWrites } from '../app/peers/peer-writes.js';
import { addPeers } from '../app/peers/add-peers.js';
import { updatePeer } from '../app/peers/update-peer.js';
import { deletePeers, restrictPeers } from '../app/peers/peer-access.js';
import { createPeerJobsRepo } from '../adapters/db/repos/peer-jobs-repo.js';
import { PeerJobRunner } from '../app/wgdashboard/peer-job-runner.js';
import type { RawFileDeps } from '../app/wgdashboard/raw-file.js';
import { RealtimeTrafficSink } from '../app/wgdashboard/realtime-traffic.js';
import { randomUUID } from 'node:crypto';
import { createShareLinksRepo } from '../adapters/db/repos/share-links-repo.js';
import { PageRateLimit } from '../app/subscribers/page-rate-limit.js';
import { wgdShareRoutes } from '../http/routes/wgd-share-routes.js';

/** What the WGDashboard routes borrow from the other areas. */
export interface WgdashboardAreaDeps {
  readonly version: string;
  readonly usage: Pick<UsageArea, 'series' | 'quotas'>;
  readonly fleet: Pick<FleetArea, 'configurations' | 'configurationJson' | 'converge'>;
}

/**
 * The rest of WGDashboard 4.3's API that its scripts call (docs/WGDASHBOARD.md): small questions,
 * peer history, and the routes wgfleet declines with a message saying what it does instead.
 */
export function createWgdashboardArea(ctx: PanelContext, deps: WgdashboardAreaDeps): PanelArea {
  const store = createPeerStore(ctx.database);
  const sync = createFleetSyncRepo(ctx.database, ctx.now);
  const nodes: SystemNodes = {
    async list() {
      const all = await Promise.all((await sync.nodeIds()).map((id) => sync.node(id)));
      return all
        .filter((n) => n !== null)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((n) => ({ name: n.name, agent: () => ctx.agents.forNode(n) }));
    },
  };
  const edits: ConfigurationEditsDeps = {
    find: async (name) => (await deps.fleet.configurations.list(name)).find((c) => c.name === name),
    all: () => deps.fleet.configurations.list(),
    store: createWgdConfigurationsRepo(ctx.database),
    agentOf: async (c) => {
      const node = await sync.node(c.node.id);
      if (!node) throw notFound('node', c.node.name);
      return ctx.agents.forNode(node);
    },
    logger: ctx.logger,
  };
  // The raw file's [Peer] set goes through the peers area's own use cases (one write path).
  const writes = createPeerWrites(store, deps.fleet.converge);
  const peerDeps = {
    store,
    writes,
    quotas: deps.usage.quotas,
    now: ctx.now,
    logger: ctx.logger,
  };
  const raw: RawFileDeps = {
    ...edits,
    peers: {
      all: (id) => store.allPeers(id),
      add: (name, p) =>
        addPeers(peerDeps, name, {
          public_key: p.publicKey,
          allowed_ips: p.allowedIps,
          allowed_ips_validation: false,
          ...(p.presharedKey !== undefined && { preshared_key: p.presharedKey }),
          ...(p.keepalive !== undefined && { keepalive: p.keepalive ?? 0 }),
        }),
      update: (name, p) =>
        updatePeer(peerDeps, name, {
          id: p.publicKey,
          allowed_ip: p.allowedIps.join(', '),
          allowed_ips_validation: false,
          ...(p.presharedKey !== undefined && { preshared_key: p.presharedKey }),
          ...(p.keepalive !== undefined && { keepalive: p.keepalive ?? 0 }),
        }),
      delete: (name, keys) => deletePeers(peerDeps, name, keys),
    },
  };
  const realtime = new RealtimeTrafficSink();
  const jobLogs = createWgdJobLogsRepo(ctx.database);
  const jobs = createPeerJobsRepo(ctx.database);
  const runner = new PeerJobRunner({
    jobs,
    logs: jobLogs,
    now: ctx.now,
    logger: ctx.logger,
    actions: {
      restrict: (name, key) => restrictPeers(peerDeps, name, [key]),
      delete: (name, key) => deletePeers(peerDeps, name, [key]),
      resetUsage: (id) => deps.usage.quotas.resetUsage([id], 'total'),
    },
  });
  return {
    sinks: [realtime, runner],
    stop: () => runner.settle(),
    routes: [
      wgdMiscRoutes({ version: deps.version }),
      wgdPeerHistoryRoutes({
        store,
        minutes: (scope, from, to) => deps.usage.series(scope, 'minute', from, to),
        now: ctx.now,
      }),
      wgdSystemRoutes(nodes),
      wgdConfigurationRoutes({ edits, json: deps.fleet.configurationJson }),
      wgdRawFileRoutes({ raw, realtime: (id) => realtime.rateOf(id) }),
      wgdPeerJobRoutes({
        store,
        quotas: deps.usage.quotas,
        logs: jobLogs,
        jobs,
        now: ctx.now,
        newId: randomUUID,
      }),
      wgdShareRoutes({
        links: createShareLinksRepo(ctx.database),
        peers: store,
        now: ctx.now,
        newId: randomUUID,
        lookups: new PageRateLimit(),
      }),
    ],
  };
}
