import type { FleetAgent } from '../app/nodes/fleet-agent.js';
import { createFleetConfigurationsRepo } from '../adapters/db/repos/fleet-configurations-repo.js';
import { createFleetNodesRepo } from '../adapters/db/repos/fleet-nodes-repo.js';
import { createFleetSyncRepo } from '../adapters/db/repos/fleet-sync-repo.js';
import { AgentClient } from '../adapters/agent-client/agent-client.js';
import { ConfigurationsService } from '../app/configurations/configurations-service.js';
import { notFound } from '../app/errors.js';
import { NodesService } from '../app/nodes/nodes-service.js';
import { ConfigurationSync } from '../app/sync/configuration-sync.js';
import { InterfaceWatch } from '../app/sync/interface-watch.js';
import { FleetMetrics } from '../app/sync/fleet-metrics.js';
import { Poller } from '../app/sync/poller.js';
import type { AgentCutSink, ConvergeNow, DumpSink } from '../app/sync/ports.js';
import type { SyncNode } from '../app/sync/sync-store.js';
import type { PanelContext } from '../context.js';
import { fleetConfigurationsRoutes } from '../http/routes/fleet-configurations-routes.js';
import { fleetNodesRoutes } from '../http/routes/fleet-nodes-routes.js';
import {
  configurationJson,
  type ConfigurationJson,
} from '../http/routes/fleet-configuration-json.js';
import type { ConfigurationStats } from '../app/configurations/configuration-store.js';
import type { PanelArea } from './area.js';
import type { ClusterArea } from './cluster-area.js';

/** Timeout of one call to an agent while joining it. */
const JOIN_TIMEOUT_MS = 10_000;

export interface FleetArea extends PanelArea {
  /** Makes one configuration match the database now (see ConvergeNow). */
  readonly converge: ConvergeNow;
  /** The poll interval changed: the next poll is planned again with it. */
  readonly pollIntervalChanged: () => void;
  /** This panel (re)gained these nodes' leases: polled at once, compared in full. */
  readonly nodesGained: (nodeIds: readonly number[]) => void;
  /** Configurations as getWireguardConfigurations lists them (the WGDashboard area's edits). */
  readonly configurations: ConfigurationsService;
  readonly configurationJson: (c: ConfigurationStats) => ConfigurationJson;
}

/**
 * Nodes, configurations, the poller and the reconciler. `sinks` and `cuts` are filled by
 * compose.ts after every area is built: each poll hands the cuts a node made on its own to
 * `cuts`, then each configuration's dump to each of `sinks`, in order, before its own reconcile
 * step; then the node gets its allowances.
 * `pollIntervalMs` is read at every poll cycle (compose.ts hands the saved setting).
 */
export function createFleetArea(
  ctx: PanelContext,
  sinks: readonly DumpSink[],
  pollIntervalMs: () => number = () => ctx.config.pollIntervalMs,
  cuts: readonly AgentCutSink[] = [],
  leases?: ClusterArea['leases'],
): FleetArea {
  const logger = ctx.logger.child({ area: 'fleet' });
  const syncStore = createFleetSyncRepo(ctx.database, ctx.now, ctx.journal);
  const nodeStore = createFleetNodesRepo(ctx.database);
  const metrics = new FleetMetrics(ctx.metrics);
  const agentOf = (node: SyncNode): FleetAgent => ctx.agents.forNode(node);

  const sync = new ConfigurationSync({
    store: syncStore,
    agentOf,
    consumers: sinks,
    cuts,
    pollIntervalMs,
    logger,
    now: ctx.now,
    interfaces: new InterfaceWatch({
      store: syncStore,
      logger,
      now: ctx.now,
      onStatus: (name, up) => metrics.interfaceUp(name, up),
    }),
    onDrift: (c, count) => metrics.driftOf(c.name, count),
    ...(leases && { leases }),
  });
  const poller = new Poller({
    store: syncStore,
    agentOf,
    sync,
    logger,
    now: ctx.now,
    intervalMs: pollIntervalMs,
    concurrency: ctx.config.pollConcurrency,
    observer: metrics,
    ...(leases && { leases }),
  });
  const converge: ConvergeNow = { converge: (id, options) => sync.converge(id, options) };

  const forgetConfigurations = (ids: readonly number[], names: readonly string[]) => {
    names.forEach((n) => metrics.configurationForgotten(n));
    void sync
      .forget(ids)
      .catch((err: unknown) => logger.error({ err }, 'could not drop pending removals'));
  };

  const nodes = new NodesService({
    store: nodeStore,
    openAgent: (endpoint) => new AgentClient(endpoint, JOIN_TIMEOUT_MS),
    forgetAgent: (id) => ctx.agents.forget(id),
    now: ctx.now,
    logger,
    onChange: (event) => {
      if (event.kind === 'deleted') {
        poller.forget(event.nodeId, event.name);
        forgetConfigurations(
          event.configurations.map((c) => c.id),
          event.configurations.map((c) => c.name),
        );
      } else poller.wake(event.nodeId);
    },
  });

  const configurations = new ConfigurationsService({
    store: createFleetConfigurationsRepo(ctx.database),
    agentOfNode: async (nodeId) => {
      const node = await syncStore.node(nodeId);
      if (!node) throw notFound('node', nodeId);
      return { agent: agentOf(node), nodeName: node.name };
    },
    resolveNode: (ref) => nodes.resolveOrOnly(ref),
    converge: (id) => sync.converge(id),
    onDeleted: (id, name) => forgetConfigurations([id], [name]),
    now: ctx.now,
    logger,
  });

  return {
    routes: [
      fleetNodesRoutes({ nodes, driftOfNode: (id) => sync.driftOfNode(id) }),
      fleetConfigurationsRoutes({
        configurations,
        driftOf: (id) => sync.driftOf(id),
        syncErrorOf: (id) => sync.lastError(id),
      }),
    ],
    converge,
    pollIntervalChanged: () => poller.replan(),
    nodesGained: (ids) => {
      for (const id of ids) {
        sync.touchNode(id);
        poller.wake(id);
      }
    },
    configurations,
    configurationJson: (c) => configurationJson(c, sync.driftOf(c.id), sync.lastError(c.id)),
    start: () => poller.start(),
    stop: () => poller.stop(),
  };
}
