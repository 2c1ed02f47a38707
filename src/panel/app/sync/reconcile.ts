import type { Logger } from 'pino';
import type { Dump } from '../../../shared/wire/agent-api.js';
import { agentFailure, isNodeDown, type FleetAgent } from '../nodes/fleet-agent.js';
import type { ConfigurationState } from './configuration-state.js';
import type { PendingRemovals } from './pending-removals.js';
import { planReconcile, type DriftPeer } from './reconcile-plan.js';
import type { SyncConfiguration, SyncStore } from './sync-store.js';

export interface ReconcileDeps {
  readonly store: Pick<SyncStore, 'desiredPeers' | 'markCountersRestarted'>;
  readonly pending: PendingRemovals;
  readonly logger: Logger;
  /** See ConfigurationSyncDeps.recheckEvery. */
  readonly recheckEvery: number;
  readonly onDrift?: ((configuration: SyncConfiguration, count: number) => void) | undefined;
}

/**
 * The reconcile step of a poll: makes the node's interface match the database (puts missing or
 * changed active peers, removes restricted and deleted ones), records the drift. Skips reading
 * the desired peers while the configuration is settled (see ConfigurationState.canSkip). An
 * agent error that means the node is down is thrown (the poll fails); one peer refused is logged.
 */
export async function reconcile(
  deps: ReconcileDeps,
  config: SyncConfiguration,
  agent: FleetAgent,
  state: ConfigurationState,
  dump: Dump,
): Promise<void> {
  if (state.canSkip(dump.peers, deps.recheckEvery)) return;
  const revision = state.revision;
  const [desired, pending] = [
    await deps.store.desiredPeers(config.id),
    await deps.pending.of(state),
  ];
  const plan = planReconcile(desired, dump.peers, pending, state.applied, state.forms);
  state.forms = plan.forms;
  const missing = plan.put.filter((p) => p.missing).map((p) => p.publicKey);
  // Before the PUT: no ingest can run in between (the lock), and a failed PUT leaves it right.
  if (missing.length > 0) await deps.store.markCountersRestarted(config.id, missing);
  const nextApplied = new Map(plan.matched);
  const failed: string[] = [];
  const attempt = async (key: string, write: () => Promise<void>) => {
    try {
      await write();
      return true;
    } catch (e) {
      if (isNodeDown(e)) throw e;
      failed.push(key);
      deps.logger.error(
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
        // Only when set: an agent from before speed limits refuses the unknown field.
        ...(p.rateLimit && { rate_limit: p.rateLimit }),
      }),
    );
    if (ok) nextApplied.set(p.publicKey, p.fingerprint);
  }
  for (const key of plan.remove)
    await attempt(key, () => agent.deletePeer(config.interfaceName, key));
  state.applied = nextApplied;
  const stillPending = [...pending].filter((k) => failed.includes(k));
  if (stillPending.length !== pending.size) await deps.pending.replace(state, stillPending);
  reportDrift(deps, config, state, plan.drift);
  if (plan.put.length + plan.remove.length > 0)
    deps.logger.info(
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
  if (failed.length > 0) state.error = `${failed.length} peer change(s) refused by the agent`;
  if (plan.put.length + plan.remove.length === 0) state.settle(revision, dump.peers);
  else state.unsettle();
}

function reportDrift(
  deps: ReconcileDeps,
  config: SyncConfiguration,
  state: ConfigurationState,
  drift: readonly DriftPeer[],
): void {
  const before = new Set(state.drift.map((p) => p.publicKey));
  state.drift = drift;
  for (const p of drift)
    if (!before.has(p.publicKey))
      deps.logger.warn(
        {
          configuration: config.name,
          node: config.nodeName,
          peer: p.publicKey,
          allowed_ips: p.allowedIps,
        },
        'drift: a peer on the node is unknown to the panel (left in place)',
      );
  deps.onDrift?.(config, drift.length);
}
