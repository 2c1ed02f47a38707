import type { Logger } from 'pino';
import type { Dump } from '../../../shared/wire/agent-api.js';
import { agentFailure, type FleetAgent } from '../nodes/fleet-agent.js';
import { ConfigurationLock } from './configuration-lock.js';
import type { DriftRegistry } from './drift-registry.js';
import type { ConvergeOptions, ConvergeResult, DumpSink, ObservedConfiguration } from './ports.js';
import { PendingRemovals } from './pending-removals.js';
import { planReconcile, type DesiredForm } from './reconcile-plan.js';
import { SettledConfigurations } from './settled-configurations.js';
import type { SyncConfiguration, SyncNode, SyncStore } from './sync-store.js';

export interface ConfigurationSyncDeps {
  readonly store: SyncStore;
  /** The (cached, pinned) agent client of a node. */
  readonly agentOf: (node: SyncNode) => FleetAgent;
  /** Every consumer of a dump, in order; `sink` (the reconciler) is one of them. */
  readonly sinks: readonly DumpSink[];
  readonly drift: DriftRegistry;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Told the drift count of a configuration after each reconciliation (metrics). */
  readonly onDrift?: (configuration: SyncConfiguration, count: number) => void;
  /**
   * A configuration found in sync skips the reconcile on idle polls, but at most this many in a
   * row (default 5: a full comparison at least every 6th poll, for changes made to the database
   * by another process). 0 compares on every poll.
   */
  readonly recheckEvery?: number;
}

/** An agent error that means the node, not one request, failed: the poll of the node fails. */
export function isNodeDown(e: unknown): boolean {
  const kind = agentFailure(e).kind;
  return kind === 'unreachable' || kind === 'pin_mismatch';
}

/**
 * Reads one configuration's dump and hands it to every sink, and makes the node match the
 * database (the reconciler sink). One configuration at a time: polls and `converge` calls share a
 * lock per configuration, so a dump is never acted on after another writer changed the node.
 */
export class ConfigurationSync {
  private readonly lock = new ConfigurationLock();
  /** What was last written per peer, by configuration (see planReconcile). */
  private readonly applied = new Map<number, Map<string, string>>();
  private readonly pending: PendingRemovals;
  /** A converge ran inside a sink: the dump the poll holds is older than the node. */
  private readonly stale = new Set<number>();
  private readonly errors = new Map<number, string>();
  /** The previous plan's desired forms, by configuration (see DesiredForm). */
  private readonly forms = new Map<number, ReadonlyMap<string, DesiredForm>>();
  private readonly settled: SettledConfigurations;

  /** The reconciler, as a poll consumer (compose puts it after the usage ingest). */
  readonly sink: DumpSink = {
    name: 'reconciler',
    onDump: async () => {
      // Called only through runSinks, which reconciles in its place (see there).
    },
  };

  constructor(private readonly deps: ConfigurationSyncDeps) {
    this.pending = new PendingRemovals(deps.store);
    this.settled = new SettledConfigurations(deps.recheckEvery ?? 5);
  }

  /** The last error of a configuration's sync (interface missing on the node …), or null. */
  lastError(configurationId: number): string | null {
    return this.errors.get(configurationId) ?? null;
  }

  /** Forgets in-memory state of a deleted configuration. */
  forget(configurationId: number): void {
    this.applied.delete(configurationId);
    this.pending.forget(configurationId);
    this.stale.delete(configurationId);
    this.errors.delete(configurationId);
    this.forms.delete(configurationId);
    this.settled.forget(configurationId);
    this.deps.drift.forget(configurationId);
  }

  /** Poll of one configuration: dump, then every sink in order. Throws when the node is down. */
  poll(config: SyncConfiguration, agent: FleetAgent): Promise<void> {
    return this.lock.run(config.id, async () => {
      const dump = await this.dumpOf(config, agent);
      await this.runSinks(config, agent, dump);
    });
  }

  /** See ConvergeNow. */
  async converge(configurationId: number, options: ConvergeOptions = {}): Promise<ConvergeResult> {
    // Whatever happens below, what the configuration wants may have changed.
    this.settled.touch(configurationId);
    const config = await this.deps.store.configuration(configurationId);
    if (!config)
      return { applied: false, reason: `configuration ${configurationId} does not exist` };
    if (options.remove?.length) await this.pending.add(configurationId, options.remove);
    if (!config.enabled)
      return { applied: false, reason: `configuration "${config.name}" is turned off` };
    const node = await this.deps.store.node(config.nodeId);
    if (!node || node.status !== 'online')
      return {
        applied: false,
        reason: `node "${config.nodeName}" is offline: the change is applied when it answers`,
      };
    const agent = this.deps.agentOf(node);
    try {
      if (this.lock.isHeld(configurationId)) {
        // Called from a sink of this configuration's poll: repair now; the poll re-reads after.
        this.stale.add(configurationId);
        await this.reconcile(config, agent, await this.dumpOf(config, agent));
      } else await this.poll(config, agent);
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

  private async dumpOf(config: SyncConfiguration, agent: FleetAgent): Promise<Dump> {
    try {
      const dump = await agent.dump(config.interfaceName);
      this.errors.delete(config.id);
      return dump;
    } catch (e) {
      if (!isNodeDown(e)) this.errors.set(config.id, agentFailure(e).message);
      throw e;
    }
  }

  private async runSinks(config: SyncConfiguration, agent: FleetAgent, dump: Dump): Promise<void> {
    const observed: ObservedConfiguration = {
      nodeId: config.nodeId,
      configurationId: config.id,
      dump,
      observedAt: this.deps.now(),
    };
    this.stale.delete(config.id);
    for (const sink of this.deps.sinks) {
      if (sink === this.sink) {
        // In place of the sink: errors that mean the node is down must fail the poll.
        await this.reconcile(config, agent, dump);
        continue;
      }
      try {
        await sink.onDump(observed);
      } catch (err) {
        this.deps.logger.error(
          { err, sink: sink.name, configuration: config.name },
          'dump consumer failed',
        );
      }
    }
  }

  private async reconcile(config: SyncConfiguration, agent: FleetAgent, polled: Dump) {
    const id = config.id;
    let dump = polled;
    if (this.stale.delete(id)) dump = await this.dumpOf(config, agent);
    if (this.settled.canSkip(id, dump.peers)) return;
    const revision = this.settled.revision(id);
    const [desired, pending] = [await this.deps.store.desiredPeers(id), await this.pending.of(id)];
    const applied = this.applied.get(id) ?? new Map<string, string>();
    const plan = planReconcile(desired, dump.peers, pending, applied, this.forms.get(id));
    this.forms.set(id, plan.forms);
    const missing = plan.put.filter((p) => p.missing).map((p) => p.publicKey);
    // Before the PUT: no ingest can run in between (the lock), and a failed PUT leaves it right.
    if (missing.length > 0) await this.deps.store.markCountersRestarted(id, missing);
    const nextApplied = new Map(plan.matched);
    const failed: string[] = [];
    const attempt = async (key: string, write: () => Promise<void>) => {
      try {
        await write();
        return true;
      } catch (e) {
        if (isNodeDown(e)) throw e;
        failed.push(key);
        this.deps.logger.error(
          { configuration: config.name, peer: key.slice(0, 8), err: agentFailure(e).message },
          'peer change refused by the agent',
        );
        return false;
      }
    };
    for (const p of plan.put) {
      const ok = await attempt(p.publicKey, () =>
        agent.putPeer(config.interfaceName, p.publicKey, {
          allowed_ips: [...p.allowedIps],
          preshared_key: p.presharedKey,
        }),
      );
      if (ok) nextApplied.set(p.publicKey, p.fingerprint);
    }
    for (const key of plan.remove)
      await attempt(key, () => agent.deletePeer(config.interfaceName, key));
    this.applied.set(id, nextApplied);
    const stillPending = [...pending].filter((k) => failed.includes(k));
    if (stillPending.length !== pending.size) await this.pending.replace(id, stillPending);
    this.reportDrift(config, plan.drift);
    if (plan.put.length + plan.remove.length > 0)
      this.deps.logger.info(
        {
          configuration: config.name,
          node: config.nodeName,
          added: missing.length,
          updated: plan.put.length - missing.length,
          removed: plan.remove.length,
          failed: failed.length,
        },
        'configuration converged',
      );
    if (failed.length > 0)
      this.errors.set(id, `${failed.length} peer change(s) refused by the agent`);
    if (plan.put.length + plan.remove.length === 0) this.settled.settle(id, revision, dump.peers);
    else this.settled.unsettle(id);
  }

  private reportDrift(config: SyncConfiguration, drift: Parameters<DriftRegistry['set']>[2]) {
    const fresh = this.deps.drift.set(config.id, config.nodeId, drift);
    for (const p of fresh)
      this.deps.logger.warn(
        {
          configuration: config.name,
          node: config.nodeName,
          peer: p.publicKey,
          allowed_ips: p.allowedIps,
        },
        'drift: a peer on the node is unknown to the panel (left in place)',
      );
    this.deps.onDrift?.(config, drift.length);
  }
}
