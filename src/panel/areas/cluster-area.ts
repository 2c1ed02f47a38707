import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Counter, Gauge } from 'prom-client';
import { createClusterStore } from '../adapters/db/repos/cluster-store.js';
import { LeaseKeeper } from '../app/cluster/lease-keeper.js';
import type { Fence } from '../app/cluster/ports.js';
import type { PanelSettingsService } from '../app/settings/panel-settings.js';
import type { PanelContext } from '../context.js';
import type { PanelArea } from './area.js';

/** What the other areas see of the cluster. */
export interface ClusterArea extends PanelArea {
  readonly keeper: LeaseKeeper;
  /**
   * The poll's view of the leases: a node's fence, null when another panel holds it, undefined
   * before the area started (API-only tests and tools: every write unfenced, as a lone panel).
   */
  readonly leases: {
    fenceOf(nodeId: number): Fence | null | undefined;
    refused(fence: Fence, what: string): void;
  };
  /** True when this panel runs the cluster's time-driven work (it holds the job lease). */
  readonly holdsJobs: () => boolean;
  /** For /readyz. */
  readonly readiness: () => {
    readonly panel: string;
    readonly leases: number;
    readonly jobs: boolean;
  };
}

/** This process's id in the cluster: host, pid and a random part (a restart is a new panel). */
export function clusterPanelId(): string {
  return `${hostname().slice(0, 40)}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Several panels on one database: the lease keeper (node leases shared out evenly, the job
 * lease), run every half poll interval and just after another panel's lease ends (nextPassDelay),
 * with the settings read again (a change made on another
 * panel applies here within one poll), and its metrics. `onChange` hears the nodes gained and
 * lost (compose.ts: the poller polls a gained node at once, its cached rows are read again).
 */
export function createClusterArea(
  ctx: PanelContext,
  settings: PanelSettingsService,
  onChange: (change: { gained: number[]; lost: number[] }) => void,
): ClusterArea {
  const logger = ctx.logger.child({ area: 'cluster' });
  const store = createClusterStore(ctx.database);
  const pollMs = () => settings.current().poll_interval_seconds * 1000;
  const keeper = new LeaseKeeper({
    store,
    panel: { id: clusterPanelId(), host: hostname() },
    nodeIds: async () => (await store.nodes()).map((n) => n.id),
    leaseMs: () => ctx.config.leaseIntervals * pollMs(),
    now: ctx.now,
    logger,
    onChange,
  });
  new Gauge({
    name: 'wgfleet_panel_node_lease',
    help: 'Nodes this panel holds the lease of (1 each): it polls them and writes for them',
    labelNames: ['node'],
    registers: [ctx.metrics],
    async collect() {
      this.reset();
      const held = new Set(keeper.heldNodes());
      if (held.size === 0) return;
      for (const n of await store.nodes()) if (held.has(n.id)) this.set({ node: n.name }, 1);
    },
  });
  new Gauge({
    name: 'wgfleet_panel_cluster_jobs',
    help: '1 when this panel runs the cluster’s time-driven work (expiry ticks, retention, digests)',
    registers: [ctx.metrics],
    collect() {
      this.set(keeper.holdsJobs() ? 1 : 0);
    },
  });
  new Counter({
    name: 'wgfleet_panel_fenced_writes_refused_total',
    help: 'Writes for a node refused because this panel had lost its lease (fencing token)',
    registers: [ctx.metrics],
    collect() {
      this.reset();
      this.inc(keeper.refusedWrites);
    },
  });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let stopped = true;
  const pass = async () => {
    try {
      await keeper.pass();
      await settings.reload();
    } catch (err) {
      logger.warn({ err }, 'lease pass failed');
    }
  };
  const run = () => {
    running = pass().finally(() => {
      running = null;
      schedule(keeper.nextPassIn(pollMs()));
    });
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(run, ms);
    timer.unref();
  };
  return {
    keeper,
    leases: {
      fenceOf: (id) => (stopped ? undefined : keeper.fenceOf(id)),
      refused: (fence, what) => keeper.refused(fence, what),
    },
    holdsJobs: () => keeper.holdsJobs(),
    readiness: () => ({
      panel: keeper.panelId,
      leases: keeper.heldNodes().length,
      jobs: keeper.holdsJobs(),
    }),
    routes: [],
    start() {
      stopped = false;
      run(); // at once: the nodes are taken (and polled) as soon as the panel starts
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await keeper
        .stop()
        .catch((err: unknown) => logger.warn({ err }, 'could not give the leases up'));
    },
  };
}
