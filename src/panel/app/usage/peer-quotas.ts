import { notFound } from '../errors.js';
import { manualResetEvent, type PeerEvent } from '../events/peer-event.js';
import type { PolicyRunner } from './policy-runner.js';
import type { PeerDirectory, PeerQuotaPatch, UsageStore } from './ports.js';
import type { UsagePeerRow } from './usage-row.js';
import type { ResetSchedule } from '../../domain/policy/types.js';

/** Which part of the period usage resetPeerData zeroes (WGDashboard's `type`). */
export type ResetType = 'total' | 'receive' | 'sent';

export interface PeerQuotasDeps {
  readonly directory: PeerDirectory;
  readonly store: UsageStore;
  readonly policy: PolicyRunner;
}

/**
 * The seed's quota settings per peer (limit, expiry, warning threshold), reset schedules and
 * resetPeerData. Each change and the policy it triggers run in one transaction, so raising a
 * limit restores the peer within the request; then the configuration converges.
 */
export class PeerQuotas {
  constructor(private readonly deps: PeerQuotasDeps) {}

  /** Resolves a configuration name and public keys to peer ids; 404 naming the first unknown. */
  async resolve(configName: string, keys: readonly string[]): Promise<number[]> {
    const cfg = await this.deps.directory.configurationByName(configName);
    if (!cfg) throw notFound('configuration', configName);
    const ids = await this.deps.directory.peerIdsByKeys(cfg.id, keys);
    const missing = keys.find((k) => !ids.has(k));
    if (missing !== undefined) throw notFound('peer', missing);
    return [...new Set(keys.map((k) => ids.get(k) as number))];
  }

  /** Writes `patch` to the peers and runs the policy for them; returns them as they now are. */
  async update(ids: readonly number[], patch: PeerQuotaPatch): Promise<UsagePeerRow[]> {
    await this.deps.policy.runForPeers(ids, async (uow) => {
      await uow.updatePeers(ids, patch);
      return [];
    });
    return this.read(ids);
  }

  /**
   * Sets (or clears) the expiry date. Where it changes, the "expiring soon" memory is cleared so
   * the new date warns once in its turn; sending the same date again changes nothing.
   */
  async setExpiry(ids: readonly number[], expiry: Date | null): Promise<UsagePeerRow[]> {
    await this.deps.policy.runForPeers(ids, async (uow) => {
      const rows = await uow.peersByIds(ids);
      const changed = rows
        .filter((r) => r.expiry_date?.getTime() !== expiry?.getTime())
        .map((r) => r.id);
      await uow.updatePeers(changed, { expiry_date: expiry, expiry_warned_for: null });
      return [];
    });
    return this.read(ids);
  }

  /** Sets a reset schedule; the current period goes on until the schedule's next boundary. */
  async setResetSchedule(
    ids: readonly number[],
    schedule: ResetSchedule,
    anchor: number | null,
  ): Promise<UsagePeerRow[]> {
    await this.deps.policy.runForPeers(ids, async (uow, now) => {
      const rows = await uow.peersByIds(ids);
      const changed = rows
        .filter((r) => r.reset_schedule !== schedule || r.reset_anchor !== anchor)
        .map((r) => r.id);
      await uow.updatePeers(changed, {
        reset_schedule: schedule,
        reset_anchor: anchor,
        period_started_at: now,
      });
      return [];
    });
    return this.read(ids);
  }

  /** WGDashboard's resetPeerData: zeroes period usage (both, rx or tx); one `reset` event each. */
  async resetUsage(ids: readonly number[], type: ResetType): Promise<UsagePeerRow[]> {
    await this.deps.policy.runForPeers(ids, async (uow, now) => {
      const rows = await uow.peersByIds(ids);
      const events: PeerEvent[] = rows.map((r) =>
        manualResetEvent(
          {
            id: r.id,
            name: r.name,
            publicKey: r.public_key,
            configurationId: r.configuration_id,
            nodeId: r.node_id,
          },
          type,
          type === 'receive'
            ? r.period_rx
            : type === 'sent'
              ? r.period_tx
              : r.period_rx + r.period_tx,
          now,
        ),
      );
      await uow.updatePeers(ids, {
        ...(type !== 'sent' && { period_rx: 0n }),
        ...(type !== 'receive' && { period_tx: 0n }),
        ...(type === 'total' && { period_started_at: now }),
      });
      return events;
    });
    return this.read(ids);
  }

  private read(ids: readonly number[]): Promise<UsagePeerRow[]> {
    return this.deps.store.transaction((uow) => uow.peersByIds(ids));
  }
}
