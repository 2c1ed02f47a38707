import type { Logger } from 'pino';
import type { Dump } from '../../../shared/wire/agent-api.js';
import { agentFailure, isNodeDown, type FleetAgent } from '../nodes/fleet-agent.js';
import { recordAgentCuts } from './agent-cuts-step.js';
import { handAllowances } from './allowances-step.js';
import { ConfigurationLock } from './configuration-lock.js';
import { ConfigurationStates, type ConfigurationState } from './configuration-state.js';
import type { InterfaceWatch } from './interface-watch.js';
import type {
  AgentCutSink,
  ConvergeOptions,
  ConvergeResult,
  DumpSink,
  ObservedConfiguration,
} from './ports.js';
import { PendingRemovals } from './pending-removals.js';
import { reconcile } from './reconcile.js';
import { isLeaseLost } from '../cluster/lease-lost.js';
import type { Fence } from '../cluster/ports.js';
import type { SyncConfiguration, SyncNode, SyncStore } from './sync-store.js';

export interface ConfigurationSyncDeps {
  readonly store: SyncStore;
  /** The (cached, pinned) agent client of a node. */
  readonly agentOf: (node: SyncNode) => FleetAgent;
  /**
   * The consumers of each dump, in order, before the reconcile step (the usage ingest). Read at
   * each poll: compose.ts fills it after every area is built.
   */
  readonly consumers: readonly DumpSink[];
  /**
   * Record the cuts a node made on its own, before the consumers (filled by compose.ts like
   * `consumers`; empty: cuts stay on the node, unacknowledged).
   */
  readonly cuts?: readonly AgentCutSink[];
  /** The poll interval in force: the allowances' grace is 3 of them. */
  readonly pollIntervalMs: () => number;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Records what each poll found of the interface (status, events, metric). */
  readonly interfaces?: InterfaceWatch;
  /** Told the drift count of a configuration after each reconciliation (metrics). */
  readonly onDrift?: (configuration: SyncConfiguration, count: number) => void;
  /**
   * A configuration found in sync skips the reconcile on idle polls, but at most this many in a
   * row (default 5: a full comparison at least every 6th poll, for changes made to the database
   * by another process). 0 compares on every poll. Unchanged allowances are handed to the node
   * again as often.
   */
  readonly recheckEvery?: number;
  /**
   * The cluster's leases (absent: a panel alone, every write unfenced). A poll carries the node's
   * fence into every write for it; `converge` on a node another panel holds applies the change to
   * the node but counts nothing (the holder does, at its next poll).
   */
  readonly leases?: {
    /** null: another panel holds the node; undefined: leases are not kept (yet). */
    fenceOf(nodeId: number): Fence | null | undefined;
    refused(fence: Fence, what: string): void;
  };
}

/** One poll of one configuration as it goes through the steps. */
interface Poll {
  readonly config: SyncConfiguration;
  readonly agent: FleetAgent;
  readonly state: ConfigurationState;
  dump: Dump | null;
  /** The node's lease: undefined without a cluster, null when another panel holds the node. */
  readonly fence: Fence | null | undefined;
}

/** A step of a poll. A step that throws ends the poll (its error is the poll's). */
interface PollStep {
  readonly name: string;
  run(poll: Poll): Promise<void>;
}

/**
 * Polls one configuration at a time as an ordered list of steps: read the dump (and what it says
 * of the interface), record the cuts the node made on its own while the panel was away (and
 * acknowledge them), hand the dump to every consumer (the usage ingest: a consumer's failure is
 * logged, the next step runs), reconcile (make the node match the database; a node found down
 * fails the poll), then hand the node its allowances. Polls and `converge` calls of a configuration share one lock, so a dump is never
 * acted on after another writer changed the node. All it keeps in memory of a configuration is
 * one ConfigurationState.
 */
export class ConfigurationSync {
  private readonly lock = new ConfigurationLock();
  private readonly states = new ConfigurationStates();
  private readonly pending: PendingRemovals;
  private readonly steps: readonly PollStep[];

  constructor(private readonly deps: ConfigurationSyncDeps) {
    this.pending = new PendingRemovals(deps.store);
    this.steps = [
      { name: 'dump', run: (p) => this.readDump(p) },
      // Before the reconcile, which would put back the peers the node cut.
      { name: 'cuts', run: (p) => this.cutsStep(p) },
      { name: 'consumers', run: (p) => this.runConsumers(p) },
      { name: 'reconcile', run: (p) => this.reconcileStep(p) },
      // After the ingest counted this poll's bytes and the reconcile applied the decisions.
      { name: 'allowances', run: (p) => this.allowancesStep(p) },
    ];
  }

  /** The last error of a configuration's sync (interface missing on the node …), or null. */
  lastError(configurationId: number): string | null {
    return this.states.get(configurationId)?.error ?? null;
  }

  /** Peers on the node that the panel does not know, as of the last reconcile. */
  driftOf(configurationId: number) {
    return this.states.get(configurationId)?.drift ?? [];
  }

  /** Drift peers on all configurations of a node. */
  driftOfNode(nodeId: number): number {
    return this.states.driftOfNode(nodeId);
  }

  /** The interface as the last poll found it (undefined: not polled since the start). */
  interfaceStatus(configurationId: number) {
    return this.states.get(configurationId)?.interfaceStatus;
  }

  /**
   * This panel (re)gained a node's lease: what it remembers of the node's configurations may be
   * older than what another panel wrote meanwhile, so their next polls compare in full.
   */
  touchNode(nodeId: number): void {
    this.states.touchNode(nodeId);
  }

  /** Forgets a deleted configuration: its state, and its stored pending removals. */
  async forget(configurationIds: readonly number[]): Promise<void> {
    for (const id of configurationIds) this.states.forget(id);
    await this.deps.store.deletePendingRemovals(configurationIds);
  }

  /** Poll of one configuration: every step in order. Throws when the node is down. */
  poll(config: SyncConfiguration, agent: FleetAgent, fence?: Fence | null): Promise<void> {
    return this.lock.run(config.id, () => this.runSteps(config, agent, fence));
  }

  /** See ConvergeNow. */
  async converge(configurationId: number, options: ConvergeOptions = {}): Promise<ConvergeResult> {
    const config = await this.deps.store.configuration(configurationId);
    if (!config)
      return { applied: false, reason: `configuration ${configurationId} does not exist` };
    const state = this.states.of(config.id, config.nodeId);
    // Whatever happens below, what the configuration wants may have changed.
    state.touch();
    if (options.remove?.length) await this.pending.add(state, options.remove);
    if (!config.enabled)
      return { applied: false, reason: `configuration "${config.name}" is turned off` };
    const node = await this.deps.store.node(config.nodeId);
    if (!node || node.status !== 'online')
      return {
        applied: false,
        reason: `node "${config.nodeName}" is offline: the change is applied when it answers`,
      };
    try {
      await this.poll(config, this.deps.agentOf(node), this.deps.leases?.fenceOf(node.id));
      return { applied: true };
    } catch (e) {
      const reason = agentFailure(e).message;
      this.deps.logger.warn(
        { configuration: config.name, node: config.nodeName, err: reason },
        'converge not applied',
      );
      return { applied: false, reason };
    }
  }

  private async runSteps(
    config: SyncConfiguration,
    agent: FleetAgent,
    fence: Fence | null | undefined,
  ): Promise<void> {
    const poll: Poll = {
      config,
      agent,
      state: this.states.of(config.id, config.nodeId),
      dump: null,
      fence,
    };
    for (const step of this.steps) await step.run(poll);
  }

  private async readDump(poll: Poll): Promise<void> {
    const { config, agent, state } = poll;
    try {
      poll.dump = await agent.dump(config.interfaceName);
      state.error = null;
      await this.deps.interfaces?.observed(config, state, 'up');
    } catch (e) {
      const failure = agentFailure(e);
      if (isNodeDown(e)) throw e;
      state.error = failure.message;
      if (failure.kind === 'rejected' && failure.status === 404)
        await this.deps.interfaces?.observed(config, state, 'missing');
      throw e;
    }
  }

  private cutsStep(poll: Poll): Promise<void> {
    const { logger, now } = this.deps;
    const dump = poll.dump as Dump;
    if (poll.fence === null) {
      // The holder records them; the reconcile would otherwise put the cut peers back.
      if (dump.enforcements?.length)
        throw new Error(
          `node "${poll.config.nodeName}" is polled by another panel: its cuts are recorded there`,
        );
      return Promise.resolve();
    }
    const deps = { sinks: this.deps.cuts ?? [], logger, now };
    return recordAgentCuts(deps, poll.config, poll.agent, poll.state, dump, poll.fence).catch(
      (e: unknown) => {
        if (isLeaseLost(e)) this.deps.leases?.refused(e.fence, 'agent cuts');
        throw e;
      },
    );
  }

  private allowancesStep(poll: Poll): Promise<void> {
    const deps = {
      store: this.deps.store,
      logger: this.deps.logger,
      pollIntervalMs: this.deps.pollIntervalMs,
      recheckEvery: this.deps.recheckEvery ?? 5,
    };
    return handAllowances(deps, poll.config, poll.agent, poll.state, poll.dump as Dump);
  }

  private async runConsumers(poll: Poll): Promise<void> {
    const { config, state } = poll;
    // Another panel holds the node: it counts this traffic at its next poll (agent totals).
    if (poll.fence === null) return;
    const observed: ObservedConfiguration = {
      nodeId: config.nodeId,
      configurationId: config.id,
      dump: poll.dump as Dump,
      observedAt: this.deps.now(),
      // A consumer that changed what the configuration wants: the reconcile step, which runs
      // after every consumer of this poll, compares in full.
      convergeAfter: () => state.touch(),
      ...(poll.fence && { fence: poll.fence }),
    };
    for (const consumer of this.deps.consumers) {
      try {
        await consumer.onDump(observed);
      } catch (err) {
        if (isLeaseLost(err)) {
          this.deps.leases?.refused(err.fence, consumer.name);
          throw err; // the lease is gone: nothing more of this poll is this panel's to do
        }
        this.deps.logger.error(
          { err, sink: consumer.name, configuration: config.name },
          'dump consumer failed',
        );
      }
    }
  }

  private async reconcileStep(poll: Poll): Promise<void> {
    await reconcile(
      {
        store: this.deps.store,
        pending: this.pending,
        logger: this.deps.logger,
        recheckEvery: this.deps.recheckEvery ?? 5,
        onDrift: this.deps.onDrift,
      },
      poll.config,
      poll.agent,
      poll.state,
      poll.dump as Dump,
    );
  }
}
